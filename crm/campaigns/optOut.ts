import type { Types } from 'mongoose';
import type { ChatChannel } from '../../models/channels.js';
import { setOptOut } from '../customers/customers.js';
import { foldVietnamese } from '../customers/searchText.js';
import { skipPendingDeliveries } from './deliveries.js';

/** Replies a customer sends to stop campaigns: `/stop`, `stop`, `Hủy`/`Huỷ` (with or without marks). */
const STOP_WORDS = new Set(['/stop', 'stop', 'huy', '/huy', 'huy dang ky', 'unsubscribe']);

export function isOptOutReply(text: string | null | undefined): boolean {
  if (!text) return false;
  return STOP_WORDS.has(foldVietnamese(text).trim().replace(/[.!\s]+$/, '').replace(/\s+/g, ' '));
}

/**
 * A customer asked to stop campaign messages on this channel. From now on no campaign writes to
 * them there: the flag keeps them out of every future segment, and their deliveries still waiting
 * in running campaigns are skipped at once ("opted_out"), with those campaigns' counters updated.
 */
export async function optOutFromCampaigns(customerId: Types.ObjectId, channel: ChatChannel): Promise<{ skipped: number }> {
  await setOptOut(customerId, channel, true);
  return skipPendingDeliveries(customerId, channel);
}

/** The customer asked to receive campaigns again on this channel. */
export async function optInToCampaigns(customerId: Types.ObjectId, channel: ChatChannel): Promise<void> {
  await setOptOut(customerId, channel, false);
}
