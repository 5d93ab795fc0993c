import type { Types } from 'mongoose';
import { Campaign } from '../../models/campaign.js';
import { CampaignDelivery, type DeliveryStatus } from '../../models/campaignDelivery.js';
import { Customer } from '../../models/customer.js';
import type { ChatChannel } from '../../models/channels.js';
import { pickChannel, recipientFilter, RECIPIENT_PROJECTION, validChannels, type CampaignSegment, type RecipientFields } from './segment.js';

export interface DeliveryRecord {
  _id: Types.ObjectId;
  campaign: Types.ObjectId;
  customer: Types.ObjectId;
  channel?: ChatChannel | null;
  status: DeliveryStatus;
  reason?: string | null;
  attempts?: number | null;
  sentAt?: Date | null;
}

export interface CampaignCounters {
  targeted: number;
  sent: number;
  failed: number;
  skipped: number;
}

const RESOLVE_BATCH = 500;

/**
 * Writes one pending delivery per recipient, keyed on (campaign, customer) with `$setOnInsert`:
 * running it again after a crash adds the missing ones and changes nothing else. Returns how many
 * recipients the segment matched. The caller makes sure it runs once per campaign.
 */
export async function resolveDeliveries(campaignId: Types.ObjectId, now = new Date()): Promise<number> {
  const campaign = await Campaign.findById(campaignId).select('segment channels').lean();
  if (!campaign) return 0;
  const channels = validChannels(campaign.channels);
  const cursor = Customer.find(recipientFilter((campaign.segment ?? {}) as CampaignSegment, channels, now))
    .select(RECIPIENT_PROJECTION)
    .sort({ _id: 1 })
    .lean()
    .cursor();
  let batch: Parameters<typeof CampaignDelivery.bulkWrite>[0] = [];
  let matched = 0;
  const flush = async () => {
    if (batch.length) await CampaignDelivery.bulkWrite(batch, { ordered: false });
    batch = [];
  };
  for await (const doc of cursor) {
    const customer = doc as unknown as RecipientFields;
    const channel = pickChannel(customer, channels);
    if (!channel) continue;
    matched += 1;
    batch.push({
      updateOne: {
        filter: { campaign: campaignId, customer: customer._id },
        update: { $setOnInsert: { campaign: campaignId, customer: customer._id, channel, status: 'pending', attempts: 0 } },
        upsert: true,
      },
    });
    if (batch.length >= RESOLVE_BATCH) await flush();
  }
  await flush();
  await recomputeCounters(campaignId);
  return matched;
}

/**
 * Counters are derived from the deliveries, never incremented: whatever crashed or ran twice,
 * they say what the deliveries say. `targeted` counts every delivery, whatever its state.
 */
export async function recomputeCounters(campaignId: Types.ObjectId): Promise<CampaignCounters> {
  const rows = await CampaignDelivery.aggregate<{ _id: DeliveryStatus; n: number }>([
    { $match: { campaign: campaignId } },
    { $group: { _id: '$status', n: { $sum: 1 } } },
  ]);
  const by = Object.fromEntries(rows.map((r) => [r._id, r.n])) as Partial<Record<DeliveryStatus, number>>;
  const counters: CampaignCounters = {
    targeted: rows.reduce((sum, r) => sum + r.n, 0),
    sent: by.sent ?? 0,
    failed: by.failed ?? 0,
    skipped: by.skipped ?? 0,
  };
  await Campaign.updateOne({ _id: campaignId }, { $set: { counters } });
  return counters;
}

export interface DeliveryReport {
  counters: CampaignCounters;
  pending: number;
  sending: number;
  /** For failed and skipped deliveries: how many for each reason (blocked, quota, opted_out…). */
  reasons: { status: DeliveryStatus; reason: string; count: number }[];
}

/** The campaign's figures with the reasons behind failures and skips, for the admin panel. */
export async function campaignReport(campaignId: Types.ObjectId): Promise<DeliveryReport> {
  const rows = await CampaignDelivery.aggregate<{ _id: { status: DeliveryStatus; reason?: string | null }; n: number }>([
    { $match: { campaign: campaignId } },
    { $group: { _id: { status: '$status', reason: '$reason' }, n: { $sum: 1 } } },
  ]);
  const count = (status: DeliveryStatus) => rows.filter((r) => r._id.status === status).reduce((sum, r) => sum + r.n, 0);
  return {
    counters: {
      targeted: rows.reduce((sum, r) => sum + r.n, 0),
      sent: count('sent'),
      failed: count('failed'),
      skipped: count('skipped'),
    },
    pending: count('pending'),
    sending: count('sending'),
    reasons: rows
      .filter((r) => r._id.status === 'failed' || r._id.status === 'skipped')
      .map((r) => ({ status: r._id.status, reason: r._id.reason ?? 'unknown', count: r.n }))
      .sort((a, b) => b.count - a.count),
  };
}

/**
 * Takes the next pending delivery for sending, in one atomic update. Whoever gets it owns the
 * send; a delivery is claimed before the platform call, so a crash can never lead to a second send.
 */
export async function claimNextDelivery(campaignId: Types.ObjectId): Promise<DeliveryRecord | null> {
  return (await CampaignDelivery.findOneAndUpdate(
    { campaign: campaignId, status: 'pending' },
    { $set: { status: 'sending' }, $inc: { attempts: 1 } },
    { sort: { _id: 1 }, returnDocument: 'after', lean: true },
  )) as DeliveryRecord | null;
}

export type DeliveryOutcome = { status: 'sent' } | { status: 'failed' | 'skipped'; reason: string };

/** Records how a claimed send ended. Only a delivery still in `sending` is changed. */
export async function finishDelivery(id: Types.ObjectId, outcome: DeliveryOutcome, now = new Date()): Promise<boolean> {
  const $set: Record<string, unknown> = { status: outcome.status };
  if (outcome.status === 'sent') $set.sentAt = now;
  const update = outcome.status === 'sent' ? { $set, $unset: { reason: 1 } } : { $set: { ...$set, reason: outcome.reason.slice(0, 500) } };
  const res = await CampaignDelivery.updateOne({ _id: id, status: 'sending' }, update);
  return res.modifiedCount === 1;
}

/** Gives a claimed delivery back: the platform refused before sending (rate limit), so it is retried later. */
export async function releaseDelivery(id: Types.ObjectId): Promise<void> {
  await CampaignDelivery.updateOne({ _id: id, status: 'sending' }, { $set: { status: 'pending' } });
}

/**
 * Deliveries left in `sending` by a process that died mid-send. Nobody can know whether the
 * platform got the message, so they are failed with reason `interrupted`, never sent again:
 * at most once, as promised to the customer. Only the one runner of a campaign calls this.
 */
export async function failInterruptedDeliveries(campaignId: Types.ObjectId): Promise<number> {
  const res = await CampaignDelivery.updateMany({ campaign: campaignId, status: 'sending' }, { $set: { status: 'failed', reason: 'interrupted' } });
  return res.modifiedCount;
}

export async function hasUnfinishedDeliveries(campaignId: Types.ObjectId): Promise<boolean> {
  return (await CampaignDelivery.exists({ campaign: campaignId, status: { $in: ['pending', 'sending'] } })) !== null;
}
