import { DateTime, type DurationLikeObject } from 'luxon';
import { foldVietnamese } from '../../crm/customers/searchText.js';

/**
 * Reads a follow-up time the way salespeople type it, in Vietnamese or English, in the company's
 * time zone: `mai 9h`, `9h sáng mai`, `thứ 6 14h30`, `3 ngày nữa`, `tomorrow 9am`, `in 2 hours`,
 * `25/12 10:00`. Returns null for anything it does not fully understand: every word must be
 * accounted for, so a phrase is asked again rather than guessed. luxon does the calendar arithmetic
 * (month ends, daylight saving where the zone has it).
 */
export interface WhenContext {
  now: Date;
  timezone: string;
}

/** The hour used when only a day is given ("mai", "thứ 6"): the start of a working morning. */
const DEFAULT_HOUR = 9;
const PERIOD_DEFAULT_HOUR: Record<Period, number> = { morning: 9, noon: 12, afternoon: 14, evening: 19 };
type Period = 'morning' | 'noon' | 'afternoon' | 'evening';

const UNITS: [RegExp, keyof DurationLikeObject][] = [
  [/^(phut|p|min|mins|minute|minutes)$/, 'minutes'],
  [/^(gio|tieng|h|hour|hours|hr|hrs)$/, 'hours'],
  [/^(ngay|day|days)$/, 'days'],
  [/^(tuan|week|weeks)$/, 'weeks'],
  [/^(thang|month|months)$/, 'months'],
];

const VI_WEEKDAY: Record<string, number> = { '2': 1, hai: 1, '3': 2, ba: 2, '4': 3, tu: 3, '5': 4, nam: 4, '6': 5, sau: 5, '7': 6, bay: 6 };
const EN_WEEKDAY: Record<string, number> = {
  mon: 1, monday: 1, tue: 2, tues: 2, tuesday: 2, wed: 3, wednesday: 3, thu: 4, thur: 4, thurs: 4, thursday: 4,
  fri: 5, friday: 5, sat: 6, saturday: 6, sun: 7, sunday: 7,
};

/**
 * Accented words whose plain spelling collides with another word: `tới` (coming) and `tối`
 * (evening) both fold to `toi`; `mốt` (the day after tomorrow) and `một` (one) to `mot`.
 * They are renamed before folding.
 */
function prepare(input: string): string {
  const text = ` ${input.toLowerCase().normalize('NFC')} `
    .replace(/tới/g, ' next ')
    .replace(/tối/g, ' evening ')
    .replace(/ngày mốt|mốt/g, ' overmorrow ')
    .replace(/một/g, ' 1 ')
    .replace(/nửa tiếng|nửa giờ/g, ' 30 phut ')
    .replace(/[,;!?]/g, ' ');
  return ` ${foldVietnamese(text)} `.replace(/\s+/g, ' ');
}

