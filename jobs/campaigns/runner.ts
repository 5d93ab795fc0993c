import type { Types } from 'mongoose';
import { Campaign, type CampaignStatus } from '../../models/campaign.js';
import { Customer } from '../../models/customer.js';
import type { ChatChannel } from '../../models/channels.js';
import {
  claimNextDelivery,
  failInterruptedDeliveries,
  finishDelivery,
  hasUnfinishedDeliveries,
  recomputeCounters,
  releaseDelivery,
  resolveDeliveries,
  type DeliveryOutcome,
  type DeliveryRecord,
} from '../../crm/campaigns/deliveries.js';
import { completeCampaign, startDueCampaigns } from '../../crm/campaigns/lifecycle.js';
import { ownerNameOf, RECIPIENT_PROJECTION, unreachableReason, type RecipientFields } from '../../crm/campaigns/segment.js';
import { CAMPAIGN_TEXT_MAX, renderTemplate } from '../../crm/campaigns/template.js';
import { markUnreachable } from '../../crm/customers/customers.js';
import { getSettings } from '../../crm/settings/settings.js';
import { t, type Lang } from '../../i18n/index.js';
import type { SendResult } from '../../bot/core/types.js';
import { hasMark, setMark } from '../onceMarks.js';
import type { JobDeps, KeepAlive } from '../types.js';
import { Pacers, realTiming, type PacerTiming } from './pacer.js';
import { acquireLease, releaseLease } from './lease.js';
import { randomBytes } from 'node:crypto';
import os from 'node:os';

