import { Opportunity } from '../models/opportunity.js';
import type { Actor } from '../crm/users/actor.js';
import type { Period } from '../crm/reports/period.js';
import type { OutcomeRow } from '../crm/reports/pipeline.js';
import { pipelineFromRollups } from '../crm/rollups/pipelineFigures.js';

const outcome = (r: OutcomeRow) => ({ name: r.name, won: r.won, lost: r.lost, winRate: r.winRate, cycleDays: r.cycleDays });

/**
 * The dashboard's pipeline section, or null for a team that has never opened an opportunity: a
 * B2C team's dashboard stays as it was. The figures come from the rollups (crm/rollups/).
 */
export async function pipelineSection(actor: Actor, period: Period, timezone: string) {
  const [any, figures] = await Promise.all([Opportunity.exists({ deletedAt: null }), pipelineFromRollups(actor, period, timezone)]);
  if (!any) return null;
  return {
    stages: figures.stages.map((s) => ({ name: s.name, color: s.color, count: s.count, total: s.total, weighted: s.weighted })),
    forecast: figures.forecast,
    bySource: figures.bySource.map(outcome),
    bySalesperson: figures.bySalesperson.map(outcome),
  };
}
