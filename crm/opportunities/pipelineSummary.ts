import type { Types } from 'mongoose';
import { Opportunity } from '../../models/opportunity.js';
import { staffName } from '../users/users.js';
import { CrmError } from '../shared/errors.js';
import { sameId, toObjectId } from '../shared/ids.js';
import { actorUserId, seesAllCustomers, type Actor } from '../users/actor.js';
import { openGroupsFromRollups } from '../rollups/openPipeline.js';
import { listOpportunityStages, type OpportunityStageInfo } from './opportunityStages.js';

export interface PipelineFigures {
  count: number;
  /** Sum of values, đồng. */
  total: number;
  /** Sum of value × probability, đồng: what the open pipeline is expected to bring. */
  weighted: number;
}

export interface PipelineSummary extends PipelineFigures {
  /** Every open step in the pipeline's order, empty ones included so the picture keeps its shape. */
  stages: (PipelineFigures & { stage: OpportunityStageInfo })[];
  /** Per owner, for a manager looking at the whole team (absent for one salesperson's pipeline). */
  owners?: (PipelineFigures & { owner: Types.ObjectId | null; name: string })[];
}

/** Open opportunities of one step and one owner: how many, their value and weighted value (đồng). */
export interface OpenGroup extends PipelineFigures {
  stage: Types.ObjectId;
  owner: Types.ObjectId | null;
}

/**
 * The open opportunities grouped by step and owner, by reading every one of them: what the rollups
 * (crm/rollups/openPipeline.ts, which /pipeline reads) are checked against.
 */
export async function openGroupsByScan(owner?: Types.ObjectId): Promise<OpenGroup[]> {
  const rows = await Opportunity.aggregate<{ _id: { stage: Types.ObjectId; owner?: Types.ObjectId | null }; count: number; total: number; weighted: number }>([
    { $match: { status: 'open', deletedAt: null, ...(owner ? { owner } : {}) } },
    {
      $group: {
        _id: { stage: '$stage', owner: '$owner' },
        count: { $sum: 1 },
        total: { $sum: '$value' },
        weighted: { $sum: { $multiply: ['$value', { $divide: [{ $ifNull: ['$probability', 0] }, 100] }] } },
      },
    },
  ]);
  return rows.map((r) => ({ stage: r._id.stage, owner: r._id.owner ?? null, count: r.count, total: r.total, weighted: r.weighted }));
}

/**
 * The open opportunities by step with their totals and weighted totals. A salesperson gets their
 * own; a manager or admin the team's with a line per owner, or one owner's when asked.
 */
export async function pipelineSummary(
  actor: Actor,
  opts: { owner?: Types.ObjectId | string; groups?: (owner?: Types.ObjectId) => Promise<OpenGroup[]> } = {},
): Promise<PipelineSummary> {
  let owner: Types.ObjectId | undefined;
  if (!seesAllCustomers(actor)) owner = actorUserId(actor);
  else if (opts.owner) owner = toObjectId(opts.owner, 'notFound.user');
  if (opts.owner && !seesAllCustomers(actor) && !sameId(opts.owner as Types.ObjectId, owner)) throw new CrmError('forbidden');

  const rows = await (opts.groups ?? openGroupsFromRollups)(owner);
  const stages = (await listOpportunityStages({ includeInactive: true })).filter((s) => s.kind === 'open');
  const add = (a: PipelineFigures, r: PipelineFigures) => {
    a.count += r.count;
    a.total += r.total;
    a.weighted += r.weighted;
  };
  const byStage = stages.map((stage) => ({ stage, count: 0, total: 0, weighted: 0 }));
  const byOwner = new Map<string, PipelineFigures & { owner: Types.ObjectId | null }>();
  const summary: PipelineSummary = { stages: [], count: 0, total: 0, weighted: 0 };
  for (const r of rows) {
    const line = byStage.find((s) => String(s.stage._id) === String(r.stage));
    // An open opportunity in a step the admin has since made non-open still counts in the totals.
    if (line) add(line, r);
    add(summary, r);
    const key = String(r.owner ?? '');
    const o = byOwner.get(key) ?? { owner: r.owner ?? null, count: 0, total: 0, weighted: 0 };
    add(o, r);
    byOwner.set(key, o);
  }
  summary.stages = byStage.filter((s) => s.stage.active || s.count > 0).map((s) => ({ ...s, weighted: Math.round(s.weighted) }));
  summary.weighted = Math.round(summary.weighted);
  if (seesAllCustomers(actor) && !owner) {
    // Owner names from the in-process staff list: no query per /pipeline.
    const names = await Promise.all([...byOwner.values()].map((o) => staffName(o.owner)));
    summary.owners = [...byOwner.values()]
      .map((o, i) => ({ ...o, weighted: Math.round(o.weighted), name: names[i]?.name ?? '' }))
      // Ties in a fixed order (name, then id), whichever order the figures were read in.
      .sort((a, b) => b.weighted - a.weighted || a.name.localeCompare(b.name) || String(a.owner ?? '').localeCompare(String(b.owner ?? '')));
  }
  return summary;
}
