import { toUnaccented } from './unaccented.js';
import { smsSegments, type SmsSegments } from './segments.js';

export interface SmsVersion extends SmsSegments {
  text: string;
  costVnd: number;
}

/**
 * What an SMS would cost as written and without diacritics, side by side: the person sending
 * chooses with the price in view (brandname gateways usually require the unaccented one anyway).
 */
export function smsPreview(text: string, pricePerSegmentVnd: number): { asWritten: SmsVersion; unaccented: SmsVersion } {
  const version = (t: string): SmsVersion => {
    const s = smsSegments(t);
    return { text: t, ...s, costVnd: s.segments * pricePerSegmentVnd };
  };
  return { asWritten: version(text), unaccented: version(toUnaccented(text)) };
}
