import type { Types } from 'mongoose';
import { Campaign, type CampaignStatus } from '../../models/campaign.js';
import type { ChatChannel } from '../../models/channels.js';
import type { OutreachChannel, OutreachResult } from '../../crm/outreach/types.js';
import { campaignAddress, isOutreachChannel } from '../../crm/campaigns/address.js';
import { outreachMessage, type OutreachContent } from '../../crm/campaigns/outreachContent.js';
import { deliveryTrackingId } from '../../crm/campaigns/deliveryEvents.js';
import {
  failInterruptedDeliveries,
  hasUnfinishedDeliveries,
  recomputeCounters,
  releaseDelivery,
  resolveDeliveries,
  returnUnsentDeliveries,
  type DeliveryOutcome,
  type DeliveryRecord,
} from '../../crm/campaigns/deliveries.js';
import { completeCampaign, startDueCampaigns } from '../../crm/campaigns/lifecycle.js';
import { ownerNameOf, unreachableReason, type RecipientFields } from '../../crm/campaigns/segment.js';
import { CAMPAIGN_TEXT_MAX, renderTemplate } from '../../crm/campaigns/template.js';
import { markUnreachable } from '../../crm/customers/customers.js';
import { getSettings } from '../../crm/settings/settings.js';
import { t, type Lang } from '../../i18n/index.js';
import type { SendResult } from '../../bot/core/types.js';
import { hasMark, setMark } from '../onceMarks.js';
import type { JobDeps, KeepAlive } from '../types.js';
import { Pacers, realTiming, type PacerTiming } from './pacer.js';
import { acquireLease, releaseLease } from './lease.js';
import { DeliveryQueue, OutcomeLog, type ReadyDelivery } from './deliveryQueue.js';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { getMaxListeners, setMaxListeners } from 'node:events';

/** Deliveries claimed at once, a batch ahead of the sends: one claim's round trips per 15 messages. */
export const CLAIM_BATCH = 15;

export interface CampaignRunOptions {
  /** Sends in flight at once; the pacer, not this, sets the rate. Enough to hide network latency on a busy event loop. */
  lanes?: number;
  /** Deliveries claimed in one go (and how far the claims run ahead of the sends). */
  claimBatch?: number;
  /** How often the campaign's status is read again: the delay before pause or cancel takes effect. */
  statusCheckMs?: number;
  /** A run returns after this long (the next occurrence of the job continues), so a lock is never held for hours. */
  sliceMs?: number;
  /** A delivery refused with 429 this many times is given up as failed (`rate_limited`). */
  maxAttempts?: number;
  pacers?: Pacers;
  timing?: PacerTiming;
  /** How long a campaign stays with this runner without renewal (after a crash, the wait before another takes over). Renewed every third of it. */
  leaseMs?: number;
}

export type StopReason = 'done' | 'paused' | 'cancelled' | 'completed' | 'gone' | 'slice' | 'shutdown' | 'busy' | 'lease_lost';

export interface RunSummary {
  campaignId: Types.ObjectId;
  stoppedBecause: StopReason;
  interrupted: number;
  counters: { targeted: number; sent: number; failed: number; skipped: number };
}

type RunnerDeps = Pick<JobDeps, 'clock' | 'notifier' | 'logger' | 'signal'>;

/** How often outcomes are written, the counters refreshed and Agenda told the job is alive. */
const HOUSEKEEPING_MS = 250;

/**
 * Sends campaigns. One runner at a time works on a campaign: the Agenda lock of the `campaign
 * sending` job, and a lease per campaign in the database for when that lock is not enough. Holding
 * the lease is what lets a run start by failing the deliveries a dead process left in `sending`
 * (see failInterruptedDeliveries: at most once, never twice).
 *
 * Deliveries are claimed (`pending → sending`, atomic) a small batch at a time with their customers,
 * ahead of the sends (DeliveryQueue); each lane takes the next one, checks the customer again (opted
 * out since resolution?), waits for its pacing slot, sends, and logs the outcome, which is written
 * in bulk a few times a second (OutcomeLog). No database round trip stands between two sends.
 */
