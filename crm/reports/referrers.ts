import type { Types } from 'mongoose';
import { Customer } from '../../models/customer.js';
import { Deal } from '../../models/deal.js';
import { User } from '../../models/user.js';
import { customerScope, type Actor } from '../users/actor.js';
import { stageIdsOfKind } from './reports.js';
import type { Period } from './period.js';

export interface ReferrerRow {
  kind: 'customer' | 'user';
  id: Types.ObjectId;
  /** The referrer's name; a customer's with their code, as staff quote it. */
  name: string;
  /** Customers they referred who were created in the period. */
  customers: number;
  /** Of those, the ones now in a won stage. */
  won: number;
  /** Everything those customers have bought (their won deals). */
  revenue: number;
}

/**
 * "Khách do ai giới thiệu": per referrer (a customer or a staff member), the customers they brought
 * in the period, how many were won and what they bought. Referred customers are a small part of
 * the base, so their deals are summed with one look-up by customer rather than a join.
 */
export async function customersByReferrer(actor: Actor, period: Period): Promise<ReferrerRow[]> {
  const [wonIds, referred] = await Promise.all([
    stageIdsOfKind('won'),
    Customer.find({ ...customerScope(actor), deletedAt: null, 'referrer.id': { $ne: null }, createdAt: { $gte: period.from, $lte: period.to } })
      .select('referrer stage')
      .lean(),
  ]);
  if (!referred.length) return [];
  const won = new Set(wonIds.map(String));
  const deals = await Deal.aggregate<{ _id: Types.ObjectId; revenue: number }>([
    { $match: { customer: { $in: referred.map((c) => c._id) } } },
    { $group: { _id: '$customer', revenue: { $sum: '$amount' } } },
  ]);
  const revenueOf = new Map(deals.map((d) => [String(d._id), d.revenue]));
  const rows = new Map<string, ReferrerRow>();
  for (const c of referred) {
    const ref = c.referrer!;
    const key = `${ref.kind}:${ref.id}`;
    const row = rows.get(key) ?? { kind: ref.kind as ReferrerRow['kind'], id: ref.id, name: '—', customers: 0, won: 0, revenue: 0 };
    row.customers += 1;
    if (won.has(String(c.stage))) row.won += 1;
    row.revenue += revenueOf.get(String(c._id)) ?? 0;
    rows.set(key, row);
  }
  const idsOf = (kind: ReferrerRow['kind']) => [...rows.values()].filter((r) => r.kind === kind).map((r) => r.id);
  const [customers, users] = await Promise.all([
    Customer.find({ _id: { $in: idsOf('customer') } }).select('name code').lean(),
    User.find({ _id: { $in: idsOf('user') } }).select('name').lean(),
  ]);
  const names = new Map<string, string>([
    ...customers.map((c) => [`customer:${c._id}`, `${c.name} (${c.code})`] as [string, string]),
    ...users.map((u) => [`user:${u._id}`, u.name] as [string, string]),
  ]);
  return [...rows.entries()]
    .map(([key, row]) => ({ ...row, name: names.get(key) ?? '—' }))
    .sort((a, b) => b.revenue - a.revenue || b.customers - a.customers || a.name.localeCompare(b.name, 'vi'));
}
