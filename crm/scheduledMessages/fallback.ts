import type { Types } from 'mongoose';
import { isLang, t } from '../../i18n/index.js';
import { unreachableReason, type RecipientFields } from '../campaigns/segment.js';
import { outreachAddress } from '../outreach/address.js';
import { logOutreachSend, sendOutreachSafely } from '../outreach/sendFromCard.js';
import { getSettings } from '../settings/settings.js';
import type { OutreachChannel, OutreachSender } from '../outreach/types.js';
import type { ChannelSenders, CustomerSendOutcome, FallbackContext } from './sendToCustomer.js';

/**
 * When no chat reaches the customer, a message chot composed goes by SMS, else by email. ZNS is not
 * among them: Zalo only delivers templates it approved beforehand, with their parameters, never a
 * free text a salesperson typed or a care template the admin wrote in chot.
 */
export const FALLBACK_CHANNELS = ['sms', 'email'] as const satisfies readonly OutreachChannel[];
export type FallbackChannel = (typeof FALLBACK_CHANNELS)[number];

export interface FallbackRecipient extends RecipientFields {
  language?: string | null;
}

/** The fallback channels whose sender runs in this process. */
export function configuredFallbacks(senders: Pick<ChannelSenders, 'outreach'>): FallbackChannel[] {
  return FALLBACK_CHANNELS.filter((c) => Boolean(senders.outreach?.(c)));
}

/** The first of the configured fallback channels that reaches the customer (an address, no opt-out, not unreachable). */
export function fallbackChannel(customer: RecipientFields, configured: readonly FallbackChannel[]): FallbackChannel | undefined {
  return FALLBACK_CHANNELS.find((channel) => configured.includes(channel) && !unreachableReason(customer, channel));
}

/**
 * Sends by SMS (the sender drops the marks) or email, and logs it on the customer's history with the
 * provider's answer, as an email or SMS from the card is. A rate limit that sent nothing is left for
 * the next run, unlogged, so the history does not fill with attempts.
 */
export async function sendByFallback(
  channel: FallbackChannel,
  sender: OutreachSender,
  customer: FallbackRecipient,
  text: string,
  now: Date,
  context: FallbackContext,
): Promise<CustomerSendOutcome> {
  const address = outreachAddress(customer, channel)!;
  const lang = isLang(customer.language) ? customer.language : 'vi';
  const subject = channel === 'email' ? context.subject?.trim() || (await defaultSubject(lang)) : undefined;
  const result = await sendOutreachSafely(sender, address, { customerId: customer._id, text, subject, trackingId: context.trackingId, bulk: context.bulk ?? false, lang });
  if (!result.ok && result.reason === 'rate_limited') return { ok: false, channel, reason: 'rate_limited', detail: result.detail?.slice(0, 200), retryLater: true };
  const logged = await logOutreachSend(context.actor, customer._id, { channel, subject, text, result, trackingId: context.trackingId, now });
  const interactionId: Types.ObjectId = logged.interactionId;
  if (result.ok) return { ok: true, channel, messageIds: result.providerId ? [result.providerId] : [], interactionId };
  const reason = result.reason === 'not_configured' ? 'channel_not_configured' : result.reason;
  return { ok: false, channel, reason, detail: [result.code, result.detail].filter(Boolean).join(' ').slice(0, 200) || undefined, interactionId };
}

/** "Công ty ABC thông báo": who writes, in a few words, since a free text has no subject of its own. */
async function defaultSubject(lang: 'vi' | 'en'): Promise<string> {
  const company = (await getSettings()).companyName?.trim();
  return company ? t(lang, 'sched.email.subject', { company }) : t(lang, 'sched.email.subjectNoCompany');
}