export class CampaignRunner {
  private readonly pacers: Pacers;
  private readonly timing: PacerTiming;
  private readonly lanes: number;
  private readonly claimBatch: number;
  private readonly statusCheckMs: number;
  private readonly sliceMs: number;
  private readonly maxAttempts: number;
  private readonly leaseMs: number;
  /** Who holds a campaign's lease: unique per runner, readable in the database. */
  private readonly holder = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  constructor(
    private readonly deps: RunnerDeps,
    opts: CampaignRunOptions = {},
  ) {
    this.timing = opts.timing ?? realTiming;
    this.pacers = opts.pacers ?? new Pacers({}, this.timing);
    this.lanes = opts.lanes ?? 12;
    this.claimBatch = opts.claimBatch ?? CLAIM_BATCH;
    this.statusCheckMs = opts.statusCheckMs ?? 500;
    this.sliceMs = opts.sliceMs ?? 4 * 60_000;
    this.maxAttempts = opts.maxAttempts ?? 8;
    this.leaseMs = opts.leaseMs ?? 10_000;
    // Every lane waiting on its pacing slot listens for shutdown on the same signal; more than
    // Node's default of 10 listeners is expected here, not a leak.
    setMaxListeners(Math.max(getMaxListeners(deps.signal), 2 * this.lanes + 10), deps.signal);
  }

  /** One occurrence of the job: start scheduled campaigns whose time came, then send the running ones. */
  async runDue(keepAlive: KeepAlive = async () => {}): Promise<RunSummary[]> {
    await startDueCampaigns(this.deps.clock.now());
    const running = await Campaign.find({ status: 'running' }).select('_id').sort({ startedAt: 1, _id: 1 }).lean();
    const summaries: RunSummary[] = [];
    const sliceEnd = this.timing.now() + this.sliceMs;
    for (const { _id } of running) {
      if (this.deps.signal.aborted || this.timing.now() >= sliceEnd) break;
      summaries.push(await this.run(_id, keepAlive, sliceEnd));
    }
    return summaries;
  }

  async run(campaignId: Types.ObjectId, keepAlive: KeepAlive = async () => {}, sliceEnd = this.timing.now() + this.sliceMs): Promise<RunSummary> {
    const campaign = await Campaign.findById(campaignId).select('template outreach status').lean();
    if (!campaign || campaign.status !== 'running') {
      return { campaignId, stoppedBecause: campaign ? (campaign.status as StopReason) : 'gone', interrupted: 0, counters: await recomputeCounters(campaignId) };
    }
    const leaseKey = `campaign-sending:${campaignId}`;
    if (!(await acquireLease(leaseKey, this.holder, this.deps.clock.now(), this.leaseMs))) {
      return { campaignId, stoppedBecause: 'busy', interrupted: 0, counters: await recomputeCounters(campaignId) };
    }
    // Renewed on a timer, not per send: a send waiting out a long retry_after must not lose it.
    let lost = false;
    const renew = setInterval(() => {
      // A worker shutting down lets the lease lapse rather than hold it past its own life.
      if (this.deps.signal.aborted) return;
      acquireLease(leaseKey, this.holder, this.deps.clock.now(), this.leaseMs).then(
        (held) => (lost ||= !held),
        (err) => this.deps.logger.warn({ err, campaignId: String(campaignId) }, 'campaign lease renewal failed'),
      );
    }, this.leaseMs / 3);
    renew.unref();
    try {
      return await this.runLeased(campaignId, { template: campaign.template, outreach: campaign.outreach as OutreachContent | null }, () => lost, keepAlive, sliceEnd);
    } finally {
      clearInterval(renew);
      await releaseLease(leaseKey, this.holder);
    }
  }

