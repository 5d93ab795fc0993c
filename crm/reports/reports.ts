import type { Types } from 'mongoose';
import { Customer } from '../../models/customer.js';
import { Interaction } from '../../models/interaction.js';
import { FollowUp } from '../../models/followUp.js';
import { Deal } from '../../models/deal.js';
import { Source } from '../../models/source.js';
import { User } from '../../models/user.js';
import { customerScope, seesAllCustomers, type Actor } from '../users/actor.js';
import { listStages } from '../stages/stages.js';
import type { Period } from './period.js';
import { campaignInteractionCount, campaignInteractionsByOwner } from './campaignInteractions.js';

/**
 * KPI reports. Each is scoped by the actor: managers and admins see the team, a salesperson their
 * own customers. Every one is a single aggregation plus small look-ups of names.
 */

const NOT_DELETED = { deletedAt: null };

function ownerScope(actor: Actor, field = 'owner'): Record<string, unknown> {
  return seesAllCustomers(actor) ? {} : { [field]: (actor as { id: Types.ObjectId }).id };
}

async function namesOf(model: typeof Source | typeof User, ids: unknown[]): Promise<Map<string, string>> {
  const docs = await (model as typeof Source).find({ _id: { $in: ids.filter(Boolean) } }).select('name').lean();
  return new Map(docs.map((d) => [String(d._id), d.name]));
}

/** The stages of one kind (won, dormant…), inactive ones included: old customers still sit in them. */
export async function stageIdsOfKind(kind: string): Promise<Types.ObjectId[]> {
  return (await listStages({ includeInactive: true })).filter((s) => s.kind === kind).map((s) => s._id);
}

export interface StageCount {
  stageId: Types.ObjectId;
  name: string;
  color: string;
  kind: string;
  count: number;
  share: number;
}

export async function customersByStage(actor: Actor): Promise<StageCount[]> {
  const [rows, stages] = await Promise.all([
    Customer.aggregate<{ _id: Types.ObjectId; count: number }>([
      { $match: { ...customerScope(actor), ...NOT_DELETED } },
      { $group: { _id: '$stage', count: { $sum: 1 } } },
    ]),
    listStages({ includeInactive: true }),
  ]);
  const counts = new Map(rows.map((r) => [String(r._id), r.count]));
  const total = rows.reduce((s, r) => s + r.count, 0);
  return stages
    .filter((s) => s.active || counts.get(String(s._id)))
    .map((s) => {
      const count = counts.get(String(s._id)) ?? 0;
      return { stageId: s._id, name: s.name, color: s.color, kind: s.kind, count, share: total ? count / total : 0 };
    });
}

export interface SourceRow {
  sourceId: Types.ObjectId | null;
  name: string;
  count: number;
}

export async function newCustomersBySource(actor: Actor, period: Period): Promise<SourceRow[]> {
  const rows = await Customer.aggregate<{ _id: Types.ObjectId | null; count: number }>([
    { $match: { ...customerScope(actor), ...NOT_DELETED, createdAt: { $gte: period.from, $lte: period.to } } },
    { $group: { _id: '$source', count: { $sum: 1 } } },
    { $sort: { count: -1 } },
  ]);
  const names = await namesOf(Source, rows.map((r) => r._id));
  return rows.map((r) => ({ sourceId: r._id, name: names.get(String(r._id)) ?? '—', count: r.count }));
}

export interface ConversionRow {
  sourceId: Types.ObjectId | null;
  name: string;
  total: number;
  won: number;
  rate: number;
}

/** Won customers over all customers, per source (of customers created in the period, if given). */
export async function conversionBySource(actor: Actor, period?: Period): Promise<ConversionRow[]> {
  const wonIds = await stageIdsOfKind('won');
  const match: Record<string, unknown> = { ...customerScope(actor), ...NOT_DELETED };
  if (period) match.createdAt = { $gte: period.from, $lte: period.to };
  const rows = await Customer.aggregate<{ _id: Types.ObjectId | null; total: number; won: number }>([
    { $match: match },
    { $group: { _id: '$source', total: { $sum: 1 }, won: { $sum: { $cond: [{ $in: ['$stage', wonIds] }, 1, 0] } } } },
    { $sort: { total: -1 } },
  ]);
  const names = await namesOf(Source, rows.map((r) => r._id));
  return rows.map((r) => ({ sourceId: r._id, name: names.get(String(r._id)) ?? '—', total: r.total, won: r.won, rate: r.total ? r.won / r.total : 0 }));
}

