import type { Types } from 'mongoose';
import { Opportunity } from '../../models/opportunity.js';
import { OpportunityStage } from '../../models/opportunityStage.js';
import { Source } from '../../models/source.js';
import { User } from '../../models/user.js';
import { seesAllCustomers, type Actor } from '../users/actor.js';
import { monthOf, type Period } from './period.js';

/**
 * The pipeline's figures for the dashboard: what is open at each step, what should close this
 * month and next, and how past opportunities ended. Scoped like the other reports (a salesperson,
 * their own opportunities). Weighted value is value × probability: the opportunity's own
 * probability, or else its step's, or else nothing.
 */

const LIVE = { deletedAt: null };
const DAY_MS = 86_400_000;

function opportunityScope(actor: Actor): Record<string, unknown> {
  return seesAllCustomers(actor) ? {} : { owner: (actor as { id: Types.ObjectId }).id };
}

interface StageSums {
  _id: Types.ObjectId;
  count: number;
  total: number;
  /** Σ value × own probability, for opportunities that have one. */
  ownWeighted: number;
  /** Σ value of those without one: they take their step's probability. */
  withoutProbability: number;
}

/** Open opportunities matching `match`, summed per step: the one aggregation both reports share. */
async function openSumsByStage(actor: Actor, match: Record<string, unknown> = {}) {
  const hasOwn = { $ne: [{ $ifNull: ['$probability', null] }, null] };
  const [rows, steps] = await Promise.all([
    Opportunity.aggregate<StageSums>([
      { $match: { ...opportunityScope(actor), ...LIVE, status: 'open', ...match } },
      {
        $group: {
          _id: '$stage',
          count: { $sum: 1 },
          total: { $sum: '$value' },
          ownWeighted: { $sum: { $cond: [hasOwn, { $multiply: ['$value', '$probability'] }, 0] } },
          withoutProbability: { $sum: { $cond: [hasOwn, 0, '$value'] } },
        },
      },
    ]),
    OpportunityStage.find().sort({ order: 1, _id: 1 }).lean(),
  ]);
  const sums = new Map(rows.map((r) => [String(r._id), r]));
  return steps.map((step) => {
    const r = sums.get(String(step._id));
    const weighted = r ? (r.ownWeighted + r.withoutProbability * (step.probability ?? 0)) / 100 : 0;
    return { step, count: r?.count ?? 0, total: r?.total ?? 0, weighted: Math.round(weighted) };
  });
}

export interface PipelineStageRow {
  stageId: Types.ObjectId;
  name: string;
  color: string;
  count: number;
  total: number;
  weighted: number;
}

/** Open value per open step, in pipeline order (a step with nothing in it still shows, at zero). */
export async function pipelineByStage(actor: Actor): Promise<PipelineStageRow[]> {
  const rows = await openSumsByStage(actor);
  return rows
    .filter((r) => r.step.kind === 'open' && (r.step.active || r.count))
    .map((r) => ({ stageId: r.step._id, name: r.step.name, color: r.step.color, count: r.count, total: r.total, weighted: r.weighted }));
}

export interface ForecastMonth {
  /** yyyy-mm in the company's zone. */
  month: string;
  count: number;
  total: number;
  weighted: number;
}

async function forecastFor(actor: Actor, month: Period, label: string): Promise<ForecastMonth> {
  const rows = await openSumsByStage(actor, { expectedCloseAt: { $gte: month.from, $lte: month.to } });
  return {
    month: label,
    count: rows.reduce((s, r) => s + r.count, 0),
    total: rows.reduce((s, r) => s + r.total, 0),
    weighted: rows.reduce((s, r) => s + r.weighted, 0),
  };
}

/** Open opportunities expected to close this month and next (calendar months in the company's zone). */
export async function weightedForecast(actor: Actor, timezone: string, now = new Date()): Promise<ForecastMonth[]> {
  const thisMonth = monthOf(now, timezone);
  const nextMonth = monthOf(new Date(thisMonth.to.getTime() + 1), timezone);
  const label = (p: Period) => {
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit' }).formatToParts(p.from);
    return `${parts.find((x) => x.type === 'year')!.value}-${parts.find((x) => x.type === 'month')!.value}`;
  };
  return Promise.all([forecastFor(actor, thisMonth, label(thisMonth)), forecastFor(actor, nextMonth, label(nextMonth))]);
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
