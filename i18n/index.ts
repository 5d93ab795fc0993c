import { vi, type MessageKey } from './vi.js';
import { en } from './en.js';
import { CrmError } from '../crm/shared/errors.js';

export type { MessageKey };
export type Lang = 'vi' | 'en';
export const LANGS: Lang[] = ['vi', 'en'];

const catalogs: Record<Lang, Record<MessageKey, string>> = { vi, en };

/** A text in the given language with `{param}` values filled in. Unknown languages fall back to Vietnamese. */
export function t(lang: Lang | string | undefined | null, key: MessageKey, params: Record<string, string | number> = {}): string {
  const catalog = catalogs[(lang as Lang) in catalogs ? (lang as Lang) : 'vi'];
  return catalog[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The message to show a person for an error from a service; anything unexpected gets a generic text. */
export function errorMessage(lang: Lang | string | undefined | null, error: unknown): string {
  if (error instanceof CrmError) {
    const key = `error.${error.code}` as MessageKey;
    return t(lang, key in vi ? key : 'error.unexpected', { field: '', ...error.params });
  }
  return t(lang, 'error.unexpected');
}
