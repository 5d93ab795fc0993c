import errors from './errors.js';
import jobs from './jobs.js';
import chat from './chat.js';
import web from './web.js';
import admin from './admin.js';
import startup from './startup.js';
import opportunities from './opportunities.js';
import outreach from './outreach.js';
import { CrmError } from '../crm/shared/errors.js';

/**
 * Texts by area, one file each (errors, chat, jobs…). Add an area by importing its file here.
 * Keys must be unique across areas; prefix them with the area (`chat.`, `jobs.`).
 */
const areas = { errors, chat, web, jobs, admin, startup, opportunities, outreach };

export type Lang = 'vi' | 'en';
export const LANGS: Lang[] = ['vi', 'en'];
export type MessageKey = { [A in keyof typeof areas]: keyof (typeof areas)[A]['vi'] }[keyof typeof areas] & string;

const catalogs: Record<Lang, Record<string, string>> = {
  vi: Object.assign({}, ...Object.values(areas).map((a) => a.vi)),
  en: Object.assign({}, ...Object.values(areas).map((a) => a.en)),
};

export function isLang(value: unknown): value is Lang {
  return value === 'vi' || value === 'en';
}

/** A text in the given language with `{param}` values filled in. Unknown languages fall back to Vietnamese. */
export function t(lang: Lang | string | undefined | null, key: MessageKey, params: Record<string, string | number> = {}): string {
  const catalog = catalogs[isLang(lang) ? lang : 'vi'];
  const text = catalog[key] ?? catalogs.vi[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The message to show a person for an error from a service; anything unexpected gets a generic text. */
export function errorMessage(lang: Lang | string | undefined | null, error: unknown): string {
  if (error instanceof CrmError) {
    const key = `error.${error.code}`;
    return t(lang, (key in catalogs.vi ? key : 'error.unexpected') as MessageKey, { field: '', ...error.params });
  }
  return t(lang, 'error.unexpected');
}
