import type { Types } from 'mongoose';
import { Customer } from '../../models/customer.js';
import { FollowUp, FOLLOW_UP_TYPES, RECURRENCES, type FollowUpType, type Recurrence, type FollowUpFields } from '../../models/followUp.js';
import { CrmError, isDuplicateKey } from '../shared/errors.js';
import { toObjectId } from '../shared/ids.js';
import { actorUserId, type Actor } from '../users/actor.js';
import { getCustomerForActor, type CustomerRecord } from '../customers/customers.js';
import { getSettings } from '../settings/settings.js';
import { nextOccurrence } from './recurrence.js';

export type FollowUpRecord = FollowUpFields & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

const ACTIVE = ['scheduled', 'open'] as const;
/** A due time this far in the past is a typo, not a plan. */
const PAST_TOLERANCE_MS = 5 * 60 * 1000;

export interface FollowUpInput {
  type?: FollowUpType;
  dueAt: Date;
  recurrence?: Recurrence;
  everyDays?: number;
  note?: string;
}

export async function scheduleFollowUp(
  actor: Actor,
  customerId: unknown,
  input: FollowUpInput,
  now = new Date(),
  /** The customer as the caller has just read it: not read again, access still checked on it. */
  opts: { customer?: CustomerRecord } = {},
): Promise<FollowUpRecord> {
  const customer = await getCustomerForActor(actor, customerId, opts.customer);
  validate(input, now);
  const owner = (customer.owner as Types.ObjectId | undefined) ?? actorUserId(actor);
  if (!owner) throw new CrmError('notFound.user');
  // A new follow-up can only bring the next one forward: nextFollowUpAt moves only when it is later
  // (or unset), without reading the others, written beside the follow-up (one wait, not three).
  const [created, moved] = await Promise.allSettled([
    FollowUp.create({
      customer: customer._id,
      owner,
      type: input.type ?? 'call',
      dueAt: input.dueAt,
      recurrence: input.recurrence ?? 'none',
      everyDays: input.recurrence === 'every_n_days' ? input.everyDays : undefined,
      note: input.note?.trim().slice(0, 1000) || undefined,
      status: input.dueAt <= now ? 'open' : 'scheduled',
    }),
    Customer.updateOne({ _id: customer._id, $or: [{ nextFollowUpAt: null }, { nextFollowUpAt: { $gt: input.dueAt } }] }, { $set: { nextFollowUpAt: input.dueAt } }),
  ]);
  if (created.status === 'rejected') {
    // The follow-up was refused: the next one is recomputed from those that exist.
    if (moved.status === 'fulfilled') await refreshNextFollowUpAt(customer._id);
    throw created.reason;
  }
  if (moved.status === 'rejected') throw moved.reason;
  return created.value.toObject() as FollowUpRecord;
}

function validate(input: FollowUpInput, now: Date): void {
  if (!(input.dueAt instanceof Date) || Number.isNaN(input.dueAt.getTime())) throw new CrmError('followUp.dueInvalid');
  if (input.dueAt.getTime() < now.getTime() - PAST_TOLERANCE_MS) throw new CrmError('followUp.dueInvalid');
  if (input.type && !FOLLOW_UP_TYPES.includes(input.type)) throw new CrmError('invalid', { field: 'type' });
  if (input.recurrence && !RECURRENCES.includes(input.recurrence)) throw new CrmError('invalid', { field: 'recurrence' });
  if (input.recurrence === 'every_n_days' && !(Number.isInteger(input.everyDays) && input.everyDays! >= 1 && input.everyDays! <= 365)) {
    throw new CrmError('invalid', { field: 'everyDays' });
  }
}

/** Loads a follow-up whose customer the actor may act on. */
export async function getFollowUpForActor(actor: Actor, id: unknown): Promise<FollowUpRecord> {
  const followUp = (await FollowUp.findById(toObjectId(id, 'notFound.followUp')).lean()) as FollowUpRecord | null;
  if (!followUp) throw new CrmError('notFound.followUp');
  // Authorization follows the customer; a salesperson also keeps the follow-ups assigned to them.
  if (!(actor.kind === 'user' && String(followUp.owner) === String(actor.id))) {
    await getCustomerForActor(actor, followUp.customer);
  }
  return followUp;
}

export interface CompletedFollowUp {
  followUp: FollowUpRecord;
  next: FollowUpRecord | null;
}

/**
 * Marks a follow-up done. A recurring one gets its next occurrence; the unique `previous` key
 * makes "done" pressed twice (or by two people) create one next occurrence, not two.
 */
