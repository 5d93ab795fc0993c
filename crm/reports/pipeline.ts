import { DateTime } from 'luxon';
import type { Types } from 'mongoose';
import { Opportunity } from '../../models/opportunity.js';
import { Source } from '../../models/source.js';
import { User } from '../../models/user.js';
import type { Actor } from '../users/actor.js';
import { opportunityScope } from '../opportunities/opportunities.js';
import { pipelineSummary, type OpenGroup } from '../opportunities/pipelineSummary.js';
import { monthOf, type Period } from './period.js';

/**
 * The pipeline's figures for the dashboard: what is open at each step, what should close this
 * month and next, and how past opportunities ended. Scoped like the other reports (a salesperson,
 * their own opportunities). Weighted value is value × probability, as in /pipeline: an opportunity
 * takes its step's probability when it enters it, and one without any weighs nothing.
 */

const LIVE = { deletedAt: null };
const DAY_MS = 86_400_000;

export interface PipelineStageRow {
  stageId: Types.ObjectId;
  name: string;
  color: string;
  count: number;
  total: number;
  weighted: number;
}

/**
 * Open value per open step, in pipeline order (a step with nothing in it still shows, at zero):
 * /pipeline's figures, read from the rollups, or counted from the opportunities themselves with
 * `openGroupsByScan` (what the rollups are checked against).
 */
export async function pipelineByStage(actor: Actor, groups?: (owner?: Types.ObjectId) => Promise<OpenGroup[]>): Promise<PipelineStageRow[]> {
  const summary = await pipelineSummary(actor, { groups });
  return summary.stages.map((s) => ({ stageId: s.stage._id, name: s.stage.name, color: s.stage.color, count: s.count, total: s.total, weighted: s.weighted }));
}

export interface ForecastMonth {
  /** yyyy-mm in the company's zone. */
  month: string;
  count: number;
  total: number;
  weighted: number;
}

async function forecastFor(actor: Actor, month: Period, timezone: string): Promise<ForecastMonth> {
  const [row] = await Opportunity.aggregate<{ count: number; total: number; weighted: number }>([
    { $match: { ...opportunityScope(actor), ...LIVE, status: 'open', expectedCloseAt: { $gte: month.from, $lte: month.to } } },
    {
      $group: {
        _id: null,
        count: { $sum: 1 },
        total: { $sum: '$value' },
        weighted: { $sum: { $multiply: ['$value', { $divide: [{ $ifNull: ['$probability', 0] }, 100] }] } },
      },
    },
  ]);
  const label = DateTime.fromJSDate(month.from, { zone: timezone }).toFormat('yyyy-MM');
  return { month: label, count: row?.count ?? 0, total: row?.total ?? 0, weighted: Math.round(row?.weighted ?? 0) };
}

/** Open opportunities expected to close this month and next (calendar months in the company's zone). */
export async function weightedForecast(actor: Actor, timezone: string, now = new Date()): Promise<ForecastMonth[]> {
  const thisMonth = monthOf(now, timezone);
  const nextMonth = monthOf(new Date(thisMonth.to.getTime() + 1), timezone);
  return Promise.all([forecastFor(actor, thisMonth, timezone), forecastFor(actor, nextMonth, timezone)]);
}

export interface OutcomeRow {
  id: Types.ObjectId | null;
  name: string;
  won: number;
  lost: number;
  /** won ÷ (won + lost); 0 when nothing closed. */
  winRate: number;
  /** Average days from creation to closing, over the won and the lost alike; null when nothing closed. */
  cycleDays: number | null;
}

/**
 * How the opportunities closed in the period ended, per source or per salesperson. The cycle
 * counts both outcomes: a team that loses slowly spends that time too.
 */
async function outcomesBy(actor: Actor, period: Period, field: 'source' | 'owner'): Promise<OutcomeRow[]> {
  const docs = await Opportunity.find({ ...opportunityScope(actor), ...LIVE, status: { $in: ['won', 'lost'] }, closedAt: { $gte: period.from, $lte: period.to } })
    .select(`${field} status createdAt closedAt`)
    .lean();
  const rows = new Map<string, { id: Types.ObjectId | null; won: number; lost: number; days: number }>();
  for (const d of docs) {
    const id = (d[field] as Types.ObjectId | undefined) ?? null;
    const row = rows.get(String(id)) ?? { id, won: 0, lost: 0, days: 0 };
    if (d.status === 'won') row.won += 1;
    else row.lost += 1;
    row.days += Math.max(0, (d.closedAt!.getTime() - d.createdAt.getTime()) / DAY_MS);
    rows.set(String(id), row);
  }
  const model = field === 'source' ? Source : User;
  const named = await (model as typeof Source).find({ _id: { $in: [...rows.values()].map((r) => r.id).filter(Boolean) } }).select('name').lean();
  const names = new Map(named.map((n) => [String(n._id), n.name]));
  return [...rows.values()]
    .map((r) => {
      const closed = r.won + r.lost;
      return { id: r.id, name: names.get(String(r.id)) ?? '—', won: r.won, lost: r.lost, winRate: closed ? r.won / closed : 0, cycleDays: closed ? Math.round((r.days / closed) * 10) / 10 : null };
    })
    .sort((a, b) => b.won + b.lost - (a.won + a.lost) || b.winRate - a.winRate);
}

export const outcomesBySource = (actor: Actor, period: Period) => outcomesBy(actor, period, 'source');
export const outcomesBySalesperson = (actor: Actor, period: Period) => outcomesBy(actor, period, 'owner');
