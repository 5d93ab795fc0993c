import { DashboardRollup } from '../../models/dashboardRollup.js';
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

/** Customers created, moved (stage, owner, source), deleted: what they counted for moves to what they count for now. */
export async function rollCustomers(changes: CustomerChange[]): Promise<void> {
  if (!changes.length) return;
  const zone = await timezone();
  await applyCells(changes.flatMap((c) => [...negated(customerCells(c.before, zone)), ...customerCells(c.after, zone)]));
}

export const rollCustomer = (before: CountedCustomer | null, after: CountedCustomer | null) => rollCustomers([{ before, after }]);

/** Interactions recorded (+1) or removed (-1). */
export async function rollInteractions(interactions: CountedInteraction[], sign: 1 | -1 = 1): Promise<void> {
  const zone = await timezone();
  const cells = interactions.flatMap((i) => interactionCells(i, zone));
  await applyCells(sign > 0 ? cells : negated(cells));
}

/** Deals recorded (+1) or withdrawn (-1). */
export async function rollDeals(deals: CountedDeal[], sign: 1 | -1 = 1): Promise<void> {
  const zone = await timezone();
  const cells = deals.flatMap((d) => dealCells(d, zone));
  await applyCells(sign > 0 ? cells : negated(cells));
}

/** Opportunities opened, edited, moved, won, lost or deleted: what they counted for before and after. */
export async function rollOpportunity(before: CountedOpportunity | null, after: CountedOpportunity | null): Promise<void> {
  const zone = await timezone();
  await applyCells([...negated(opportunityCells(before, zone)), ...opportunityCells(after, zone)]);
}
