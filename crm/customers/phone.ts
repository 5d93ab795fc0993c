import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { CrmError } from '../shared/errors.js';

/**
 * Normalizes a phone number as Vietnamese people write it (`0912.345.678`, `+84 912 345 678`,
 * `84912345678`) to E.164 (`+84912345678`). Refuses anything that is not a real number.
 */
export function normalizePhone(input: string): string {
  const raw = String(input ?? '').trim();
  const digits = raw.replace(/[^\d+]/g, '');
  if (!/\d/.test(digits) || raw.length > 40) throw new CrmError('phone.invalid', { input: raw.slice(0, 40) });
  // "84912345678" without a plus: Vietnamese users often paste the country code that way.
  const candidate = /^84\d{9,10}$/.test(digits) ? `+${digits}` : digits;
  const parsed = parsePhoneNumberFromString(candidate, 'VN');
  if (!parsed || !parsed.isValid()) throw new CrmError('phone.invalid', { input: raw.slice(0, 40) });
  return parsed.number;
}

export function tryNormalizePhone(input: string): string | undefined {
  try {
    return normalizePhone(input);
  } catch {
    return undefined;
  }
}

/** How the number is written at home: `+84912345678` → `0912 345 678`. */
export function formatPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  return parsed ? parsed.formatNational() : e164;
}