export async function completeFollowUp(actor: Actor, id: unknown, opts: { note?: string; now?: Date } = {}): Promise<CompletedFollowUp> {
  const now = opts.now ?? new Date();
  const current = await getFollowUpForActor(actor, id);
  const done = (await FollowUp.findOneAndUpdate(
    { _id: current._id, status: { $in: ACTIVE } },
    { $set: { status: 'completed', completedAt: now, ...(opts.note ? { note: opts.note.slice(0, 1000) } : {}) } },
    { returnDocument: 'after', lean: true },
  )) as FollowUpRecord | null;
  if (!done) throw new CrmError('followUp.notActive');
  let next: FollowUpRecord | null = null;
  if (done.recurrence && done.recurrence !== 'none') {
    const { timezone } = await getSettings();
    const dueAt = nextOccurrence(done.dueAt, done.recurrence as Recurrence, { everyDays: done.everyDays, timezone, after: now });
    if (dueAt) {
      try {
        next = (
          await FollowUp.create({
            customer: done.customer,
            owner: done.owner,
            type: done.type,
            dueAt,
            recurrence: done.recurrence,
            everyDays: done.everyDays,
            note: done.note,
            status: 'scheduled',
            previous: done._id,
          })
        ).toObject() as FollowUpRecord;
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
      }
    }
  }
  await refreshNextFollowUpAt(done.customer as Types.ObjectId);
  return { followUp: done, next };
}

/** Moves an active follow-up to a new time; it becomes `scheduled` again and will be reminded again. */
export async function rescheduleFollowUp(actor: Actor, id: unknown, dueAt: Date, now = new Date()): Promise<FollowUpRecord> {
  validate({ dueAt }, now);
  const current = await getFollowUpForActor(actor, id);
  const updated = (await FollowUp.findOneAndUpdate(
    { _id: current._id, status: { $in: ACTIVE } },
    { $set: { dueAt, status: dueAt <= now ? 'open' : 'scheduled' }, $unset: { remindedFor: 1 } },
    { returnDocument: 'after', lean: true },
  )) as FollowUpRecord | null;
  if (!updated) throw new CrmError('followUp.notActive');
  await refreshNextFollowUpAt(updated.customer as Types.ObjectId);
  return updated;
}

export async function snoozeFollowUp(actor: Actor, id: unknown, minutes = 60, now = new Date()): Promise<FollowUpRecord> {
  if (!(Number.isFinite(minutes) && minutes >= 1 && minutes <= 60 * 24 * 30)) throw new CrmError('invalid', { field: 'minutes' });
  return rescheduleFollowUp(actor, id, new Date(now.getTime() + minutes * 60_000), now);
}

export async function cancelFollowUp(actor: Actor, id: unknown): Promise<FollowUpRecord> {
  const current = await getFollowUpForActor(actor, id);
  const updated = (await FollowUp.findOneAndUpdate(
    { _id: current._id, status: { $in: ACTIVE } },
    { $set: { status: 'cancelled' } },
    { returnDocument: 'after', lean: true },
  )) as FollowUpRecord | null;
  if (!updated) throw new CrmError('followUp.notActive');
  await refreshNextFollowUpAt(updated.customer as Types.ObjectId);
  return updated;
}

/** Scheduled follow-ups whose time has come become `open` (done by the reminder job). */
export async function openDueFollowUps(now = new Date()): Promise<number> {
  const res = await FollowUp.updateMany({ status: 'scheduled', dueAt: { $lte: now } }, { $set: { status: 'open' } });
  return res.modifiedCount;
}

/** Keeps the customer's nextFollowUpAt equal to its earliest active follow-up. */
export async function refreshNextFollowUpAt(customerId: Types.ObjectId): Promise<void> {
  const next = await FollowUp.findOne({ customer: customerId, status: { $in: ACTIVE } }).sort({ dueAt: 1 }).select('dueAt').lean();
  await Customer.updateOne({ _id: customerId }, next ? { $set: { nextFollowUpAt: next.dueAt } } : { $unset: { nextFollowUpAt: 1 } });
}

export async function listFollowUpsForCustomer(actor: Actor, customerId: unknown, opts: { activeOnly?: boolean; limit?: number } = {}) {
  const customer = await getCustomerForActor(actor, customerId);
  const filter: Record<string, unknown> = { customer: customer._id };
  if (opts.activeOnly) filter.status = { $in: ACTIVE };
  return (await FollowUp.find(filter).sort({ dueAt: 1 }).limit(opts.limit ?? 20).lean()) as FollowUpRecord[];
}
