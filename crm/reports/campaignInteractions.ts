import type { Types } from 'mongoose';
import { CampaignDelivery } from '../../models/campaignDelivery.js';
import { seesAllCustomers, type Actor } from '../users/actor.js';
import type { Period } from './period.js';

/**
 * Campaign messages that count as interactions, as Getfly counts them: an SMS or ZNS the provider
 * delivered (accepted, unless a receipt said it failed) and an email the customer opened. Each
 * delivery counts once, for the customer's owner when the campaign was resolved. Campaign sends
 * write no Interaction documents, so adding these to the logged ones counts nothing twice; a chat
 * message or an unopened email does not count (nobody can tell it was read).
 */
export type CampaignInteractionKind = 'campaign_sms' | 'campaign_zns' | 'campaign_email_opened';

function qualifying(period: Period): Record<string, unknown> {
  const range = { $gte: period.from, $lte: period.to };
  return {
    $or: [
      { channel: { $in: ['sms', 'zns'] }, status: 'sent', receipt: { $ne: 'failed' }, sentAt: range },
      { channel: 'email', status: 'sent', openedAt: range },
    ],
  };
}

function scope(actor: Actor): Record<string, unknown> {
  return seesAllCustomers(actor) ? {} : { owner: (actor as { id: Types.ObjectId }).id };
}

/** How many campaign deliveries of the period count as interactions: one owner's, or (null) everyone's. */
export async function campaignInteractionCount(owner: Types.ObjectId | null, period: Period): Promise<number> {
  return CampaignDelivery.countDocuments({ ...(owner ? { owner } : {}), ...qualifying(period) });
}

/** The same, per owner and kind, for the per-salesperson activity report. */
export async function campaignInteractionsByOwner(actor: Actor, period: Period): Promise<{ owner: Types.ObjectId; kind: CampaignInteractionKind; count: number }[]> {
  const rows = await CampaignDelivery.aggregate<{ _id: { owner: Types.ObjectId; channel: string }; n: number }>([
    { $match: { owner: { $ne: null }, ...scope(actor), ...qualifying(period) } },
    { $group: { _id: { owner: '$owner', channel: '$channel' }, n: { $sum: 1 } } },
  ]);
  return rows.map((r) => ({ owner: r._id.owner, kind: r._id.channel === 'email' ? 'campaign_email_opened' : (`campaign_${r._id.channel}` as CampaignInteractionKind), count: r.n }));
}
