// Formatting shared by the panel's components: how a Vietnamese sales team writes phones and times.

/**
 * `+84912345678` → `0912 345 678`, the national format chat and crm/customers/phone.ts formatPhone
 * use (mobiles 3-3-3 after the 0, Hà Nội / HCM landlines 02x xxxx xxxx, other landlines 0xxx xxx xxxx).
 * The browser bundle cannot carry libphonenumber's metadata, so only Vietnam is rewritten; other
 * countries stay in international format, which is how their owners write them to us.
 */
export function nationalPhone(e164) {
  const text = String(e164 ?? '');
  const m = /^\+84(\d{9,10})$/.exec(text);
  if (!m) return text;
  const n = m[1];
  if (n.length === 9) return `0${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`;
  if (/^2[48]/.test(n)) return `0${n.slice(0, 2)} ${n.slice(2, 6)} ${n.slice(6)}`;
  return `0${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`;
}

/** `dd/MM/yyyy HH:mm` in the company's time zone (Settings.timezone, carried by the session). */
export function localDateTime(value, timeZone, withTime = true) {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const options = { timeZone: timeZone || 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric', hourCycle: 'h23' };
  if (withTime) Object.assign(options, { hour: '2-digit', minute: '2-digit' });
  let parts;
  try {
    parts = new Intl.DateTimeFormat('en-GB', options).formatToParts(date);
  } catch {
    parts = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'Asia/Ho_Chi_Minh' }).formatToParts(date);
  }
  const get = (type) => parts.find((p) => p.type === type)?.value ?? '';
  const day = `${get('day')}/${get('month')}/${get('year')}`;
  return withTime ? `${day} ${get('hour')}:${get('minute')}` : day;
}

/** An amount in đồng as the team writes it on quotes and cards: `35.000.000 ₫`. */
export function vnd(amount) {
  return `${new Intl.NumberFormat('vi-VN').format(Number(amount))} ₫`;
}