export function parseWhen(input: string, ctx: WhenContext): Date | null {
  if (typeof input !== 'string' || !input.trim() || input.length > 60) return null;
  const now = DateTime.fromJSDate(ctx.now, { zone: ctx.timezone });
  if (!now.isValid) return null;
  let s = prepare(input);

  const relative = parseRelative(s.trim());
  if (relative) return now.plus(relative).toJSDate();

  let rest = s;
  const take = (re: RegExp): RegExpExecArray | null => {
    const m = re.exec(rest);
    if (m) rest = rest.slice(0, m.index) + ' ' + rest.slice(m.index + m[0].length);
    return m;
  };

  // The day: a date, a day word, or a weekday.
  let date: { day: number; month: number; year?: number } | undefined;
  let dayOffset: number | undefined;
  let weekday: number | undefined;
  let nextWeek = false;
  const d = take(/ (\d{1,2})[/-](\d{1,2})(?:[/-](\d{2}|\d{4}))? /);
  if (d) date = { day: Number(d[1]), month: Number(d[2]), year: d[3] ? Number(d[3].length === 2 ? `20${d[3]}` : d[3]) : undefined };
  if (take(/ (day after tomorrow|overmorrow|ngay kia) /)) dayOffset = 2;
  else if (take(/ (ngay mai|mai|tomorrow|tmr|tmrw) /)) dayOffset = 1;
  else if (take(/ (tonight) /)) {
    dayOffset = 0;
    rest += ' evening ';
  } else if (take(/ (hom nay|today|nay) /)) dayOffset = 0;
  const vi = take(/ (?:thu ?|t)([2-7]|hai|ba|tu|nam|sau|bay) /);
  if (vi) weekday = VI_WEEKDAY[vi[1]];
  else if (take(/ (chu nhat|cn) /)) weekday = 7;
  else {
    const en = take(/ (mon|monday|tue|tues|tuesday|wed|wednesday|thu|thur|thurs|thursday|fri|friday|sat|saturday|sun|sunday) /);
    if (en) weekday = EN_WEEKDAY[en[1]];
  }
  if (take(/ (tuan sau|tuan next|next week) /)) nextWeek = true;
  // "thứ 6 tới", "next friday": the coming one. Only after a weekday: elsewhere `toi` is evening.
  if (weekday !== undefined) take(/ (next|toi) /);

  // The time of day.
  let hour: number | undefined;
  let minute = 0;
  let meridiem: 'am' | 'pm' | undefined;
  const hm =
    take(/ (\d{1,2}) ?(?:h|g|gio) ?(\d{1,2})? ?(?:p|phut)? /) ??
    take(/ (\d{1,2}):(\d{2}) ?(am|pm)? /) ??
    take(/ (\d{1,2}) ?(am|pm) /) ??
    take(/ (?:at|luc|vao luc) (\d{1,2}) /);
  if (hm) {
    hour = Number(hm[1]);
    const second = hm[2];
    if (second === 'am' || second === 'pm') meridiem = second;
    else if (second !== undefined) minute = Number(second);
    if (hm[3] === 'am' || hm[3] === 'pm') meridiem = hm[3];
  }
  let period: Period | undefined;
  if (take(/ (sang|morning) /)) period = 'morning';
  else if (take(/ (trua|noon) /)) period = 'noon';
  else if (take(/ (chieu|afternoon) /)) period = 'afternoon';
  else if (take(/ (evening|toi|dem|night) /)) period = 'evening';

  // Everything must have been understood; these small words carry no meaning of their own.
  if (rest.replace(/ (luc|vao|at|on|ngay|the|in|hen|,|\.)(?= )/g, ' ').trim() !== '') return null;
  if (date === undefined && dayOffset === undefined && weekday === undefined && hour === undefined && period === undefined) return null;
  if ([date !== undefined, dayOffset !== undefined, weekday !== undefined].filter(Boolean).length > 1) return null;

  if (hour !== undefined) {
    if (meridiem === 'pm' && hour < 12) hour += 12;
    else if (meridiem === 'am' && hour === 12) hour = 0;
    else if (!meridiem && (period === 'afternoon' || period === 'evening') && hour < 12) hour += 12;
    else if (!meridiem && period === 'noon' && hour < 4) hour += 12;
  } else {
    hour = period ? PERIOD_DEFAULT_HOUR[period] : DEFAULT_HOUR;
  }
  if (hour > 23 || minute > 59) return null;
  const timeOfDay = { hour, minute, second: 0, millisecond: 0 };

  let result: DateTime;
  if (date) {
    result = DateTime.fromObject({ year: date.year ?? now.year, month: date.month, day: date.day, ...timeOfDay }, { zone: ctx.timezone });
    if (!result.isValid) return null;
    if (date.year === undefined && result < now) result = result.plus({ years: 1 });
  } else if (dayOffset !== undefined) {
    result = now.startOf('day').plus({ days: dayOffset }).set(timeOfDay);
  } else if (weekday !== undefined) {
    if (nextWeek) {
      result = now.startOf('week').plus({ weeks: 1, days: weekday - 1 }).set(timeOfDay);
    } else {
      result = now.startOf('day').plus({ days: (weekday - now.weekday + 7) % 7 }).set(timeOfDay);
      if (result <= now) result = result.plus({ weeks: 1 });
    }
  } else {
    // Only a time: today if still ahead, otherwise tomorrow.
    result = now.startOf('day').set(timeOfDay);
    if (result <= now) result = result.plus({ days: 1 });
  }
  return result.isValid ? result.toJSDate() : null;
}

/** `3 ngày nữa`, `sau 2 tiếng`, `in 2 hours`, `in an hour`: an amount from now. */
function parseRelative(s: string): DurationLikeObject | null {
  const m = /^(in|sau|trong)? ?(\d{1,3}|an?) ?([a-z]+)( nua| later| from now)?$/.exec(s);
  if (!m || (!m[1] && !m[4])) return null;
  const amount = m[2] === 'a' || m[2] === 'an' ? 1 : Number(m[2]);
  const unit = UNITS.find(([re]) => re.test(m[3]));
  if (!unit || amount < 1) return null;
  return { [unit[1]]: amount };
}
