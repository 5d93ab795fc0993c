import type { Types } from 'mongoose';
import type { RollupKind } from '../../models/dashboardRollup.js';

/**
 * What one customer, interaction or deal adds to the dashboard rollups, as cells: the rollup
 * document (kind, local day, owner) and the counter inside it. The incremental updates, the full
 * recount and the verification all go through these functions, so they cannot disagree on what a
 * record counts for.
 */
export type CountedKind = Exclude<RollupKind, 'meta'>;

export interface RollupCell {
  kind: CountedKind;
  /** yyyy-mm-dd in the company's zone; '' for the customers snapshot. */
  day: string;
  owner: Types.ObjectId | null;
  /** The counter's name inside the document: a stage, `stage~source`, an interaction type, a source. */
  cell: string;
  count: number;
  /** What goes with the count: a deal's revenue, an opportunity's value or cycle time. */
  sum?: number;
}

/** A customer, deal or interaction without a source is counted under this name. */
export const NO_SOURCE = '-';
/** Separates stage and source in a newCustomers cell (ObjectIds never contain it). */
export const CELL_SEPARATOR = '~';

export function rollupKey(kind: RollupKind, day: string, owner: unknown): string {
  return `${kind}|${day}|${owner ? String(owner) : ''}`;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The local calendar day of an instant, yyyy-mm-dd. Intl rather than luxon: a recount does this for
 * every customer, interaction and deal, and a cached formatter is several times faster.
 */
export function localDay(at: Date | string | number, timezone: string): string {
  let format = dayFormats.get(timezone);
  if (!format) {
    // en-CA writes dates as yyyy-mm-dd.
    format = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timezone, format);
  }
  return format.format(new Date(at));
}

/** The fields of a customer the rollups count by. */
export interface CountedCustomer {
  stage?: Types.ObjectId | null;
  owner?: Types.ObjectId | null;
  source?: Types.ObjectId | null;
  createdAt?: Date | null;
  deletedAt?: Date | null;
  referrer?: { kind: string; id: Types.ObjectId } | null;
}

/**
 * A live customer counts once in the snapshot (per stage) and once on the day it was created; a
 * referred one also for its referrer, with `revenue`, the sum of its deals.
 */
export function customerCells(c: CountedCustomer | null | undefined, timezone: string, revenue = 0): RollupCell[] {
  if (!c || c.deletedAt || !c.stage || !c.createdAt) return [];
  const owner = c.owner ?? null;
  const day = localDay(c.createdAt, timezone);
  const cells: RollupCell[] = [
    { kind: 'customers', day: '', owner, cell: String(c.stage), count: 1 },
    { kind: 'newCustomers', day, owner, cell: `${c.stage}${CELL_SEPARATOR}${c.source ?? NO_SOURCE}`, count: 1 },
  ];
  if (c.referrer?.id) cells.push({ kind: 'referredCustomers', day, owner, cell: `${referrerKey(c.referrer)}${CELL_SEPARATOR}${c.stage}`, count: 1, sum: revenue });
  return cells;
}

/** `customer:<id>` or `user:<id>`. */
export function referrerKey(referrer: { kind: string; id: unknown }): string {
  return `${referrer.kind}:${referrer.id}`;
}

export interface CountedInteraction {
  user?: Types.ObjectId | null;
  type: string;
  occurredAt: Date;
}

/** An interaction counts for the person who logged it; a customer's own message (no user) does not count. */
export function interactionCells(i: CountedInteraction, timezone: string): RollupCell[] {
  if (!i.user) return [];
  return [{ kind: 'interactions', day: localDay(i.occurredAt, timezone), owner: i.user, cell: i.type, count: 1 }];
}

export interface CountedDeal {
  owner?: Types.ObjectId | null;
  source?: Types.ObjectId | null;
  amount: number;
  closedAt: Date;
}

export function dealCells(d: CountedDeal, timezone: string): RollupCell[] {
  return [{ kind: 'deals', day: localDay(d.closedAt, timezone), owner: d.owner ?? null, cell: String(d.source ?? NO_SOURCE), count: 1, sum: d.amount ?? 0 }];
}

