import { vietnameseMobile } from '../address.js';
import type { OutreachMessage, OutreachResult, OutreachSender } from '../types.js';
import { smsSegments } from './segments.js';
import type { SmsProvider } from './providers.js';
import { toUnaccented } from './unaccented.js';

/** Past this many parts a message is refused rather than billed as a small letter (gateways cap around 4-6). */
export const SMS_MAX_SEGMENTS = 4;

/**
 * SMS to a Vietnamese mobile through one gateway. The text goes without diacritics (brandname
 * SMS usually requires it, and it is 2-3 times cheaper), so what the preview showed is what is sent
 * and billed: the cost is the parts of that text times the price per part.
 */
export class SmsSender implements OutreachSender {
  readonly channel = 'sms' as const;

  constructor(private readonly opts: { provider: SmsProvider; pricePerSegmentVnd: number }) {}

  get pricePerSegmentVnd(): number {
    return this.opts.pricePerSegmentVnd;
  }

  async send(address: string, message: OutreachMessage): Promise<OutreachResult> {
    const mobile = vietnameseMobile([address]);
    if (!mobile) return { ok: false, reason: 'invalid_address', detail: 'not a Vietnamese mobile number' };
    const text = toUnaccented(message.text).trim();
    const { segments } = smsSegments(text);
    if (segments === 0) return { ok: false, reason: 'refused', code: 'empty', detail: 'empty SMS' };
    if (segments > SMS_MAX_SEGMENTS) return { ok: false, reason: 'refused', code: 'too_long', detail: `SMS of ${segments} parts (at most ${SMS_MAX_SEGMENTS})` };
    const result = await this.opts.provider.send({ phone: mobile.slice(1), text, reference: message.trackingId });
    if (!result.ok) return result;
    return { ...result, costVnd: result.costVnd ?? segments * this.opts.pricePerSegmentVnd };
  }
}
