import type { Types } from 'mongoose';
import { Customer } from '../../models/customer.js';
import { StageChange } from '../../models/stageChange.js';
import { Deal } from '../../models/deal.js';
import { CrmError, isDuplicateKey } from '../shared/errors.js';
import { toObjectId } from '../shared/ids.js';
import { actorUserId, type Actor } from '../users/actor.js';
import { getCustomerForActor, type CustomerRecord } from '../customers/customers.js';
import { getDefaultStage, getStage, type StageInfo } from './stages.js';
import { rollCustomer, rollDeals } from '../rollups/record.js';

export interface StageChangeResult {
  customer: CustomerRecord;
  from: StageInfo | null;
  to: StageInfo;
  changed: boolean;
  dealId?: Types.ObjectId;
}

/**
 * Moves a customer to another stage, with its StageChange. The dormant stage cannot be chosen by
 * hand (only the don't-forget rule sets it). Moving to a `won` stage records a Deal when an amount
 * is given.
 */
export async function changeStage(
  actor: Actor,
  customerId: unknown,
  stageId: unknown,
  opts: { reason?: string; dealAmount?: number; now?: Date; customer?: CustomerRecord } = {},
): Promise<StageChangeResult> {
  const now = opts.now ?? new Date();
  const customer = await getCustomerForActor(actor, customerId, opts.customer);
  const to = await getStage(toObjectId(stageId, 'notFound.stage'));
  if (to.kind === 'dormant') throw new CrmError('stage.dormantByHand');
  if (!to.active) throw new CrmError('stage.inactive');
  if (opts.dealAmount !== undefined && !(Number.isFinite(opts.dealAmount) && opts.dealAmount >= 0 && opts.dealAmount <= 1e15)) {
    throw new CrmError('deal.amountInvalid');
  }
  const from = customer.stage ? await getStage(customer.stage as Types.ObjectId).catch(() => null) : null;
  if (String(customer.stage) === String(to._id)) return { customer, from, to, changed: false };

  // The customer, its history line, its deal and the dashboard rollups are written together: none
  // needs another's answer, so the move costs one wait. A crash between them leaves a move without
  // its history line (or a counter off until the rollup verification repairs it), as writing them
  // one after the other would.
  const after = { ...customer, stage: to._id, previousStage: undefined, dormantSince: undefined } as CustomerRecord;
  const [updated, , , dealId] = await Promise.all([
    Customer.findOneAndUpdate(
      { _id: customer._id },
      { $set: { stage: to._id, updatedAt: now }, $unset: { previousStage: 1, dormantSince: 1 } },
      { returnDocument: 'after', lean: true },
    ) as Promise<CustomerRecord>,
    StageChange.create({ customer: customer._id, from: customer.stage, to: to._id, by: actorUserId(actor), reason: opts.reason?.slice(0, 500), at: now }),
    rollCustomer(customer, after),
    to.kind === 'won' && opts.dealAmount !== undefined
      ? recordDeal(actor, { customer: customer._id, owner: customer.owner, source: customer.source, amount: opts.dealAmount, closedAt: now })
      : undefined,
  ]);
  return { customer: updated, from, to, changed: true, dealId };
}

export interface DealInput {
  customer?: Types.ObjectId | null;
  organization?: Types.ObjectId | null;
  /** When set, the deal is keyed on it: a retried or concurrent win finds the one already recorded. */
  opportunity?: Types.ObjectId;
  owner?: Types.ObjectId | null;
  source?: Types.ObjectId | null;
  amount: number;
  closedAt: Date;
}

/**
 * Records a won deal: the one place revenue is written, for a customer's won stage and an
 * opportunity's win alike. An opportunity's deal is an upsert on the opportunity (unique index as
 * well), so a double tap or two managers winning at once still make one deal.
 */
export async function recordDeal(actor: Actor, input: DealInput): Promise<Types.ObjectId> {
  if (!(Number.isFinite(input.amount) && input.amount >= 0 && input.amount <= 1e15)) throw new CrmError('deal.amountInvalid');
  const fields = {
    customer: input.customer ?? undefined,
    organization: input.organization ?? undefined,
    amount: Math.round(input.amount),
    closedAt: input.closedAt,
    by: actorUserId(actor),
    owner: input.owner ?? undefined,
    source: input.source ?? undefined,
  };
  if (!input.opportunity) {
    const deal = await Deal.create(fields);
    await rollDeals([deal]);
    return deal._id;
  }
  const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  const key = { opportunity: input.opportunity };
  try {
    const result = await Deal.findOneAndUpdate(
      key,
      { $setOnInsert: { ...clean, ...key, createdAt: input.closedAt, updatedAt: input.closedAt } },
      { upsert: true, returnDocument: 'after', lean: true, timestamps: false, includeResultMetadata: true },
    );
    // Only the call that inserted the deal counts it: a retried win finds it already counted.
    if (!result.lastErrorObject?.updatedExisting) await rollDeals([result.value as never]);
    return result.value!._id;
  } catch (e) {
    // Real MongoDB does not retry an upsert that lost the race on the unique index: the other one won.
    if (!isDuplicateKey(e)) throw e;
    const existing = await Deal.findOne(key).select('_id').lean();
    if (!existing) throw e;
    return existing._id;
  }
}

/**
 * Where a dormant customer goes back when contacted (crm/interactions writes the move): the open
 * stage it was in before the sweep, or the default stage if that one is gone. Stages come from
 * memory, so this costs no database wait.
 */
export async function revivalStage(customer: CustomerRecord): Promise<StageInfo> {
  if (customer.previousStage) {
    const previous = await getStage(customer.previousStage as Types.ObjectId).catch(() => null);
    if (previous && previous.active && previous.kind === 'open') return previous;
  }
  return getDefaultStage();
}

/** The update that takes a dormant customer out of the dormant stage, to `target`. */
export function revivalUpdate(target: StageInfo) {
  return { $set: { stage: target._id }, $unset: { previousStage: 1 as const, dormantSince: 1 as const } };
}

/** The history line of a revival, recorded as a move by the system. */
export function revivalChange(customer: CustomerRecord, target: StageInfo, reason: string, now: Date) {
  return { customer: customer._id, from: customer.stage, to: target._id, reason, at: now };
}
