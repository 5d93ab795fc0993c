import { VersionedCache } from '../shared/versionedCache.js';
import { Customer } from '../../models/customer.js';
import { Interaction } from '../../models/interaction.js';
import { Deal } from '../../models/deal.js';
import { Opportunity } from '../../models/opportunity.js';
import { DashboardRollup } from '../../models/dashboardRollup.js';
import { getSettings } from '../settings/settings.js';
import { addUp, customerCells, dealCells, interactionCells, opportunityCells, type RollupCell, type RollupTotals } from './cells.js';

/**
 * The dashboard rollups recounted from the raw records, compared with what the database holds, and
 * repaired. One function serves the three cases: the first build (a fresh database, or an upgrade
 * from a version without rollups: every document differs), a change of the company's time zone
 * (the days are cut anew), and the verification job, which logs what drifted and fixes it.
 */

const META_KEY = 'meta';

export interface RollupDifference {
  key: string;
  /** `counts.<cell>` or `sums.<cell>`. */
  field: string;
  expected: number;
  actual: number;
}

export interface ReconcileResult {
  timezone: string;
  documents: number;
  differences: RollupDifference[];
  /** Rollup documents rewritten (or removed) to match the recount. */
  repaired: number;
  ms: number;
}

/** Every rollup as the raw records say it should be. */
export async function recountRollups(timezone: string): Promise<Map<string, RollupTotals>> {
  // Only the counted fields, and the three reads side by side.
  const [customers, interactions, deals, opportunities] = await Promise.all([
    Customer.find({ deletedAt: null }).select('stage owner source createdAt referrer').lean(),
    Interaction.find({ user: { $ne: null } }).select('user type occurredAt -_id').lean(),
    Deal.find({}).select('customer owner source amount closedAt -_id').lean(),
    Opportunity.find({ deletedAt: null }).select('status stage owner source value probability expectedCloseAt closedAt createdAt -_id').lean(),
  ]);
  // What each referred customer bought: the referrers' report sums it.
  const referred = new Set(customers.filter((c) => c.referrer?.id).map((c) => String(c._id)));
  const revenue = new Map<string, number>();
  for (const d of deals) if (d.customer && referred.has(String(d.customer))) revenue.set(String(d.customer), (revenue.get(String(d.customer)) ?? 0) + (d.amount ?? 0));
  function* cells(): Generator<RollupCell> {
    for (const c of customers) yield* customerCells(c as never, timezone, revenue.get(String(c._id)) ?? 0);
    for (const i of interactions) yield* interactionCells(i as never, timezone);
    for (const d of deals) yield* dealCells(d as never, timezone);
    for (const o of opportunities) yield* opportunityCells(o as never, timezone);
  }
  return addUp(cells());
}

function differencesOf(key: string, expected: RollupTotals | undefined, actual: { counts?: Record<string, number>; sums?: Record<string, number> } | undefined): RollupDifference[] {
  const out: RollupDifference[] = [];
  for (const part of ['counts', 'sums'] as const) {
    const want = expected?.[part] ?? {};
    const have = actual?.[part] ?? {};
    for (const cell of new Set([...Object.keys(want), ...Object.keys(have)])) {
      const e = want[cell] ?? 0;
      const a = have[cell] ?? 0;
      if (e !== a) out.push({ key, field: `${part}.${cell}`, expected: e, actual: a });
    }
  }
  return out;
}

/**
 * Recounts, compares and (unless `fix` is false) rewrites the documents that differ, then records
 * the zone and time in the meta document. Writes made while it counts may be overwritten by the
 * recount: the next verification sees and repairs such a rare difference.
 */
export async function reconcileRollups(opts: { fix?: boolean; timezone?: string } = {}): Promise<ReconcileResult> {
  const started = Date.now();
  const timezone = opts.timezone ?? (await getSettings()).timezone;
  const [expected, stored] = await Promise.all([
    recountRollups(timezone),
    DashboardRollup.find({ kind: { $ne: 'meta' } }).select('key counts sums -_id').lean(),
  ]);
  const actual = new Map(stored.map((d) => [d.key, d as { counts?: Record<string, number>; sums?: Record<string, number> }]));
  const differences: RollupDifference[] = [];
  const toWrite: string[] = [];
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const diff = differencesOf(key, expected.get(key), actual.get(key));
    if (!diff.length) continue;
    differences.push(...diff);
    toWrite.push(key);
  }
  if (opts.fix !== false) {
    const ops = toWrite.map((key) => {
      const doc = expected.get(key);
      // A document nothing counts for any more is removed rather than kept full of zeros.
      if (!doc) return { deleteOne: { filter: { key } } };
      return { replaceOne: { filter: { key }, replacement: { key, kind: doc.kind, day: doc.day, owner: doc.owner, counts: doc.counts, sums: doc.sums }, upsert: true } };
    });
    for (let i = 0; i < ops.length; i += 1000) await DashboardRollup.collection.bulkWrite(ops.slice(i, i + 1000) as never, { ordered: false });
    await DashboardRollup.updateOne(
      { key: META_KEY },
      { $set: { timezone, builtAt: new Date() }, $setOnInsert: { kind: 'meta', day: '', owner: null } },
      { upsert: true },
    );
  }
  return { timezone, documents: expected.size, differences, repaired: opts.fix === false ? 0 : toWrite.length, ms: Date.now() - started };
}

let building: Promise<ReconcileResult> | undefined;

/** The zone the rollups were built in (null: never built), kept in memory until the meta document changes. */
const builtIn = new VersionedCache('dashboardRollups', async () => (await DashboardRollup.findOne({ key: META_KEY }).select('timezone').lean())?.timezone ?? null);

/**
 * Makes sure the rollups can be read: rebuilt first when they were never built (fresh database,
 * upgrade) or were cut in another time zone. A process builds them once at a time; the check
 * costs no database wait once this process has seen them built.
 */
export async function ensureRollups(timezone: string): Promise<ReconcileResult | null> {
  if ((await builtIn.get()) === timezone) return null;
  building ??= reconcileRollups({ timezone }).finally(() => (building = undefined));
  return building;
}

