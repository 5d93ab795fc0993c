import type { Types } from 'mongoose';
import { DashboardRollup } from '../../models/dashboardRollup.js';
import { Customer } from '../../models/customer.js';
import { Deal } from '../../models/deal.js';
import { getSettings } from '../settings/settings.js';
import {
  addUp,
  customerCells,
  dealCells,
  interactionCells,
  negated,

  type CountedCustomer,
  type CountedDeal,
  type CountedInteraction,
  type CountedOpportunity,
  opportunityCells,
  type RollupCell,
} from './cells.js';

/**
 * Keeps the dashboard rollups up to date from the crm calls that change what they count: each call
 * says what a record was before and after, and the difference goes out as one bulk write of `$inc`
 * upserts keyed on the rollup's natural key. It is written after the record itself, without a
 * transaction: a crash in between leaves one rollup off by one until the verification job
 * (jobs/rollups.ts) recounts and repairs it.
 */
export async function applyCells(cells: RollupCell[]): Promise<void> {
  const docs = addUp(cells);
  if (!docs.size) return;
  const ops = [...docs.entries()].map(([key, doc]) => {
    const $inc: Record<string, number> = {};
    for (const [cell, n] of Object.entries(doc.counts)) $inc[`counts.${cell}`] = n;
    for (const [cell, n] of Object.entries(doc.sums)) $inc[`sums.${cell}`] = n;
    return { updateOne: { filter: { key }, update: { $inc, $setOnInsert: { kind: doc.kind, day: doc.day, owner: doc.owner } }, upsert: true } };
  });
  await DashboardRollup.collection.bulkWrite(ops, { ordered: false });
}

async function timezone(): Promise<string> {
  return (await getSettings()).timezone;
}

export interface CustomerChange {
  /** null for a customer just created. */
  before: CountedCustomer | null;
  /** null for a customer just deleted. */
  after: CountedCustomer | null;
}

type IdentifiedCustomer = CountedCustomer & { _id?: Types.ObjectId };

/** What referred customers bought so far (their deals), for the referrers' cells; one read whatever the count. */
async function revenueOfReferred(customers: (IdentifiedCustomer | null)[]): Promise<Map<string, number>> {
  const ids = [...new Set(customers.filter((c) => c?._id && c.referrer?.id).map((c) => String(c!._id)))];
  if (!ids.length) return new Map();
  const deals = await Deal.find({ customer: { $in: ids } }).select('customer amount -_id').lean();
  const revenue = new Map<string, number>();
  for (const d of deals) revenue.set(String(d.customer), (revenue.get(String(d.customer)) ?? 0) + (d.amount ?? 0));
  return revenue;
}

/** Customers created, moved (stage, owner, source, referrer), deleted: what they counted for moves to what they count for now. */
export async function rollCustomers(changes: { before: IdentifiedCustomer | null; after: IdentifiedCustomer | null }[]): Promise<void> {
  if (!changes.length) return;
  const [zone, revenue] = await Promise.all([timezone(), revenueOfReferred(changes.flatMap((c) => [c.before, c.after]))]);
  const bought = (c: IdentifiedCustomer | null) => (c?._id ? (revenue.get(String(c._id)) ?? 0) : 0);
  await applyCells(changes.flatMap((c) => [...negated(customerCells(c.before, zone, bought(c.before))), ...customerCells(c.after, zone, bought(c.after))]));
}

export const rollCustomer = (before: IdentifiedCustomer | null, after: IdentifiedCustomer | null) => rollCustomers([{ before, after }]);

/** Interactions recorded (+1) or removed (-1). */
export async function rollInteractions(interactions: CountedInteraction[], sign: 1 | -1 = 1): Promise<void> {
  const zone = await timezone();
  const cells = interactions.flatMap((i) => interactionCells(i, zone));
  await applyCells(sign > 0 ? cells : negated(cells));
}

/**
 * Deals recorded (+1) or withdrawn (-1). A deal of a referred customer also adds to (or takes from)
 * what that customer bought, in its referrer's cell: the customer is read for it.
 */
export async function rollDeals(deals: (CountedDeal & { customer?: Types.ObjectId | null })[], sign: 1 | -1 = 1): Promise<void> {
  const customerIds = deals.map((d) => d.customer).filter(Boolean);
  const [zone, customers] = await Promise.all([
    timezone(),
    customerIds.length ? Customer.find({ _id: { $in: customerIds }, 'referrer.id': { $ne: null } }).select('stage owner source createdAt deletedAt referrer').lean() : [],
  ]);
  const cells = deals.flatMap((d) => {
    const referred = customers.find((c) => String(c._id) === String(d.customer));
    // The referred customer's cell, carrying only this deal's amount (no count: the customer is counted already).
    const bought = customerCells(referred as IdentifiedCustomer | undefined, zone, d.amount ?? 0)
      .filter((c) => c.kind === 'referredCustomers')
      .map((c) => ({ ...c, count: 0 }));
    return [...dealCells(d, zone), ...bought];
  });
  await applyCells(sign > 0 ? cells : negated(cells));
}

/** Opportunities opened, edited, moved, won, lost or deleted: what they counted for before and after. */
export async function rollOpportunity(before: CountedOpportunity | null, after: CountedOpportunity | null): Promise<void> {
  const zone = await timezone();
  await applyCells([...negated(opportunityCells(before, zone)), ...opportunityCells(after, zone)]);
}
