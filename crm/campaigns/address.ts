import { isChatChannel, type ChatChannel } from '../../models/channels.js';
import { OUTREACH_CHANNELS, type OutreachChannel } from '../outreach/types.js';
import type { CampaignChannel } from '../../models/campaign.js';
import { outreachAddress } from '../outreach/address.js';

export function isOutreachChannel(channel: string): channel is OutreachChannel {
  return (OUTREACH_CHANNELS as readonly string[]).includes(channel);
}

/**
 * Numbers that may be Vietnamese mobiles (+84 then 3/5/7/8/9 and eight digits), for the database
 * filter only: outreachAddress decides per customer, so this may match more, never less.
 */
const MAYBE_VN_MOBILE = '^\\+84[35789]\\d{8}$';

export interface AddressFields {
  chatIds?: Partial<Record<ChatChannel, string | null>> | null;
  phones?: string[] | null;
  email?: string | null;
}

/** Where a campaign message to this customer would go on this channel: a chat id, an email, a mobile; null if nowhere. */
export function campaignAddress(customer: AddressFields, channel: CampaignChannel): string | null {
  return isChatChannel(channel) ? customer.chatIds?.[channel] || null : outreachAddress(customer, channel);
}

/** The customer filter "has an address on this channel" (a superset: campaignAddress decides per customer). */
export function hasAddressFilter(channel: CampaignChannel): Record<string, unknown> {
  if (isChatChannel(channel)) return { [`chatIds.${channel}`]: { $nin: [null, ''] } };
  if (channel === 'email') return { email: { $nin: [null, ''] } };
  return { phones: { $regex: MAYBE_VN_MOBILE } };
}
