import { parseCloseDay } from '../../bot/core/parseCloseDay.js';

// Wednesday 2 December 2026, 10:00 in Hanoi.
const ctx = { now: new Date('2026-12-02T03:00:00Z'), timezone: 'Asia/Ho_Chi_Minh' };
const day = (input: string) => {
  const d = parseCloseDay(input, ctx);
  return d ? d.toLocaleDateString('en-CA', { timeZone: ctx.timezone }) : null;
};

describe('expected close dates as salespeople type them', () => {
  it.each([
    ['cuối tháng', '2026-12-31'],
    ['Cuối tháng sau', '2027-01-31'],
    ['cuối quý', '2026-12-31'],
    ['cuối năm', '2026-12-31'],
    ['end of month', '2026-12-31'],
    ['next month', '2027-01-31'],
    ['15/1', '2027-01-15'],
    ['20/12', '2026-12-20'],
    ['thứ 6 tuần sau', '2026-12-11'],
    ['thứ 6', '2026-12-04'],
    ['mai', '2026-12-03'],
    ['31/12/2026', '2026-12-31'],
  ])('%s → %s', (input, expected) => {
    expect(day(input)).toBe(expected);
  });

  it('refuses what it does not understand, and a date that does not exist', () => {
    expect(day('sớm thôi')).toBeNull();
    expect(day('31/2')).toBeNull();
    expect(day('')).toBeNull();
  });

  it('stores the start of that day in the company time zone', () => {
    expect(parseCloseDay('cuối tháng', ctx)!.toISOString()).toBe('2026-12-30T17:00:00.000Z');
  });
});
