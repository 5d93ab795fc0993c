import { Types } from 'mongoose';
import { DashboardRollup } from '../../models/dashboardRollup.js';
import { Customer } from '../../models/customer.js';
import { Source } from '../../models/source.js';
import { User } from '../../models/user.js';
import { seesAllCustomers, type Actor } from '../users/actor.js';
import { listStages } from '../stages/stages.js';
import { daysOf, type Period } from '../reports/period.js';
import { campaignInteractionCount, campaignInteractionsByOwner } from '../reports/campaignInteractions.js';
import type { ConversionRow, RevenueRow, SalespersonActivity, StageCount } from '../reports/reports.js';
import type { DaySourceCount } from '../reports/newCustomersPerDay.js';
import type { PeriodSummary } from '../reports/periodSummary.js';
import type { ReferrerRow } from '../reports/referrers.js';
import { CELL_SEPARATOR, NO_SOURCE } from './cells.js';
import { ensureRollups } from './rebuild.js';

/**
 * The dashboard's counts read from the rollups instead of scanning customers, interactions and
 * deals: one read of the rollup documents of the two periods (a few per owner and day), the stage
 * list and the names, side by side. Each figure has the shape and meaning of the report it replaces
 * in crm/reports/ (customersByStage, newCustomersPerDayBySource, conversionBySource,
 * interactionsBySalesperson, revenueBy*, dormantCount, periodSummary, customersByReferrer); test/crm/rollups.test.ts
 * holds them equal after a random workload.
 */
export interface RollupFigures {
  funnel: StageCount[];
  perDay: DaySourceCount[];
  conversion: ConversionRow[];
  interactions: SalespersonActivity[];
  revenueBySource: RevenueRow[];
  revenueBySalesperson: RevenueRow[];
  dormant: number;
  current: PeriodSummary;
  previous: PeriodSummary;
  referrers: ReferrerRow[];
}

type RollupDoc = { kind: string; day: string; owner: Types.ObjectId | null; counts?: Record<string, number>; sums?: Record<string, number> };

const idOf = (hex: string) => (hex === NO_SOURCE || !hex ? null : new Types.ObjectId(hex));
const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);

