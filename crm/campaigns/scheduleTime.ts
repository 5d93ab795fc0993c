import { DateTime } from 'luxon';
import { CrmError } from '../shared/errors.js';

/** What a datetime-local input sends: a wall-clock time without zone, to the minute (seconds optional). */
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/**
 * A time the admin picked on the company's clock ("2026-12-05T09:00" in settings.timezone), as the
 * instant to store. The browser's own zone never enters: a manager travelling abroad still
 * schedules 9:00 in Hà Nội. Times that do not exist on that clock (a DST gap) are refused.
 */
export function parseCompanyTime(text: unknown, timezone: string): Date {
  if (typeof text !== 'string' || !LOCAL_DATE_TIME.test(text)) throw new CrmError('invalid', { field: 'scheduledAt' });
  const local = DateTime.fromISO(text, { zone: timezone });
  if (!local.isValid || local.toFormat(text.length > 16 ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd'T'HH:mm") !== text) {
    throw new CrmError('invalid', { field: 'scheduledAt' });
  }
  return local.toJSDate();
}

/** The stored instant as the picker shows it, on the company's clock. */
export function companyTimeInput(date: Date, timezone: string): string {
  return DateTime.fromJSDate(date, { zone: timezone }).toFormat("yyyy-MM-dd'T'HH:mm");
}

/** The stored instant for people to read: "05/12/2026 09:00". */
export function companyTimeText(date: Date, timezone: string): string {
  return DateTime.fromJSDate(date, { zone: timezone }).toFormat('dd/MM/yyyy HH:mm');
}