export interface CountedOpportunity {
  status: string;
  stage?: Types.ObjectId | null;
  owner?: Types.ObjectId | null;
  source?: Types.ObjectId | null;
  value?: number | null;
  probability?: number | null;
  expectedCloseAt?: Date | null;
  closedAt?: Date | null;
  createdAt?: Date | null;
  deletedAt?: Date | null;
}

/** The weighted cell of a value cell: value × probability in percent, a whole number for whole đồng. */
export const WEIGHTED = `${CELL_SEPARATOR}w`;

/**
 * A live open opportunity counts in the pipeline per step (and in the forecast in the month it should
 * close); a closed one on the day it closed, per outcome and source, with its cycle time.
 */
export function opportunityCells(o: CountedOpportunity | null | undefined, timezone: string): RollupCell[] {
  if (!o || o.deletedAt) return [];
  const owner = o.owner ?? null;
  const value = o.value ?? 0;
  const weighted = value * (o.probability ?? 0);
  if (o.status === 'open') {
    const cells: RollupCell[] = [
      { kind: 'openOpportunities', day: '', owner, cell: String(o.stage), count: 1, sum: value },
      { kind: 'openOpportunities', day: '', owner, cell: `${o.stage}${WEIGHTED}`, count: 0, sum: weighted },
    ];
    if (o.expectedCloseAt) {
      // The forecast is read by calendar month: a document per month (yyyy-mm) rather than per day
      // keeps the dashboard's read short.
      const day = localDay(o.expectedCloseAt, timezone).slice(0, 7);
      cells.push({ kind: 'opportunityForecast', day, owner, cell: 'open', count: 1, sum: value }, { kind: 'opportunityForecast', day, owner, cell: `open${WEIGHTED}`, count: 0, sum: weighted });
    }
    return cells;
  }
  if ((o.status === 'won' || o.status === 'lost') && o.closedAt && o.createdAt) {
    const cycleMs = Math.max(0, new Date(o.closedAt).getTime() - new Date(o.createdAt).getTime());
    return [{ kind: 'opportunityOutcomes', day: localDay(o.closedAt, timezone), owner, cell: `${o.status}${CELL_SEPARATOR}${o.source ?? NO_SOURCE}`, count: 1, sum: cycleMs }];
  }
  return [];
}

/** The cells with their counts (and sums) negated: what removing a record takes away. */
export function negated(cells: RollupCell[]): RollupCell[] {
  return cells.map((c) => ({ ...c, count: -c.count, ...(c.sum !== undefined ? { sum: -c.sum } : {}) }));
}

/** One rollup document's counters, as the recount builds them and the database holds them. */
export interface RollupTotals {
  kind: CountedKind;
  day: string;
  owner: Types.ObjectId | null;
  counts: Record<string, number>;
  sums: Record<string, number>;
}

/** Adds cells up per document and counter; counters that come to zero are dropped. */
export function addUp(cells: Iterable<RollupCell>): Map<string, RollupTotals> {
  const docs = new Map<string, RollupTotals>();
  for (const c of cells) {
    const key = rollupKey(c.kind, c.day, c.owner);
    let doc = docs.get(key);
    if (!doc) docs.set(key, (doc = { kind: c.kind, day: c.day, owner: c.owner, counts: {}, sums: {} }));
    // A cell that only carries a sum (a weighted value) has no count.
    if (c.count) doc.counts[c.cell] = (doc.counts[c.cell] ?? 0) + c.count;
    if (c.sum !== undefined) doc.sums[c.cell] = (doc.sums[c.cell] ?? 0) + c.sum;
  }
  for (const [key, doc] of docs) {
    for (const cell of Object.keys(doc.counts)) if (doc.counts[cell] === 0 && !doc.sums[cell]) delete doc.counts[cell];
    for (const cell of Object.keys(doc.sums)) if (doc.sums[cell] === 0) delete doc.sums[cell];
    if (!Object.keys(doc.counts).length && !Object.keys(doc.sums).length) docs.delete(key);
  }
  return docs;
}
