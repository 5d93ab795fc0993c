import { DateTime } from 'luxon';
import { Customer } from '../../models/customer.js';
import { getCustomerForActor } from '../customers/customers.js';
import { CrmError } from '../shared/errors.js';
import type { Actor } from '../users/actor.js';

export interface Birthday {
  day: number;
  month: number;
  year?: number;
}

/**
 * Reads a birthday as people type it: `12/5`, `12/05`, `12/05/1990`, `12-5-1990`, `12.5.90` (day
 * first, as in Vietnam). Returns null for anything else, or a day the month does not have (29/2
 * is accepted without a year, and with a leap year only).
 */
export function parseBirthday(input: unknown, today = new Date()): Birthday | null {
  if (typeof input !== 'string' || input.length > 20) return null;
  const m = /^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{2}|\d{4}))?\s*$/.exec(input);
  if (!m) return null;
  const day = Number(m[1]);
  const month = Number(m[2]);
  let year = m[3] ? Number(m[3]) : undefined;
  const thisYear = today.getUTCFullYear();
  // Two digits: the most recent such year not in the future (90 → 1990, 05 → 2005).
  if (year !== undefined && m[3]!.length === 2) year = year + 2000 > thisYear ? year + 1900 : year + 2000;
  if (year !== undefined && (year < 1900 || year > thisYear)) return null;
  // A leap year stands in when the year is unknown, so 29/2 is a valid birthday.
  if (!DateTime.fromObject({ year: year ?? 2000, month, day }).isValid) return null;
  return year === undefined ? { day, month } : { day, month, year };
}

export function formatBirthday(b: { day?: number | null; month?: number | null; year?: number | null } | null | undefined): string {
  if (!b?.day || !b.month) return '';
  const dm = `${String(b.day).padStart(2, '0')}/${String(b.month).padStart(2, '0')}`;
  return b.year ? `${dm}/${b.year}` : dm;
}

/**
 * Sets (or with empty text, clears) a customer's birthday from typed text. Only those who may change
 * the customer; an unreadable date is refused with what was typed.
 */
export async function setBirthday(actor: Actor, customerId: unknown, text: string | null | undefined): Promise<Birthday | null> {
  const customer = await getCustomerForActor(actor, customerId);
  const typed = (text ?? '').trim();
  if (!typed) {
    await Customer.updateOne({ _id: customer._id }, { $unset: { birthday: 1 } });
    return null;
  }
  const birthday = parseBirthday(typed);
  if (!birthday) throw new CrmError('birthday.invalid', { input: typed.slice(0, 30) });
  await Customer.updateOne({ _id: customer._id }, { $set: { birthday } });
  return birthday;
}

/**
 * The (day, month) pairs whose birthday is celebrated on this local date: the date itself, and on
 * 28 February of a year without 29 February, the 29 February birthdays too.
 */
export function birthdaysCelebratedOn(local: DateTime): { day: number; month: number }[] {
  const days = [{ day: local.day, month: local.month }];
  if (local.month === 2 && local.day === 28 && !local.isInLeapYear) days.push({ day: 29, month: 2 });
  return days;
}
