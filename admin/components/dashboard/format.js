// Numbers, money and dates as a Vietnamese team writes them (the panel's language decides the
// locale; money is always đồng). Days arrive as yyyy-mm-dd in the company's time zone and are
// formatted as such, never through the browser's own zone.

export const localeOf = (lang) => (lang === 'en' ? 'en-GB' : 'vi-VN');

export function formats(lang) {
  const locale = localeOf(lang);
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const points = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, signDisplay: 'always' });
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency: 'VND', maximumFractionDigits: 0 });
  // dd/mm as Vietnamese write it: browsers' own vi-VN date patterns differ (some print 01-11).
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' });
  const shortDay = (day) => `${day.slice(8, 10)}/${day.slice(5, 7)}`;
  const date = (day) => `${shortDay(day)}/${day.slice(0, 4)}`;
  const longDay = (day) => `${weekday.format(new Date(`${day}T00:00:00Z`))}, ${date(day)}`;
  return {
    number: (n) => integer.format(n || 0),
    percent: (x) => percent.format(x || 0),
    points: (x) => points.format((x || 0) * 100),
    money: (n) => money.format(n || 0),
    moneyShort: (n) => `${compact.format(n || 0)} ₫`,
    day: shortDay,
    date,
    longDay,
  };
}

// One colour per source, in the order the sources first appear, so a source keeps its colour
// across the charts of one page.
export const PALETTE = ['#2563eb', '#16a34a', '#f59e0b', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];
export const colourOf = (names) => {
  const map = new Map();
  names.forEach((n) => { if (!map.has(n)) map.set(n, PALETTE[map.size % PALETTE.length]); });
  return (name) => map.get(name) || '#94a3b8';
};

export const AXIS_STYLE = { fontSize: 12, fill: '#475569' };
