import type { Types } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { Campaign } from '../../models/campaign.js';
import { CampaignDelivery, type DeliveryStatus } from '../../models/campaignDelivery.js';
import { Customer } from '../../models/customer.js';
import { CAMPAIGN_CHANNELS, type CampaignChannel } from '../../models/campaign.js';
import { pickChannel, recipientFilter, RECIPIENT_PROJECTION, validChannels, type CampaignSegment, type RecipientFields } from './segment.js';

export interface DeliveryRecord {
  _id: Types.ObjectId;
  campaign: Types.ObjectId;
  customer: Types.ObjectId;
  channel?: CampaignChannel | null;
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
        update: { $setOnInsert: { campaign: campaignId, customer: customer._id, channel, owner: customer.owner ?? undefined, status: 'pending', attempts: 0 } },
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

/**
 * One channel's figures. `sent` is accepted by the platform or provider; `delivered` is sent
 * minus those a delivery receipt later reported failed (a provider without receipts: the same as
 * sent); `opened` counts emails whose tracking pixel loaded (only when open tracking is on).
 */
export interface ChannelReport {
  channel: CampaignChannel;
  targeted: number;
  sent: number;
  delivered: number;
  failed: number;
  skipped: number;
  opened: number;
  costVnd: number;
}

export interface DeliveryReport {
  counters: CampaignCounters;
  pending: number;
  sending: number;
  byChannel: ChannelReport[];
  /** For failed and skipped deliveries: how many for each reason (blocked, quota, opted_out…). */
  reasons: { status: DeliveryStatus; reason: string; count: number }[];
}

/** The campaign's figures with the reasons behind failures and skips, for the admin panel. */
export async function campaignReport(campaignId: Types.ObjectId): Promise<DeliveryReport> {
  const [rows, channelRows] = await Promise.all([
    CampaignDelivery.aggregate<{ _id: { status: DeliveryStatus; reason?: string | null }; n: number }>([
      { $match: { campaign: campaignId } },
      { $group: { _id: { status: '$status', reason: '$reason' }, n: { $sum: 1 } } },
    ]),
    channelReport(campaignId),
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
    byChannel: channelRows,
    reasons: rows
      .filter((r) => r._id.status === 'failed' || r._id.status === 'skipped')
      .map((r) => ({ status: r._id.status, reason: r._id.reason ?? 'unknown', count: r.n }))
      .sort((a, b) => b.count - a.count),
  };
}

async function channelReport(campaignId: Types.ObjectId): Promise<ChannelReport[]> {
  const [rows, opens] = await Promise.all([
    CampaignDelivery.aggregate<{ _id: { channel: CampaignChannel; status: DeliveryStatus; receipt?: string | null }; n: number; cost: number }>([
      { $match: { campaign: campaignId } },
      { $group: { _id: { channel: '$channel', status: '$status', receipt: '$receipt' }, n: { $sum: 1 }, cost: { $sum: { $ifNull: ['$costVnd', 0] } } } },
    ]),
    // Opens by a match rather than an expression on a missing date: the same on MongoDB and the embedded server.
    CampaignDelivery.aggregate<{ _id: CampaignChannel; n: number }>([
      { $match: { campaign: campaignId, status: 'sent', openedAt: { $ne: null } } },
      { $group: { _id: '$channel', n: { $sum: 1 } } },
    ]),
  ]);
  const by = new Map<CampaignChannel, ChannelReport>();
  for (const { _id, n, cost } of rows) {
    const r = by.get(_id.channel) ?? { channel: _id.channel, targeted: 0, sent: 0, delivered: 0, failed: 0, skipped: 0, opened: 0, costVnd: 0 };
    r.targeted += n;
    r.costVnd += cost;
    if (_id.status === 'sent') r.sent += n;
    if (_id.status === 'sent' && _id.receipt !== 'failed') r.delivered += n;
    if (_id.status === 'failed' || (_id.status === 'sent' && _id.receipt === 'failed')) r.failed += n;
    if (_id.status === 'skipped') r.skipped += n;
    by.set(_id.channel, r);
  }
  for (const { _id, n } of opens) if (by.has(_id)) by.get(_id)!.opened = n;
  // In the order channels are listed everywhere else, not the order the database grouped them.
  return CAMPAIGN_CHANNELS.filter((c) => by.has(c)).map((c) => by.get(c)!);
}

/** The next `limit` pending deliveries in sending order, to be claimed with claimDeliveries. */
export async function nextPendingDeliveries(campaignId: Types.ObjectId, limit: number): Promise<DeliveryRecord[]> {
  const next = nextDeliveryQuery(campaignId);
  return (await CampaignDelivery.find(next.filter).sort(next.sort).limit(limit).lean()) as DeliveryRecord[];
}

/**
 * Takes the given pending deliveries for sending at once: one database command for the whole
 * batch (two with nextPendingDeliveries) instead of one per message. As with a single claim,
 * whoever claimed a delivery owns its send, and the claim is written before any platform call. The
 * random token makes the answer exact even if another claimer raced for the same ids: only the
 * deliveries this call moved to `sending` come back (a third command, only after such a race).
 */
export async function claimDeliveries(pending: DeliveryRecord[]): Promise<DeliveryRecord[]> {
  if (!pending.length) return [];
  const ids = pending.map((d) => d._id);
  const claim = randomBytes(12).toString('hex');
  const res = await CampaignDelivery.updateMany({ _id: { $in: ids }, status: 'pending' }, { $set: { status: 'sending', claim }, $inc: { attempts: 1 } });
  // Won them all (one runner per campaign: the usual case): what was read is what was claimed.
  if (res.modifiedCount === ids.length) return pending.map((d) => ({ ...d, status: 'sending', attempts: (d.attempts ?? 0) + 1 }));
  return (await CampaignDelivery.find({ _id: { $in: ids }, claim, status: 'sending' }).sort({ _id: 1 }).lean()) as DeliveryRecord[];
}

/**
 * Gives back claimed deliveries that were never handed to the platform (the run stopped first):
 * pending again, their claim not counted as an attempt. If the campaign was cancelled meanwhile,
 * they are skipped as cancelling would have done: the status is read after the release, and
 * cancelCampaign sets the status before skipping what is pending, so neither order leaves one pending.
 */
export async function returnUnsentDeliveries(campaignId: Types.ObjectId, ids: Types.ObjectId[]): Promise<void> {
  if (!ids.length) return;
  await CampaignDelivery.updateMany({ _id: { $in: ids }, status: 'sending' }, { $set: { status: 'pending' }, $inc: { attempts: -1 } });
  const campaign = await Campaign.findById(campaignId).select('status').lean();
  if (campaign?.status === 'cancelled') {
    await CampaignDelivery.updateMany({ _id: { $in: ids }, status: 'pending' }, { $set: { status: 'skipped', reason: 'cancelled' } });
  }
}

/** Which delivery a campaign sends next: the oldest pending one (index `{campaign, status, _id}`). */
export function nextDeliveryQuery(campaignId: Types.ObjectId) {
  return { filter: { campaign: campaignId, status: 'pending' }, sort: { _id: 1 } } as const;
}

/** A customer's deliveries still waiting, on one channel or all (index `{customer, status}`): what an opt-out skips. */
export function pendingDeliveriesOf(customerId: Types.ObjectId, channel?: string): Record<string, unknown> {
  return { customer: customerId, ...(channel ? { channel } : {}), status: 'pending' };
}

/**
 * An opt-out's effect on running campaigns: the customer's deliveries still waiting (on one channel
 * or all) are skipped at once (`opted_out`), and those campaigns' counters updated.
 */
export async function skipPendingDeliveries(customerId: Types.ObjectId, channel?: string): Promise<{ skipped: number }> {
  const waiting = await CampaignDelivery.find(pendingDeliveriesOf(customerId, channel)).select('campaign').lean();
  if (!waiting.length) return { skipped: 0 };
  const res = await CampaignDelivery.updateMany(pendingDeliveriesOf(customerId, channel), { $set: { status: 'skipped', reason: 'opted_out' } });
  for (const campaign of new Set(waiting.map((d) => String(d.campaign)))) {
    await recomputeCounters(waiting.find((d) => String(d.campaign) === campaign)!.campaign as Types.ObjectId);
  }
  return { skipped: res.modifiedCount };
}

/** What an outreach send adds to its record: where it went, and what the provider said. */
export interface OutreachTrace {
  address?: string;
  trackingId?: string;
  providerId?: string;
  providerCode?: string;
  costVnd?: number;
}

export type DeliveryOutcome = ({ status: 'sent' } | { status: 'failed' | 'skipped'; reason: string }) & { trace?: OutreachTrace };

/** Records how a claimed send ended. Only a delivery still in `sending` is changed. */
export async function finishDelivery(id: Types.ObjectId, outcome: DeliveryOutcome, now = new Date()): Promise<boolean> {
  const res = await CampaignDelivery.updateOne({ _id: id, status: 'sending' }, outcomeUpdate(outcome, now));
  return res.modifiedCount === 1;
}

export interface FinishedDelivery {
  id: Types.ObjectId;
  outcome: DeliveryOutcome;
  at: Date;
}

/** finishDelivery for many sends in one command (the campaign runner records its outcomes in batches). */
export async function finishDeliveries(finished: FinishedDelivery[]): Promise<number> {
  if (!finished.length) return 0;
  const res = await CampaignDelivery.bulkWrite(
    finished.map(({ id, outcome, at }) => ({ updateOne: { filter: { _id: id, status: 'sending' }, update: outcomeUpdate(outcome, at) } })),
    { ordered: false },
  );
  return res.modifiedCount;
}

function outcomeUpdate(outcome: DeliveryOutcome, now: Date) {
  const trace = Object.fromEntries(Object.entries(outcome.trace ?? {}).filter(([, v]) => v !== undefined && v !== ''));
  const $set: Record<string, unknown> = { status: outcome.status, ...trace };
  if (outcome.status === 'sent') $set.sentAt = now;
  return outcome.status === 'sent' ? { $set, $unset: { reason: 1 } } : { $set: { ...$set, reason: outcome.reason.slice(0, 500) } };
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