  private async runLeased(campaignId: Types.ObjectId, content: CampaignContent, leaseLost: () => boolean, keepAlive: KeepAlive, sliceEnd: number): Promise<RunSummary> {
    // Resolution runs to the end before the mark is set: a crash in between just resolves again (idempotent upserts).
    const resolvedKey = `campaign-resolved:${campaignId}`;
    if (!(await hasMark(resolvedKey))) {
      const matched = await resolveDeliveries(campaignId, this.deps.clock.now());
      await setMark(resolvedKey, this.deps.clock.now());
      this.deps.logger.info({ campaignId: String(campaignId), matched }, 'campaign recipients resolved');
    }
    const interrupted = await failInterruptedDeliveries(campaignId);
    if (interrupted) this.deps.logger.warn({ campaignId: String(campaignId), interrupted }, 'deliveries interrupted by a crash marked failed (never resent)');
    await recomputeCounters(campaignId);

    const { defaultLanguage, companyName } = await getSettings();
    const ctx: RunContext = {
      campaignId,
      template: content.template,
      outreach: content.outreach,
      defaultLanguage: (defaultLanguage as Lang) ?? 'vi',
      owners: new Map(),
      companyName: companyName ?? '',
      stop: null,
      sliceEnd,
      status: new StatusWatcher(campaignId, this.statusCheckMs, this.timing),
      leaseLost,
      queue: new DeliveryQueue(campaignId, this.claimBatch),
      outcomes: new OutcomeLog(this.claimBatch, (err) => this.deps.logger.warn({ err, campaignId: String(campaignId) }, 'campaign outcomes not written (left in sending: failed as interrupted by the next run)')),
    };
    const refreshCounters = throttle(() => recomputeCounters(campaignId).then(() => undefined), 2_000, this.timing);
    const alive = throttle(keepAlive, 30_000, this.timing);
    // Off the lanes: the bookkeeping's round trips never delay a send.
    const housekeeping = singleFlight(async () => {
      await ctx.outcomes.flush();
      await refreshCounters();
      await alive();
    }, (err) => this.deps.logger.warn({ err, campaignId: String(campaignId) }, 'campaign housekeeping failed'));
    const timer = setInterval(housekeeping, HOUSEKEEPING_MS);
    timer.unref();
    try {
      const lanes = await Promise.allSettled(Array.from({ length: this.lanes }, () => this.lane(ctx).catch((err) => {
        ctx.stop ??= 'shutdown';
        throw err;
      })));
      const failed = lanes.find((l) => l.status === 'rejected');
      if (failed) throw failed.reason;
    } finally {
      clearInterval(timer);
      await ctx.outcomes.flush();
      await returnUnsentDeliveries(campaignId, await ctx.queue.drain());
    }

    const counters = await recomputeCounters(campaignId);
    let stoppedBecause: StopReason = ctx.stop ?? 'done';
    if (!ctx.stop && !(await hasUnfinishedDeliveries(campaignId))) {
      // Nothing left may also mean it was cancelled (pending deliveries skipped) while we sent the last ones.
      const completed = await completeCampaign(campaignId, this.deps.clock.now());
      stoppedBecause = completed ? 'completed' : (((await Campaign.findById(campaignId).select('status').lean())?.status ?? 'gone') as StopReason);
    }
    return { campaignId, stoppedBecause, interrupted, counters };
  }

  private async lane(ctx: RunContext): Promise<void> {
    while (!ctx.stop) {
      if (this.deps.signal.aborted) return void (ctx.stop ??= 'shutdown');
      if (this.timing.now() >= ctx.sliceEnd) return void (ctx.stop ??= 'slice');
      if (ctx.leaseLost()) return void (ctx.stop ??= 'lease_lost');
      const status = ctx.status.current();
      if (status !== 'running') return void (ctx.stop ??= (status ?? 'gone') as StopReason);
      const item = await ctx.queue.next();
      if (!item) return;
      await this.deliver(ctx, item);
    }
  }

