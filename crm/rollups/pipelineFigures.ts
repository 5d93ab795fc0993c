import { Types } from 'mongoose';
import { DateTime } from 'luxon';
import { DashboardRollup } from '../../models/dashboardRollup.js';
import { Source } from '../../models/source.js';
import { User } from '../../models/user.js';
import { seesAllCustomers, type Actor } from '../users/actor.js';
import { daysOf, monthOf, type Period } from '../reports/period.js';
import { pipelineByStage, type ForecastMonth, type OutcomeRow, type PipelineStageRow } from '../reports/pipeline.js';
import { CELL_SEPARATOR, NO_SOURCE, WEIGHTED } from './cells.js';
import { ensureRollups } from './rebuild.js';

/**
 * The pipeline part of the dashboard read from the rollups, with the shapes and meanings of
 * crm/reports/pipeline.ts (pipelineByStage, weightedForecast, outcomesBySource/BySalesperson): open
 * value per step now, open value expected to close this month and next, and how the period's
 * closed opportunities ended.
 */
export interface PipelineFigures {
  stages: PipelineStageRow[];
  forecast: ForecastMonth[];
  bySource: OutcomeRow[];
  bySalesperson: OutcomeRow[];
}

type RollupDoc = { kind: string; day: string; owner: Types.ObjectId | null; counts?: Record<string, number>; sums?: Record<string, number> };

const DAY_MS = 86_400_000;
const idOf = (hex: string) => (hex === NO_SOURCE || !hex ? null : new Types.ObjectId(hex));

export async function pipelineFromRollups(actor: Actor, period: Period, timezone: string, now = new Date()): Promise<PipelineFigures> {
  await ensureRollups(timezone);
  const own = seesAllCustomers(actor) ? null : (actor as { id: Types.ObjectId }).id;
  const thisMonth = monthOf(now, timezone);
  const nextMonth = monthOf(new Date(thisMonth.to.getTime() + 1), timezone);
  const months = [thisMonth, nextMonth].map((m) => DateTime.fromJSDate(m.from, { zone: timezone }).toFormat('yyyy-MM'));
  const days = daysOf(period, timezone);
  const [docs, stageRows, sources, users] = await Promise.all([
    DashboardRollup.find({
      ...(own ? { owner: own } : {}),
      $or: [
        { kind: 'opportunityForecast', day: { $in: months } },
        { kind: 'opportunityOutcomes', day: { $gte: days[0], $lte: days[days.length - 1] } },
      ],
    })
      .select('kind day owner counts sums -_id')
      .lean<RollupDoc[]>(),
    // Open value per open step: /pipeline's own figures, read from the same rollups.
    pipelineByStage(actor),
    Source.find().select('name').lean(),
    User.find().select('name').lean(),
  ]);
  const ofKind = (kind: string) => docs.filter((d) => d.kind === kind);

  const forecast = months.map((month) => {
    let count = 0;
    let total = 0;
    let weighted = 0;
    for (const d of ofKind('opportunityForecast')) {
      if (d.day !== month) continue;
      count += d.counts?.open ?? 0;
      total += d.sums?.open ?? 0;
      weighted += (d.sums?.[`open${WEIGHTED}`] ?? 0) / 100;
    }
    return { month, count, total, weighted: Math.round(weighted) };
  });

  const sourceName = new Map(sources.map((s) => [String(s._id), s.name]));
  const userName = new Map(users.map((u) => [String(u._id), u.name]));
  const outcomes = (keyOf: (d: RollupDoc, source: string) => string, nameOf: Map<string, string>): OutcomeRow[] => {
    const rows = new Map<string, { won: number; lost: number; ms: number }>();
    for (const d of ofKind('opportunityOutcomes')) {
      for (const [cell, n] of Object.entries(d.counts ?? {})) {
        if (!n) continue;
        const [status, source] = cell.split(CELL_SEPARATOR) as [string, string];
        const key = keyOf(d, source);
        const row = rows.get(key) ?? { won: 0, lost: 0, ms: 0 };
        if (status === 'won') row.won += n;
        else row.lost += n;
        row.ms += d.sums?.[cell] ?? 0;
        rows.set(key, row);
      }
    }
    return [...rows.entries()]
      .filter(([, r]) => r.won + r.lost > 0)
      .map(([key, r]) => {
        const closed = r.won + r.lost;
        return { id: idOf(key), name: nameOf.get(key) ?? '—', won: r.won, lost: r.lost, winRate: r.won / closed, cycleDays: Math.round((r.ms / DAY_MS / closed) * 10) / 10 };
      })
      .sort((a, b) => b.won + b.lost - (a.won + a.lost) || b.winRate - a.winRate);
  };
  return {
    stages: stageRows,
    forecast,
    bySource: outcomes((_d, source) => source, sourceName),
    bySalesperson: outcomes((d) => (d.owner ? String(d.owner) : NO_SOURCE), userName),
  };
}
