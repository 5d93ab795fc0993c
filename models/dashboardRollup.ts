import { Schema, model, type InferSchemaType } from 'mongoose';
import { bumpsCacheVersion } from './cacheVersion.js';

/**
 * What each rollup document counts, for one owner (and one local day, except the snapshot):
 * - `customers`: the owner's live customers now, per stage (the funnel, dormant): `counts[stage]`;
 * - `newCustomers`: the live customers created that day, per current stage and source
 *   (`counts["<stage>~<source>"]`): new customers per day, conversion, the period's cohort;
 * - `interactions`: interactions the owner logged that day, per type (`counts[type]`);
 * - `deals`: won deals closed that day, per source: `counts[source]` deals, `sums[source]` revenue.
 * - `referredCustomers`: the live customers created that day with a referrer, per referrer and
 *   current stage (`counts["customer:<id>~<stage>"]`), with everything they bought (their deals) in `sums`;
 * - `openOpportunities`: the owner's open opportunities now, per step: `counts[stage]`, their value
 *   in `sums[stage]` and value × probability (in percent, so it stays a whole number) in `sums["<stage>~w"]`;
 * - `opportunityForecast`: open opportunities expected to close that month (`day` is yyyy-mm): `counts.open`,
 *   `sums.open` (value) and `sums["open~w"]` (value × probability);
 * - `opportunityOutcomes`: opportunities closed that day, per outcome and source
 *   (`counts["won~<source>"]`), with `sums` the milliseconds from creation to closing.
 * `meta` is the one document saying with which time zone the days were cut and when they were last
 * recounted: without it (a fresh database, an upgrade) the rollups are rebuilt before being read.
 */
export const ROLLUP_KINDS = ['customers', 'newCustomers', 'interactions', 'deals', 'referredCustomers', 'openOpportunities', 'opportunityForecast', 'opportunityOutcomes', 'meta'] as const;
export type RollupKind = (typeof ROLLUP_KINDS)[number];

const dashboardRollupSchema = new Schema(
  {
    /** `kind|day|owner`: the natural key every `$inc` upserts on (no string `_id` on the embedded server). */
    key: { type: String, required: true },
    kind: { type: String, enum: ROLLUP_KINDS, required: true },
    /** yyyy-mm-dd in the company's time zone; '' for the snapshot and the meta document. */
    day: { type: String, default: '' },
    owner: { type: Schema.Types.ObjectId, default: null },
    counts: { type: Schema.Types.Mixed, default: () => ({}) },
    sums: { type: Schema.Types.Mixed, default: () => ({}) },
    /** meta only: the zone the days were cut in, and the last full recount. */
    timezone: { type: String },
    builtAt: { type: Date },
  },
  { minimize: false, versionKey: false },
);
dashboardRollupSchema.index({ key: 1 }, { unique: true });
dashboardRollupSchema.index({ kind: 1, day: 1, owner: 1 });

export type DashboardRollupFields = InferSchemaType<typeof dashboardRollupSchema>;
// What processes cache is whether, and in which zone, the rollups were built (the meta document,
// written by crm/rollups/rebuild.ts through the model). Counters are written through the driver's
// collection, which has no hooks, so they never bump it; a wholesale delete does.
bumpsCacheVersion(dashboardRollupSchema, 'dashboardRollups');
export const DashboardRollup = model('DashboardRollup', dashboardRollupSchema);