export interface CampaignRunOptions {
  /** Sends in flight at once; the pacer, not this, sets the rate. Enough to hide database and network latency. */
  lanes?: number;
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

const RECIPIENT_FIELDS = { ...RECIPIENT_PROJECTION, deletedAt: 1, language: 1 };

/**
 * Sends campaigns. One runner at a time works on a campaign: the Agenda lock of the `campaign
 * sending` job, and a lease per campaign in the database for when that lock is not enough. Holding
 * the lease is what lets a run start by failing the deliveries a dead process left in `sending`
 * (see failInterruptedDeliveries: at most once, never twice).
 *
 * Per delivery: claim it (`pending → sending`, atomic), check the customer again (opted out since
 * resolution?), wait for a pacing slot, send through the channel's sender, record the outcome.
 */
export class CampaignRunner {
  private readonly pacers: Pacers;
  private readonly timing: PacerTiming;
  private readonly lanes: number;
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
    this.lanes = opts.lanes ?? 4;
    this.statusCheckMs = opts.statusCheckMs ?? 500;
    this.sliceMs = opts.sliceMs ?? 4 * 60_000;
    this.maxAttempts = opts.maxAttempts ?? 8;
    this.leaseMs = opts.leaseMs ?? 10_000;
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
    const campaign = await Campaign.findById(campaignId).select('template status').lean();
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
      return await this.runLeased(campaignId, campaign.template, () => lost, keepAlive, sliceEnd);
    } finally {
      clearInterval(renew);
      await releaseLease(leaseKey, this.holder);
    }
  }

  private async runLeased(campaignId: Types.ObjectId, template: string, leaseLost: () => boolean, keepAlive: KeepAlive, sliceEnd: number): Promise<RunSummary> {
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
      template,
      defaultLanguage: (defaultLanguage as Lang) ?? 'vi',
      owners: new Map(),
      companyName: companyName ?? '',
      stop: null,
      sliceEnd,
      status: new StatusWatcher(campaignId, this.statusCheckMs, this.timing),
      keepAlive: throttle(keepAlive, 30_000, this.timing),
      leaseLost,
      counters: throttle(() => recomputeCounters(campaignId).then(() => undefined), 2_000, this.timing),
    };
    await Promise.all(Array.from({ length: this.lanes }, () => this.lane(ctx)));

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
      const status = await ctx.status.current();
      if (status !== 'running') return void (ctx.stop ??= (status ?? 'gone') as StopReason);
      const delivery = await claimNextDelivery(ctx.campaignId);
      if (!delivery) return;
      await this.deliver(ctx, delivery);
      await ctx.keepAlive();
      await ctx.counters();
    }
  }

  private async deliver(ctx: RunContext, delivery: DeliveryRecord): Promise<void> {
    const now = () => this.deps.clock.now();
    const channel = delivery.channel as ChatChannel;
    const customer = (await Customer.findById(delivery.customer).select(RECIPIENT_FIELDS).lean()) as (RecipientFields & { language?: string }) | null;
    const reason = unreachableReason(customer, channel);
    if (reason) return void (await finishDelivery(delivery._id, { status: 'skipped', reason }, now()));
    const sender = this.deps.notifier.sender(channel);
    if (!sender) return void (await finishDelivery(delivery._id, { status: 'skipped', reason: 'channel_not_configured' }, now()));

    const lang = (customer!.language as Lang) ?? ctx.defaultLanguage;
    const footer = t(lang, 'jobs.campaign.footer');
    const body = renderTemplate(ctx.template, customer!, await this.ownerName(ctx, customer!.owner), CAMPAIGN_TEXT_MAX - footer.length - 2);
    const chatId = customer!.chatIds![channel]!;
    const pacer = this.pacers.for(channel);
    if (!(await pacer.acquire(chatId, this.deps.signal))) {
      // Shutting down before the send: nothing went out, so the delivery goes back to the queue.
      return void (await releaseDelivery(delivery._id));
    }
    let result: SendResult;
    try {
      result = await sender.send(chatId, [{ text: `${body}\n\n${footer}` }], { atMostOnce: true });
    } catch (err) {
      result = { ok: false, reason: 'error', detail: err instanceof Error ? err.message : String(err) };
    }
    await this.record(delivery, customer!._id, channel, result);
  }

  private async record(delivery: DeliveryRecord, customerId: Types.ObjectId, channel: ChatChannel, result: SendResult): Promise<void> {
    const now = this.deps.clock.now();
    if (result.ok) return void (await finishDelivery(delivery._id, { status: 'sent' }, now));
    let outcome: DeliveryOutcome;
    switch (result.reason) {
      case 'rate_limited':
        // Refused before delivery: safe to send again later, after the wait the platform asked for.
        this.pacers.for(channel).backOff(result.retryAfterSeconds ?? 1);
        if ((delivery.attempts ?? 1) < this.maxAttempts) return void (await releaseDelivery(delivery._id));
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
    await finishDelivery(delivery._id, outcome, now);
  }

  private async ownerName(ctx: RunContext, owner: Types.ObjectId | null | undefined): Promise<string> {
    const key = String(owner ?? '');
    if (!ctx.owners.has(key)) ctx.owners.set(key, (await ownerNameOf(owner)) || ctx.companyName);
    return ctx.owners.get(key)!;
  }
}

interface RunContext {
  campaignId: Types.ObjectId;
  template: string;
  defaultLanguage: Lang;
  owners: Map<string, string>;
  /** Signs for customers without an owner, so `{owner}` never leaves a blank in the message. */
  companyName: string;
  stop: StopReason | null;
  sliceEnd: number;
  status: StatusWatcher;
  keepAlive: () => Promise<void>;
  counters: () => Promise<void>;
  /** True once another runner took the campaign over (this one stalled past its lease): stop at once. */
  leaseLost: () => boolean;
}

function withDetail(reason: string, detail?: string): string {
  return detail ? `${reason}: ${detail}`.slice(0, 300) : reason;
}

/** The campaign's status, read again at most every `everyMs`; all lanes share one read. */
class StatusWatcher {
  private value: CampaignStatus | null = 'running';
  private readAt = -Infinity;
  private pending: Promise<CampaignStatus | null> | null = null;

  constructor(
    private readonly campaignId: Types.ObjectId,
    private readonly everyMs: number,
    private readonly timing: PacerTiming,
  ) {}

  async current(): Promise<CampaignStatus | null> {
    if (this.timing.now() - this.readAt < this.everyMs) return this.value;
    this.pending ??= Campaign.findById(this.campaignId)
      .select('status')
      .lean()
      .then((c) => {
        this.value = (c?.status as CampaignStatus) ?? null;
        this.readAt = this.timing.now();
        return this.value;
      })
      .finally(() => (this.pending = null));
    return this.pending;
  }
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
