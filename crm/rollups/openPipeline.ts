import { Types } from 'mongoose';
import { DashboardRollup } from '../../models/dashboardRollup.js';
import { getSettings } from '../settings/settings.js';
import { WEIGHTED } from './cells.js';
import { ensureRollups } from './rebuild.js';
import type { OpenGroup } from '../opportunities/pipelineSummary.js';

/**
 * The open opportunities by step and owner, read from the rollups instead of grouping every open
 * opportunity: a manager's /pipeline reads one small document per salesperson, whatever the size
 * of the pipeline. The same groups as `openGroupsByScan` (test/crm/rollups.test.ts compares them).
 */
export async function openGroupsFromRollups(owner?: Types.ObjectId): Promise<OpenGroup[]> {
  const read = () =>
    DashboardRollup.find({ kind: 'openOpportunities', ...(owner ? { owner } : {}) })
      .select('owner counts sums -_id')
      .lean<{ owner: Types.ObjectId | null; counts?: Record<string, number>; sums?: Record<string, number> }[]>();
  // The read goes with the check that the rollups were built (usually answered from memory): only a
  // database that has none yet (an upgrade) waits for them to be built and reads again.
  const [built, docs] = await Promise.all([ensureRollups((await getSettings()).timezone), read()]);
  const groups: OpenGroup[] = [];
  for (const d of built ? await read() : docs) {
    for (const [stage, count] of Object.entries(d.counts ?? {})) {
      if (!count) continue;
      const sums = d.sums ?? {};
      groups.push({ stage: new Types.ObjectId(stage), owner: d.owner ?? null, count, total: sums[stage] ?? 0, weighted: (sums[`${stage}${WEIGHTED}`] ?? 0) / 100 });
    }
  }
  return groups;
}
