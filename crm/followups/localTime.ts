import { DateTime } from 'luxon';
import { CrmError } from '../shared/errors.js';

/**
 * A wall-clock time typed in a form (`2026-12-03T09:00`, the value of a datetime-local input),
 * read in the company's time zone: "9:00" means 9:00 at the company, wherever the browser is.
 */
export function dueFromLocalTime(value: unknown, timezone: string): Date {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text)) throw new CrmError('followUp.dueInvalid');
  const parsed = DateTime.fromISO(text, { zone: timezone });
  if (!parsed.isValid) throw new CrmError('followUp.dueInvalid');
  return parsed.toJSDate();
}
