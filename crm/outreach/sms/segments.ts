/** The GSM 03.38 default alphabet (one septet each). */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** The extension table: each costs two septets (an escape, then the character). */
const GSM_EXTENDED = new Set('^{}\\[~]|€\f');

export interface SmsSegments {
  /** GSM-7 when every character is in the GSM alphabet; otherwise UCS-2 (Vietnamese with marks). */
  encoding: 'gsm7' | 'ucs2';
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
  /** Units that fit in one part: 160/70 for a single message, 153/67 per part once split. */
  perSegment: number;
}

/**
 * How many SMS parts a text takes. A single message holds 160 GSM-7 characters or 70 UCS-2 ones;
 * a longer one is split into parts of 153 or 67, the rest of each part carrying the header that
 * joins them. One Vietnamese letter with a mark makes the whole text UCS-2.
 */
export function smsSegments(text: string): SmsSegments {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (GSM_BASIC.has(ch)) septets += 1;
    else if (GSM_EXTENDED.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  const [encoding, units, single, multi] = gsm ? (['gsm7', septets, 160, 153] as const) : (['ucs2', text.length, 70, 67] as const);
  if (units === 0) return { encoding, units, segments: 0, perSegment: single };
  if (units <= single) return { encoding, units, segments: 1, perSegment: single };
  return { encoding, units, segments: Math.ceil(units / multi), perSegment: multi };
}

/** The cost of sending a text once: parts × the gateway's price per part. */
export function smsCostVnd(text: string, pricePerSegmentVnd: number): number {
  return smsSegments(text).segments * pricePerSegmentVnd;
}
