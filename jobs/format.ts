import { DateTime } from 'luxon';
import { t, type Lang, type MessageKey } from '../i18n/index.js';

/** A time as the team reads it, in the company's time zone: `T2 23/11 09:00`. */
export function formatLocal(date: Date, lang: Lang, timezone: string, withDate = true): string {
  const local = DateTime.fromJSDate(date, { zone: timezone }).setLocale(lang === 'vi' ? 'vi' : 'en');
  return local.toFormat(withDate ? 'ccc dd/MM HH:mm' : 'HH:mm');
}

export function followUpTypeLabel(lang: Lang, type: string | null | undefined): string {
  const key = `jobs.type.${type ?? 'task'}`;
  const text = t(lang, key as MessageKey);
  return text === key ? String(type) : text;
}

/** A list capped at `max` lines with "… and N more", so one message never hits a platform's length cap. */
export function cappedLines(items: string[], max: number, more: (count: number) => string): string[] {
  if (items.length <= max) return items;
  return [...items.slice(0, max), more(items.length - max)];
}
