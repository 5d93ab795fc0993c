import type { Types } from 'mongoose';
import { Customer } from '../../models/customer.js';
import { claimDeliveries, finishDeliveries, nextPendingDeliveries, type DeliveryOutcome, type DeliveryRecord, type FinishedDelivery } from '../../crm/campaigns/deliveries.js';
import { RECIPIENT_PROJECTION, type RecipientFields } from '../../crm/campaigns/segment.js';

export type Recipient = RecipientFields & { language?: string };

/** A claimed delivery with its customer as read at claim time (null: the customer is gone). */
export interface ReadyDelivery {
  delivery: DeliveryRecord;
  customer: Recipient | null;
}

const RECIPIENT_FIELDS = { ...RECIPIENT_PROJECTION, deletedAt: 1, language: 1 };

/**
 * The deliveries a run is about to send, claimed a batch at a time and refilled in the background
 * while the earlier ones are sent, so no send waits on the database. Claiming one by one cost
 * each message three round trips in sequence (claim, customer, outcome); under webhook load each
 * round trip queues behind the chat's commands and the 33 ms slot was gone.
 *
 * What runs ahead is bounded by `batch` (twice that at most): a customer who opts out is seen by
 * the sends claimed after it, a fraction of a second later, and a crash leaves at most that many
 * unsent deliveries in `sending`, which the next run fails as `interrupted` (at most once).
 */
export class DeliveryQueue {
  private readonly ready: ReadyDelivery[] = [];
  private claiming: Promise<void> | null = null;
  private exhausted = false;
  private failure: unknown = null;

  constructor(
    private readonly campaignId: Types.ObjectId,
    private readonly batch: number,
  ) {}

  /** The next delivery to send, or null once nothing is pending. */
  async next(): Promise<ReadyDelivery | null> {
    for (;;) {
      if (this.failure) throw this.failure;
      if (this.ready.length < this.batch && !this.exhausted) this.refill();
      const item = this.ready.shift();
      if (item) return item;
      if (!this.claiming) return null;
      await this.claiming;
    }
  }

  /** A delivery went back to `pending` (refused with 429): claim again even if the queue had run dry. */
  reopen(): void {
    this.exhausted = false;
  }

  /** A delivery taken but not sent (the run stops): it is given back with the rest by `drain`. */
  putBack(item: ReadyDelivery): void {
    this.ready.unshift(item);
  }

  /** Stops claiming; returns the ids claimed and never sent, to be given back. */
  async drain(): Promise<Types.ObjectId[]> {
    this.exhausted = true;
    await this.claiming;
    return this.ready.splice(0).map((r) => r.delivery._id);
  }

  private refill(): void {
    this.claiming ??= this.claimBatch()
      .catch((err) => void (this.failure = err))
      .finally(() => (this.claiming = null));
  }

  private async claimBatch(): Promise<void> {
    const pending = await nextPendingDeliveries(this.campaignId, this.batch);
    if (!pending.length) return void (this.exhausted = true);
    // The customers are read while the claim is written: two round trips in sequence per batch.
    const [deliveries, customers] = await Promise.all([
      claimDeliveries(pending),
      Customer.find({ _id: { $in: pending.map((d) => d.customer) } }).select(RECIPIENT_FIELDS).lean() as unknown as Promise<Recipient[]>,
    ]);
    const byId = new Map(customers.map((c) => [String(c._id), c]));
    for (const delivery of deliveries) this.ready.push({ delivery, customer: byId.get(String(delivery.customer)) ?? null });
  }
}

/**
 * Outcomes of sends, written together (one bulk write every `flushAt` outcomes or when `flush` is
 * called, a few times a second). Until written, a sent delivery stays `sending`: a crash then
 * fails it as `interrupted`, never sends it again, as with a crash during the send itself.
 */
export class OutcomeLog {
  private waiting: FinishedDelivery[] = [];
  private written: Promise<void> = Promise.resolve();

  constructor(
    private readonly flushAt: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  add(id: Types.ObjectId, outcome: DeliveryOutcome, at: Date): void {
    this.waiting.push({ id, outcome, at });
    if (this.waiting.length >= this.flushAt) void this.flush();
  }

  /** Writes what is waiting; resolves once it and every earlier write are done. */
  flush(): Promise<void> {
    const batch = this.waiting.splice(0);
    if (batch.length) this.written = this.written.then(() => finishDeliveries(batch)).then(() => undefined, this.onError);
    return this.written;
  }
}