  private async deliver(ctx: RunContext, item: ReadyDelivery): Promise<void> {
    const { delivery, customer } = item;
    const now = this.deps.clock.now();
    const reason = unreachableReason(customer, delivery.channel!);
    if (reason) return ctx.outcomes.add(delivery._id, { status: 'skipped', reason }, now);
    if (isOutreachChannel(delivery.channel!)) return this.deliverOutreach(ctx, item, customer!, delivery.channel);
    const channel = delivery.channel as ChatChannel;
    const sender = this.deps.notifier.sender(channel);
    if (!sender) return ctx.outcomes.add(delivery._id, { status: 'skipped', reason: 'channel_not_configured' }, now);

    const lang = (customer!.language as Lang) ?? ctx.defaultLanguage;
    const footer = t(lang, 'jobs.campaign.footer');
    const body = renderTemplate(ctx.template, customer!, await this.ownerName(ctx, customer!.owner), CAMPAIGN_TEXT_MAX - footer.length - 2);
    const chatId = customer!.chatIds![channel]!;
    const pacer = this.pacers.for(channel);
    if (!(await pacer.acquire(chatId, this.deps.signal))) {
      // Shutting down before the send: nothing went out, so the delivery goes back with the unsent ones.
      return ctx.queue.putBack(item);
    }
    let result: SendResult;
    try {
      result = await sender.send(chatId, [{ text: `${body}\n\n${footer}` }], { atMostOnce: true });
    } catch (err) {
      result = { ok: false, reason: 'error', detail: err instanceof Error ? err.message : String(err) };
    }
    await this.record(ctx, delivery, customer!._id, channel, result);
  }

  private async record(ctx: RunContext, delivery: DeliveryRecord, customerId: Types.ObjectId, channel: ChatChannel, result: SendResult): Promise<void> {
    const now = this.deps.clock.now();
    if (result.ok) return ctx.outcomes.add(delivery._id, { status: 'sent' }, now);
    let outcome: DeliveryOutcome;
    switch (result.reason) {
      case 'rate_limited':
        // Refused before delivery: safe to send again later, after the wait the platform asked for.
        this.pacers.for(channel).backOff(result.retryAfterSeconds ?? 1);
        if ((delivery.attempts ?? 1) < this.maxAttempts) return this.retryLater(ctx, delivery._id);
        outcome = { status: 'failed', reason: 'rate_limited' };
        break;
      case 'blocked':
        await markUnreachable(customerId, channel);
        outcome = { status: 'failed', reason: 'blocked' };
        break;
      case 'quota':
        outcome = { status: 'failed', reason: withDetail('quota', result.detail) };
        break;
      case 'not_configured':
        outcome = { status: 'skipped', reason: 'channel_not_configured' };
        break;
      default:
        // Unknown whether it arrived (timeout, 5xx): not retried, at most once.
        outcome = { status: 'failed', reason: withDetail('error', result.detail) };
    }
    if (outcome.status === 'failed') this.deps.logger.warn({ campaignId: String(delivery.campaign), channel, reason: outcome.reason }, 'campaign message not delivered');
    ctx.outcomes.add(delivery._id, outcome, now);
  }

  /** Refused before delivery (429): back to `pending` at once, and claimed again after the wait. */
  private async retryLater(ctx: RunContext, id: Types.ObjectId): Promise<void> {
    await releaseDelivery(id);
    ctx.queue.reopen();
  }

