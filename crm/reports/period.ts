import { DateTime } from 'luxon';

export interface Period {
  from: Date;
  to: Date;
}

/** The calendar month containing `now`, in the company's time zone. */
export function monthOf(now: Date, timezone: string): Period {
  const local = DateTime.fromJSDate(now, { zone: timezone });
  return { from: local.startOf('month').toJSDate(), to: local.endOf('month').toJSDate() };
}

/** The calendar day containing `now`, in the company's time zone. */
export function dayOf(now: Date, timezone: string): Period {
  const local = DateTime.fromJSDate(now, { zone: timezone });
  return { from: local.startOf('day').toJSDate(), to: local.endOf('day').toJSDate() };
}

/** The local days of a period, as yyyy-mm-dd in the company's time zone (at most 400). */
export function daysOf(period: Period, timezone: string): string[] {
  const days: string[] = [];
  for (let d = DateTime.fromJSDate(period.from, { zone: timezone }).startOf('day'); d.toMillis() <= period.to.getTime() && days.length < 400; d = d.plus({ days: 1 })) {
    days.push(d.toISODate()!);
  }
  return days;
}

/**
 * The period of the same number of local days just before `period` (the comparison on the
 * dashboard): 1–30 November is compared with 2–31 October, whatever the months' lengths.
 */
export function previousPeriod(period: Period, timezone: string): Period {
  const from = DateTime.fromJSDate(period.from, { zone: timezone }).startOf('day');
  const to = DateTime.fromJSDate(period.to, { zone: timezone }).startOf('day');
  const days = Math.round(to.diff(from, 'days').days) + 1;
  const prevTo = from.minus({ days: 1 });
  return { from: prevTo.minus({ days: days - 1 }).startOf('day').toJSDate(), to: prevTo.endOf('day').toJSDate() };
}
