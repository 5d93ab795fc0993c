import { Opportunity } from '../models/opportunity.js';
import type { Actor } from '../crm/users/actor.js';
import type { Period } from '../crm/reports/period.js';
import { pipelineByStage, weightedForecast, outcomesBySource, outcomesBySalesperson, type OutcomeRow } from '../crm/reports/pipeline.js';

const outcome = (r: OutcomeRow) => ({ name: r.name, won: r.won, lost: r.lost, winRate: r.winRate, cycleDays: r.cycleDays });

/**
 * The dashboard's pipeline section, or null for a team that has never opened an opportunity: a
 * B2C team's dashboard stays as it was.
 */
export async function pipelineSection(actor: Actor, period: Period, timezone: string) {
  if (!(await Opportunity.exists({ deletedAt: null }))) return null;
  const [stages, forecast, bySource, bySalesperson] = await Promise.all([
    pipelineByStage(actor),
    weightedForecast(actor, timezone),
    outcomesBySource(actor, period),
    outcomesBySalesperson(actor, period),
  ]);
  return {
    stages: stages.map((s) => ({ name: s.name, color: s.color, count: s.count, total: s.total, weighted: s.weighted })),
    forecast,
    bySource: bySource.map(outcome),
    bySalesperson: bySalesperson.map(outcome),
  };
}
