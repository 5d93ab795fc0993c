import { DateTime } from 'luxon';
import type { Recurrence } from '../../models/followUp.js';

/**
 * The next due time of a recurring follow-up, computed in the company's time zone so "every day
 * at 9:00" stays at 9:00 local time. Skips occurrences already in the past (a follow-up completed
 * late does not leave a trail of overdue copies).
 */
export function nextOccurrence(dueAt: Date, recurrence: Recurrence, opts: { everyDays?: number | null; timezone: string; after: Date }): Date | null {
  if (recurrence === 'none') return null;
  let next = DateTime.fromJSDate(dueAt, { zone: opts.timezone });
  const step = () => {
    switch (recurrence) {
      case 'daily':
        return next.plus({ days: 1 });
      case 'weekly':
        return next.plus({ weeks: 1 });
      case 'monthly':
        return next.plus({ months: 1 });
      case 'every_n_days':
        return next.plus({ days: Math.max(1, opts.everyDays ?? 1) });
    }
  };
  // Bounded: at worst daily steps across ten years of missed occurrences.
  for (let i = 0; i < 4000; i++) {
    next = step();
    if (next.toJSDate() > opts.after) return next.toJSDate();
  }
  return next.toJSDate();
}
