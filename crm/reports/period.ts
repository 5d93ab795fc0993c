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
