import { DateTime } from 'luxon';
import { parseWhen } from '../../bot/core/parseWhen.js';

const zone = 'Asia/Ho_Chi_Minh';
// Wednesday 25 November 2026, 10:00 in Hồ Chí Minh City.
const now = DateTime.fromObject({ year: 2026, month: 11, day: 25, hour: 10 }, { zone }).toJSDate();

function local(text: string, at: Date = now): string | null {
  const result = parseWhen(text, { now: at, timezone: zone });
  return result ? DateTime.fromJSDate(result, { zone }).toFormat('yyyy-MM-dd HH:mm') : null;
}

describe('parseWhen: Vietnamese phrases', () => {
  it.each([
    ['mai 9h', '2026-11-26 09:00'],
    ['Mai 9h', '2026-11-26 09:00'],
    ['9h sáng mai', '2026-11-26 09:00'],
    ['9 giờ sáng mai', '2026-11-26 09:00'],
    ['ngày mai 14h30', '2026-11-26 14:30'],
    ['mai 3h chiều', '2026-11-26 15:00'],
    ['7h tối mai', '2026-11-26 19:00'],
    ['sáng mai', '2026-11-26 09:00'],
    ['chiều mai', '2026-11-26 14:00'],
    ['1h trưa mai', '2026-11-26 13:00'],
    ['mốt 8h', '2026-11-27 08:00'],
    ['ngày kia 8h', '2026-11-27 08:00'],
    ['thứ 6 14h30', '2026-11-27 14:30'],
    ['thứ sáu 14h30', '2026-11-27 14:30'],
    ['t6 14h30', '2026-11-27 14:30'],
    ['thứ 6 tới 9h', '2026-11-27 09:00'],
    ['thứ 2', '2026-11-30 09:00'],
    ['thứ 4 9h', '2026-12-02 09:00'],
    ['thứ 4 15h', '2026-11-25 15:00'],
    ['chủ nhật 10h', '2026-11-29 10:00'],
    ['thứ 6 tuần sau 10h', '2026-12-04 10:00'],
    ['3 ngày nữa', '2026-11-28 10:00'],
    ['2 tiếng nữa', '2026-11-25 12:00'],
    ['30 phút nữa', '2026-11-25 10:30'],
    ['nửa tiếng nữa', '2026-11-25 10:30'],
    ['sau 2 tuần', '2026-12-09 10:00'],
    ['hôm nay 16h', '2026-11-25 16:00'],
    ['16h', '2026-11-25 16:00'],
    ['8h', '2026-11-26 08:00'],
    ['lúc 9h mai', '2026-11-26 09:00'],
    ['mai 9h', '2026-11-26 09:00'],
    ['thu 6 14h30', '2026-11-27 14:30'],
    ['9h sang mai', '2026-11-26 09:00'],
    ['mai 7h toi', '2026-11-26 19:00'],
  ])('%s → %s', (text, expected) => {
    expect(local(text)).toBe(expected);
  });
});

describe('parseWhen: English phrases', () => {
  it.each([
    ['tomorrow 9am', '2026-11-26 09:00'],
    ['tomorrow 2:30pm', '2026-11-26 14:30'],
    ['Tomorrow at 9', '2026-11-26 09:00'],
    ['in 2 hours', '2026-11-25 12:00'],
    ['in an hour', '2026-11-25 11:00'],
    ['in 3 days', '2026-11-28 10:00'],
    ['in 45 minutes', '2026-11-25 10:45'],
    ['friday 2pm', '2026-11-27 14:00'],
    ['next monday 9am', '2026-11-30 09:00'],
    ['today 5pm', '2026-11-25 17:00'],
    ['tonight', '2026-11-25 19:00'],
    ['tomorrow morning', '2026-11-26 09:00'],
  ])('%s → %s', (text, expected) => {
    expect(local(text)).toBe(expected);
  });
});

describe('parseWhen: dates', () => {
  it.each([
    ['25/12 10:00', '2026-12-25 10:00'],
    ['25/12', '2026-12-25 09:00'],
    ['25-12 14h', '2026-12-25 14:00'],
    ['1/1 8h', '2027-01-01 08:00'],
    ['20/11 9h', '2027-11-20 09:00'],
    ['5/3/2027 9:15', '2027-03-05 09:15'],
  ])('%s → %s', (text, expected) => {
    expect(local(text)).toBe(expected);
  });

  it('crosses month and year ends in the company time zone', () => {
    const lateDecember = DateTime.fromObject({ year: 2026, month: 12, day: 31, hour: 23 }, { zone }).toJSDate();
    expect(local('mai 9h', lateDecember)).toBe('2027-01-01 09:00');
    expect(local('in 2 hours', lateDecember)).toBe('2027-01-01 01:00');
  });
});

describe('parseWhen: anything not fully understood is refused, never guessed', () => {
  it.each([
    ['', null],
    ['   ', null],
    ['sometime', null],
    ['mai đi ăn', null],
    ['9h mai hoặc mốt', null],
    ['32/12 9h', null],
    ['25/13', null],
    ['25h', null],
    ['9h75', null],
    ['{"$gt": ""}', null],
    ['😀', null],
    ['mai thứ 6', null],
    ['tuần sau', null],
    ['x'.repeat(5000), null],
    ['3 ngày', null],
  ])('%j → null', (text, expected) => {
    expect(local(text)).toBe(expected);
  });
});
