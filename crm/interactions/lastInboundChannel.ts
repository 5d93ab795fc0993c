import { Interaction } from '../../models/interaction.js';
import { CHAT_CHANNELS, type ChatChannel } from '../../models/channels.js';
import { toObjectId } from '../shared/ids.js';

/**
 * The chat channel a customer last wrote on: a reply from the team goes back there, the
 * conversation the customer is actually having, rather than the first channel on record.
 */
export async function lastInboundChannel(customerId: unknown): Promise<ChatChannel | undefined> {
  const last = await Interaction.findOne({ customer: toObjectId(customerId, 'notFound.customer'), type: 'message_in', channel: { $in: CHAT_CHANNELS } })
    .sort({ occurredAt: -1 })
    .select('channel')
    .lean();
  return (last?.channel as ChatChannel | undefined) ?? undefined;
}
