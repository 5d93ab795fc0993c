import type { CampaignChannel } from '../../models/campaign.js';
import { smsSegments } from '../outreach/sms/segments.js';

/**
 * What the paid channels cost, in đồng. Defaults are typical list prices in 2026 (brandname SMS
 * for customer care about 800 đ a segment; a ZNS message about 300 đ); each business has its own
 * contract, so both are set by `SMS_PRICE_PER_SEGMENT_VND` and `ZALO_ZNS_PRICE_VND` (per message).
 * Email and the chat channels cost nothing per message.
 */
export const DEFAULT_PRICES = { smsPerSegment: 800, znsPerMessage: 300 } as const;

export interface OutreachPrices {
  smsPerSegment: number;
  znsPerMessage: number;
}

function price(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  // A typo in the environment should not make every estimate free or absurd: fall back, visibly in the estimate's `prices`.
  return Number.isFinite(n) && n >= 0 && n <= 100_000 ? n : fallback;
}

export function outreachPrices(env: NodeJS.ProcessEnv = process.env): OutreachPrices {
  return { smsPerSegment: price(env.SMS_PRICE_PER_SEGMENT_VND, DEFAULT_PRICES.smsPerSegment), znsPerMessage: price(env.ZALO_ZNS_PRICE_VND, DEFAULT_PRICES.znsPerMessage) };
}

export interface CostEstimate {
  /** Segments of the SMS as the sample customer would get it (names change the length a little). */
  smsSegments: number;
  smsEncoding: 'gsm7' | 'ucs2';
  sms: number;
  zns: number;
  total: number;
  prices: OutreachPrices;
}

/** The estimated cost of sending to these recipient counts, with this SMS text. */
export function estimateCost(byChannel: Partial<Record<CampaignChannel, number>>, smsText: string, prices = outreachPrices()): CostEstimate {
  const size = smsSegments(smsText);
  const sms = (byChannel.sms ?? 0) * size.segments * prices.smsPerSegment;
  const zns = (byChannel.zns ?? 0) * prices.znsPerMessage;
  return { smsSegments: size.segments, smsEncoding: size.encoding, sms, zns, total: sms + zns, prices };
}