export interface SalespersonActivity {
  userId: Types.ObjectId;
  name: string;
  total: number;
  byType: Record<string, number>;
}

export async function interactionsBySalesperson(actor: Actor, period: Period): Promise<SalespersonActivity[]> {
  const [logged, fromCampaigns] = await Promise.all([
    Interaction.aggregate<{ _id: { user: Types.ObjectId; type: string }; count: number }>([
      { $match: { user: { $ne: null }, ...ownerScope(actor, 'user'), occurredAt: { $gte: period.from, $lte: period.to } } },
      { $group: { _id: { user: '$user', type: '$type' }, count: { $sum: 1 } } },
    ]),
    campaignInteractionsByOwner(actor, period),
  ]);
  const rows = [...logged, ...fromCampaigns.map((c) => ({ _id: { user: c.owner, type: c.kind }, count: c.count }))];
  const byUser = new Map<string, SalespersonActivity>();
  for (const r of rows) {
    const key = String(r._id.user);
    const entry = byUser.get(key) ?? { userId: r._id.user, name: '', total: 0, byType: {} };
    entry.total += r.count;
    entry.byType[r._id.type] = (entry.byType[r._id.type] ?? 0) + r.count;
    byUser.set(key, entry);
  }
  const names = await namesOf(User, [...byUser.values()].map((e) => e.userId));
  return [...byUser.values()].map((e) => ({ ...e, name: names.get(String(e.userId)) ?? '—' })).sort((a, b) => b.total - a.total);
}

export interface RevenueRow {
  id: Types.ObjectId | null;
  name: string;
  deals: number;
  revenue: number;
}

async function revenueBy(actor: Actor, period: Period, field: 'source' | 'owner'): Promise<RevenueRow[]> {
  const rows = await Deal.aggregate<{ _id: Types.ObjectId | null; deals: number; revenue: number }>([
    { $match: { ...ownerScope(actor), closedAt: { $gte: period.from, $lte: period.to } } },
    { $group: { _id: `$${field}`, deals: { $sum: 1 }, revenue: { $sum: '$amount' } } },
    { $sort: { revenue: -1 } },
  ]);
  const names = await namesOf(field === 'source' ? Source : User, rows.map((r) => r._id));
  return rows.map((r) => ({ id: r._id, name: names.get(String(r._id)) ?? '—', deals: r.deals, revenue: r.revenue }));
}

export const revenueBySource = (actor: Actor, period: Period) => revenueBy(actor, period, 'source');
export const revenueBySalesperson = (actor: Actor, period: Period) => revenueBy(actor, period, 'owner');

export async function overdueFollowUpCount(actor: Actor, now = new Date()): Promise<number> {
  return FollowUp.countDocuments({ ...ownerScope(actor), status: { $in: ['scheduled', 'open'] }, dueAt: { $lt: now } });
}

export async function dormantCount(actor: Actor): Promise<number> {
  const dormant = await stageIdsOfKind('dormant');
  return Customer.countDocuments({ ...customerScope(actor), ...NOT_DELETED, stage: { $in: dormant } });
}

export interface MonthStats {
  newLeads: number;
  interactions: number;
  wonDeals: number;
  revenue: number;
}

/** One person's figures for a period (/stats): leads they got, what they logged, what they won. */
export async function personalStats(actor: Actor & { kind: 'user' }, period: Period): Promise<MonthStats> {
  const range = { $gte: period.from, $lte: period.to };
  const [newLeads, logged, fromCampaigns, deals] = await Promise.all([
    Customer.countDocuments({ owner: actor.id, ...NOT_DELETED, createdAt: range }),
    Interaction.countDocuments({ user: actor.id, occurredAt: range }),
    // The person's own customers' campaign deliveries, even for a manager asking about themselves.
    campaignInteractionCount(actor.id, period),
    Deal.aggregate<{ n: number; revenue: number }>([
      { $match: { owner: actor.id, closedAt: range } },
      { $group: { _id: null, n: { $sum: 1 }, revenue: { $sum: '$amount' } } },
    ]),
  ]);
  return { newLeads, interactions: logged + fromCampaigns, wonDeals: deals[0]?.n ?? 0, revenue: deals[0]?.revenue ?? 0 };
}