export async function dashboardFromRollups(actor: Actor, period: Period, previous: Period, timezone: string): Promise<RollupFigures> {
  await ensureRollups(timezone);
  const own = seesAllCustomers(actor) ? null : (actor as { id: Types.ObjectId }).id;
  const days = daysOf(period, timezone);
  const previousDays = daysOf(previous, timezone);
  const [docs, stages, sources, users, campaignRows, campaignNow, campaignBefore] = await Promise.all([
    DashboardRollup.find({
      ...(own ? { owner: own } : {}),
      $or: [{ kind: 'customers' }, { kind: { $in: ['newCustomers', 'interactions', 'deals', 'referredCustomers'] }, day: { $gte: previousDays[0] ?? days[0], $lte: days[days.length - 1] } }],
    })
      .select('kind day owner counts sums -_id')
      .lean<RollupDoc[]>(),
    listStages({ includeInactive: true }),
    // Sources and staff are short lists: read whole rather than waiting for the ids first.
    Source.find().select('name').lean(),
    User.find().select('name').lean(),
    campaignInteractionsByOwner(actor, period),
    campaignInteractionCount(own, period),
    campaignInteractionCount(own, previous),
  ]);
  const sourceName = new Map(sources.map((s) => [String(s._id), s.name]));
  const userName = new Map(users.map((u) => [String(u._id), u.name]));
  const wonStages = new Set(stages.filter((s) => s.kind === 'won').map((s) => String(s._id)));
  const dormantStages = new Set(stages.filter((s) => s.kind === 'dormant').map((s) => String(s._id)));
  const inPeriod = (d: RollupDoc) => d.day >= days[0]! && d.day <= days[days.length - 1]!;
  const inPrevious = (d: RollupDoc) => d.day >= previousDays[0]! && d.day <= previousDays[previousDays.length - 1]!;
  const ofKind = (kind: string, when: (d: RollupDoc) => boolean = () => true) => docs.filter((d) => d.kind === kind && when(d));

  // The funnel and dormant customers: the snapshot, per stage.
  const byStage = new Map<string, number>();
  for (const d of ofKind('customers')) for (const [stage, n] of Object.entries(d.counts ?? {})) add(byStage, stage, n);
  const total = [...byStage.values()].reduce((s, n) => s + n, 0);
  const funnel = stages
    .filter((s) => s.active || byStage.get(String(s._id)))
    .map((s) => {
      const count = byStage.get(String(s._id)) ?? 0;
      return { stageId: s._id, name: s.name, color: s.color, kind: s.kind, count, share: total ? count / total : 0 };
    });
  const dormant = [...byStage.entries()].filter(([stage]) => dormantStages.has(stage)).reduce((s, [, n]) => s + n, 0);

  // New customers of the period: per day and source, and per source with the won ones.
  const perDayCounts = new Map<string, number>();
  const bySource = new Map<string, { total: number; won: number }>();
  for (const d of ofKind('newCustomers', inPeriod)) {
    for (const [cell, n] of Object.entries(d.counts ?? {})) {
      if (!n) continue;
      const [stage, source] = cell.split(CELL_SEPARATOR) as [string, string];
      add(perDayCounts, `${d.day}|${source}`, n);
      const row = bySource.get(source) ?? { total: 0, won: 0 };
      row.total += n;
      if (wonStages.has(stage)) row.won += n;
      bySource.set(source, row);
    }
  }
  const dayIndex = new Map(days.map((day, i) => [day, i]));
  const perDay = [...perDayCounts.entries()]
    .filter(([, count]) => count > 0)
    .map(([key, count]) => {
      const [day, source] = key.split('|') as [string, string];
      return { dayIndex: dayIndex.get(day)!, day, source: sourceName.get(source) ?? '—', count };
    })
    .sort((a, b) => a.dayIndex - b.dayIndex || a.source.localeCompare(b.source))
    .map(({ day, source, count }) => ({ day, source, count }));
  const conversion = [...bySource.entries()]
    .filter(([, r]) => r.total > 0)
    .map(([source, r]) => ({ sourceId: idOf(source), name: sourceName.get(source) ?? '—', total: r.total, won: r.won, rate: r.total ? r.won / r.total : 0 }))
    .sort((a, b) => b.total - a.total);

  // Interactions per salesperson, the campaign deliveries that count as interactions included.
  const people = new Map<string, SalespersonActivity>();
  const logged = (owner: string, type: string, n: number) => {
    const entry = people.get(owner) ?? { userId: new Types.ObjectId(owner), name: userName.get(owner) ?? '—', total: 0, byType: {} };
    entry.total += n;
    entry.byType[type] = (entry.byType[type] ?? 0) + n;
    people.set(owner, entry);
  };
  for (const d of ofKind('interactions', inPeriod)) for (const [type, n] of Object.entries(d.counts ?? {})) if (n) logged(String(d.owner), type, n);
  for (const c of campaignRows) logged(String(c.owner), c.kind, c.count);
  const interactions = [...people.values()].filter((p) => p.total > 0).sort((a, b) => b.total - a.total);

  // Revenue per source and per salesperson.
  const revenue = (key: (d: RollupDoc, cell: string) => string, name: (key: string) => string, id: (key: string) => Types.ObjectId | null): RevenueRow[] => {
    const rows = new Map<string, { deals: number; revenue: number }>();
    for (const d of ofKind('deals', inPeriod)) {
      for (const [cell, n] of Object.entries(d.counts ?? {})) {
        const row = rows.get(key(d, cell)) ?? { deals: 0, revenue: 0 };
        row.deals += n;
        row.revenue += d.sums?.[cell] ?? 0;
        rows.set(key(d, cell), row);
      }
    }
    return [...rows.entries()]
      .filter(([, r]) => r.deals > 0)
      .map(([k, r]) => ({ id: id(k), name: name(k), deals: r.deals, revenue: r.revenue }))
      .sort((a, b) => b.revenue - a.revenue);
  };
  const revenueBySource = revenue((_d, cell) => cell, (k) => sourceName.get(k) ?? '—', idOf);
  const revenueBySalesperson = revenue((d) => (d.owner ? String(d.owner) : ''), (k) => userName.get(k) ?? '—', idOf);

  const summary = (when: (d: RollupDoc) => boolean, campaign: number): PeriodSummary => {
    let newCustomers = 0;
    let wonCustomers = 0;
    let logged = 0;
    let wonDeals = 0;
    let revenueTotal = 0;
    for (const d of docs) {
      if (d.kind === 'customers' || !when(d)) continue;
      for (const [cell, n] of Object.entries(d.counts ?? {})) {
        if (d.kind === 'newCustomers') {
          newCustomers += n;
          if (wonStages.has(cell.split(CELL_SEPARATOR)[0]!)) wonCustomers += n;
        } else if (d.kind === 'interactions') logged += n;
        else if (d.kind === 'deals') {
          wonDeals += n;
          revenueTotal += d.sums?.[cell] ?? 0;
        }
      }
    }
    return { newCustomers, wonCustomers, conversionRate: newCustomers ? wonCustomers / newCustomers : 0, interactions: logged + campaign, wonDeals, revenue: revenueTotal };
  };

  return {
    referrers: await referrerRows(ofKind('referredCustomers', inPeriod), wonStages, userName),
    funnel,
    perDay,
    conversion,
    interactions,
    revenueBySource,
    revenueBySalesperson,
    dormant,
    current: summary(inPeriod, campaignNow),
    previous: summary(inPrevious, campaignBefore),
  };
}

/**
 * "Khách do ai giới thiệu": per referrer, the customers they brought in the period, the won ones
 * and what those customers bought. Customer referrers are named with their code, read once the
 * rollups have said who they are.
 */
async function referrerRows(docs: RollupDoc[], wonStages: Set<string>, userName: Map<string, string>): Promise<ReferrerRow[]> {
  const rows = new Map<string, ReferrerRow>();
  for (const d of docs) {
    for (const [cell, n] of Object.entries(d.counts ?? {})) {
      const [referrer, stage] = cell.split(CELL_SEPARATOR) as [string, string];
      const [kind, id] = referrer.split(':') as [ReferrerRow['kind'], string];
      const row = rows.get(referrer) ?? { kind, id: new Types.ObjectId(id), name: '—', customers: 0, won: 0, revenue: 0 };
      row.customers += n;
      if (wonStages.has(stage)) row.won += n;
      rows.set(referrer, row);
    }
    for (const [cell, amount] of Object.entries(d.sums ?? {})) {
      const referrer = cell.split(CELL_SEPARATOR)[0]!;
      const row = rows.get(referrer);
      if (row) row.revenue += amount;
    }
  }
  const live = [...rows.values()].filter((r) => r.customers > 0);
  const customers = await Customer.find({ _id: { $in: live.filter((r) => r.kind === 'customer').map((r) => r.id) } }).select('name code').lean();
  const customerName = new Map(customers.map((c) => [String(c._id), `${c.name} (${c.code})`]));
  return live
    .map((r) => ({ ...r, name: (r.kind === 'customer' ? customerName.get(String(r.id)) : userName.get(String(r.id))) ?? '—' }))
    .sort((a, b) => b.revenue - a.revenue || b.customers - a.customers || a.name.localeCompare(b.name, 'vi'));
}