  /**
   * An email, SMS or ZNS: to the address the customer has now (checked again above), paced per
   * channel, with the delivery's tracking id so a receipt or an open finds its way back.
   */
  private async deliverOutreach(ctx: RunContext, item: ReadyDelivery, customer: RecipientFields, channel: OutreachChannel): Promise<void> {
    const { delivery } = item;
    const sender = this.deps.notifier.outreach(channel);
    if (!sender) return ctx.outcomes.add(delivery._id, { status: 'skipped', reason: 'channel_not_configured' }, this.deps.clock.now());
    const address = campaignAddress(customer, channel)!;
    const trackingId = deliveryTrackingId(delivery._id);
    const message = outreachMessage(channel, ctx, customer, address, await this.ownerName(ctx, customer.owner), trackingId);
    if (!(await this.pacers.for(channel).acquire(address, this.deps.signal))) return ctx.queue.putBack(item);
    let result: OutreachResult;
    try {
      result = await sender.send(address, message);
    } catch (err) {
      result = { ok: false, reason: 'error', detail: err instanceof Error ? err.message : String(err) };
    }
    const trace = { address, trackingId };
    const now = this.deps.clock.now();
    if (result.ok) return ctx.outcomes.add(delivery._id, { status: 'sent', trace: { ...trace, providerId: result.providerId, costVnd: result.costVnd } }, now);
    if (result.reason === 'rate_limited') {
      this.pacers.for(channel).backOff(result.retryAfterSeconds ?? 1);
      if ((delivery.attempts ?? 1) < this.maxAttempts) return this.retryLater(ctx, delivery._id);
    }
    // The reason stays one of the contract's words (the panel explains each); the provider's own code beside it.
    const status = result.reason === 'not_configured' ? 'skipped' : 'failed';
    const reason = result.reason === 'not_configured' ? 'channel_not_configured' : result.reason;
    this.deps.logger.warn({ campaignId: String(delivery.campaign), channel, reason, code: result.code, detail: result.detail }, 'campaign message not delivered');
    ctx.outcomes.add(delivery._id, { status, reason, trace: { ...trace, providerCode: result.code } }, now);
  }

  private async ownerName(ctx: RunContext, owner: Types.ObjectId | null | undefined): Promise<string> {
    const key = String(owner ?? '');
    if (!ctx.owners.has(key)) ctx.owners.set(key, (await ownerNameOf(owner)) || ctx.companyName);
    return ctx.owners.get(key)!;
  }
}

interface CampaignContent {
  template: string;
  outreach?: OutreachContent | null;
}

interface RunContext extends CampaignContent {
  campaignId: Types.ObjectId;
  defaultLanguage: Lang;
  owners: Map<string, string>;
  /** Signs for customers without an owner, so `{owner}` never leaves a blank in the message. */
  companyName: string;
  stop: StopReason | null;
  sliceEnd: number;
  status: StatusWatcher;
  /** True once another runner took the campaign over (this one stalled past its lease): stop at once. */
  leaseLost: () => boolean;
  queue: DeliveryQueue;
  outcomes: OutcomeLog;
}

function withDetail(reason: string, detail?: string): string {
  return detail ? `${reason}: ${detail}`.slice(0, 300) : reason;
}

/**
 * The campaign's status, read again in the background at most every `everyMs`; lanes see the last
 * value read and never wait for the read (a read that fails keeps the last value and is tried again).
 */
class StatusWatcher {
  private value: CampaignStatus | null = 'running';
  private readAt: number;
  private reading = false;

  constructor(
    private readonly campaignId: Types.ObjectId,
    private readonly everyMs: number,
    private readonly timing: PacerTiming,
  ) {
    // The run has just read it as running.
    this.readAt = timing.now();
  }

  current(): CampaignStatus | null {
    if (!this.reading && this.timing.now() - this.readAt >= this.everyMs) {
      this.reading = true;
      Campaign.findById(this.campaignId)
        .select('status')
        .lean()
        .then((c) => void (this.value = (c?.status as CampaignStatus) ?? null), () => undefined)
        .finally(() => {
          this.readAt = this.timing.now();
          this.reading = false;
        });
    }
    return this.value;
  }
}

/** Runs `fn` unless its previous call is still running; errors go to `onError`. */
function singleFlight(fn: () => Promise<void>, onError: (err: unknown) => void): () => void {
  let running = false;
  return () => {
    if (running) return;
    running = true;
    fn().catch(onError).finally(() => (running = false));
  };
}

/** Calls `fn` at most once per `everyMs`; other calls return at once. */
function throttle(fn: () => Promise<void>, everyMs: number, timing: PacerTiming): () => Promise<void> {
  let last = timing.now();
  return async () => {
    if (timing.now() - last < everyMs) return;
    last = timing.now();
    await fn();
  };
}
