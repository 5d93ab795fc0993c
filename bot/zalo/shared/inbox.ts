import type { Logger } from '../../../app/logger.js';
import { ZaloInbox, type ZaloInboxChannel } from '../../../models/zaloInbox.js';

export interface InboxEvent {
  id: string;
  key: string;
  eventName: string;
  payload: unknown;
  attempts: number;
}

/**
 * Stores an accepted event once per key. Returns false when the same event was already stored (a
 * redelivery): one atomic upsert, so two deliveries racing still make one document (CongoDB does not
 * enforce the unique index; real MongoDB does as well).
 */
export async function storeInboxEvent(channel: ZaloInboxChannel, key: string, eventName: string, payload: unknown, now = new Date()): Promise<boolean> {
  const res = await ZaloInbox.findOneAndUpdate(
    { channel, key },
    { $setOnInsert: { channel, key, eventName, payload, receivedAt: now, status: 'pending', attempts: 0 } },
    { upsert: true, includeResultMetadata: true, returnDocument: 'after' },
  );
  return !res.lastErrorObject?.updatedExisting;
}

export interface InboxProcessorOptions {
  channel: ZaloInboxChannel;
  logger: Logger;
  handle(event: InboxEvent): Promise<void>;
  /** A claim older than this is taken over: its processor died mid-way. */
  claimMs?: number;
  maxAttempts?: number;
  /** How often stored events are looked for without a kick (start-up leftovers, retries). */
  sweepMs?: number;
  /** Processed events are kept this long (to recognise late redeliveries), then deleted. */
  keepDoneMs?: number;
}

/**
 * Processes stored events in arrival order, each claimed atomically so that several processes can
 * run it side by side. A failed event is retried with a growing delay and given up after a few
 * attempts (status `failed`, with the error) rather than blocking the ones behind it.
 */
export class InboxProcessor {
  private running = false;
  private again = false;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private pruneTimer?: NodeJS.Timeout;
  private current?: Promise<void>;
  private readonly claimMs: number;
  private readonly maxAttempts: number;

  constructor(private readonly opts: InboxProcessorOptions) {
    this.claimMs = opts.claimMs ?? 120_000;
    this.maxAttempts = opts.maxAttempts ?? 5;
  }

  /** Picks up what earlier runs left, then keeps sweeping now and then. */
  start(): void {
    this.kick();
    const every = this.opts.sweepMs ?? 30_000;
    this.timer = setInterval(() => this.kick(), every);
    this.timer.unref();
    // TTL indexes do nothing on the embedded database, so old processed events are pruned by hand.
    this.pruneTimer = setInterval(() => void this.prune().catch((err) => this.opts.logger.warn({ err }, 'Zalo inbox prune failed')), 3600_000);
    this.pruneTimer.unref();
  }

  /** Deletes processed events older than the keep period; failed ones stay for a look by hand. */
  async prune(now = new Date()): Promise<number> {
    const keep = this.opts.keepDoneMs ?? 14 * 24 * 3600_000;
    const res = await ZaloInbox.deleteMany({ channel: this.opts.channel, status: 'done', processedAt: { $lt: new Date(now.getTime() - keep) } });
    return res.deletedCount ?? 0;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    await this.current;
  }

  /** Asks for a drain soon; returns the drain's promise (tests await it). */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.current ?? Promise.resolve();
    }
    this.running = true;
    this.current = this.drain()
      .catch((err) => this.opts.logger.error({ err, channel: this.opts.channel }, 'Zalo inbox drain failed'))
      .finally(() => {
        this.running = false;
        if (this.again && !this.stopped) {
          this.again = false;
          void this.kick();
        }
      });
    return this.current;
  }

  /** Processes until nothing is claimable. */
  async drain(): Promise<void> {
    while (!this.stopped) {
      const event = await this.claim();
      if (!event) return;
      await this.process(event);
    }
  }

  private async claim(): Promise<InboxEvent | null> {
    const now = new Date();
    const doc = await ZaloInbox.findOneAndUpdate(
      {
        channel: this.opts.channel,
        $or: [
          { status: 'pending', $or: [{ notBefore: null }, { notBefore: { $lte: now } }] },
          { status: 'processing', claimedUntil: { $lte: now } },
        ],
      },
      { $set: { status: 'processing', claimedUntil: new Date(now.getTime() + this.claimMs) }, $inc: { attempts: 1 } },
      { sort: { receivedAt: 1 }, returnDocument: 'after', lean: true },
    );
    if (!doc) return null;
    return { id: String(doc._id), key: doc.key, eventName: doc.eventName, payload: doc.payload, attempts: doc.attempts ?? 1 };
  }

  private async process(event: InboxEvent): Promise<void> {
    try {
      await this.opts.handle(event);
      await ZaloInbox.updateOne({ _id: event.id }, { $set: { status: 'done', processedAt: new Date() }, $unset: { claimedUntil: 1 } });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const giveUp = event.attempts >= this.maxAttempts;
      this.opts.logger.error({ err, channel: this.opts.channel, key: event.key, attempts: event.attempts, giveUp }, 'Zalo event processing failed');
      const delayMs = Math.min(2 ** event.attempts * 1000, 10 * 60_000);
      await ZaloInbox.updateOne(
        { _id: event.id },
        { $set: { status: giveUp ? 'failed' : 'pending', lastError: message.slice(0, 1000), notBefore: new Date(Date.now() + delayMs) }, $unset: { claimedUntil: 1 } },
      );
    }
  }
}
