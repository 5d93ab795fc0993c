/**
 * SMS length rules. A message in the GSM 7-bit alphabet fits 160 characters in one segment (153
 * per segment once split); anything else (Vietnamese marks, emoji) is sent as UCS-2: 70 (67 when
 * split), counted in UTF-16 units. Gateways charge per segment, so the count is the cost.
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Characters that take two septets (an escape and the character). */
const GSM_EXTENDED = '^{}\\[~]|€\f';

export interface SmsSize {
  encoding: 'gsm7' | 'ucs2';
  /** Characters as the gateway counts them (septets for GSM, UTF-16 units for UCS-2). */
  units: number;
  segments: number;
}

export function smsSize(text: string): SmsSize {
  let septets = 0;
  for (const ch of text) {
    if (GSM_BASIC.includes(ch)) septets += 1;
    else if (GSM_EXTENDED.includes(ch)) septets += 2;
    else {
      const units = text.length;
      return { encoding: 'ucs2', units, segments: units === 0 ? 0 : units <= 70 ? 1 : Math.ceil(units / 67) };
    }
  }
  return { encoding: 'gsm7', units: septets, segments: septets === 0 ? 0 : septets <= 160 ? 1 : Math.ceil(septets / 153) };
}

/**
 * Vietnamese without diacritics, case kept ("Chào Đức" → "Chao Duc"): what brandname SMS gateways
 * accept, and it turns a 70-character UCS-2 segment into a 160-character GSM one.
 */
export function unaccented(text: string): string {
  return String(text ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFC');
}
