import { CHAT_CHANNELS, type ChatChannel } from '../../models/channels.js';
import { OUTREACH_CHANNELS, type OutreachChannel } from '../outreach/types.js';
import type { CampaignChannel } from '../../models/campaign.js';

export function isOutreachChannel(channel: string): channel is OutreachChannel {
  return (OUTREACH_CHANNELS as readonly string[]).includes(channel);
}

export function isChatChannel(channel: string): channel is ChatChannel {
  return (CHAT_CHANNELS as readonly string[]).includes(channel);
}

/**
 * A Vietnamese mobile number in E.164 (+84 then 3/5/7/8/9 and eight digits): the only numbers ZNS
 * and brandname SMS reach. Landlines and foreign numbers are stored but not written to.
 */
export const VN_MOBILE = /^\+84[35789]\d{8}$/;
/** Loose on purpose (the mail server has the last word); it only keeps obvious junk from being sent. */
const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]{2,}$/;

export interface AddressFields {
  chatIds?: Partial<Record<ChatChannel, string | null>> | null;
  phones?: string[] | null;
  email?: string | null;
}

/** Where a campaign message to this customer would go on this channel: a chat id, an email, a mobile; null if nowhere. */
export function campaignAddress(customer: AddressFields, channel: CampaignChannel): string | null {
  if (isChatChannel(channel)) return customer.chatIds?.[channel] || null;
  if (channel === 'email') return customer.email && EMAIL.test(customer.email) ? customer.email : null;
  return (customer.phones ?? []).find((p) => VN_MOBILE.test(p)) ?? null;
}

/** The customer filter "has an address on this channel" (a superset: campaignAddress decides per customer). */
export function hasAddressFilter(channel: CampaignChannel): Record<string, unknown> {
  if (isChatChannel(channel)) return { [`chatIds.${channel}`]: { $nin: [null, ''] } };
  if (channel === 'email') return { email: { $nin: [null, ''] } };
  return { phones: { $regex: VN_MOBILE.source } };
}
