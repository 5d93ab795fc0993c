import type { Types } from 'mongoose';
import { Customer } from '../../models/customer.js';
import { Interaction } from '../../models/interaction.js';
import { Deal } from '../../models/deal.js';
import { customerScope, seesAllCustomers, type Actor } from '../users/actor.js';
import { stageIdsOfKind } from './reports.js';
import type { Period } from './period.js';
import { campaignInteractionCount } from './campaignInteractions.js';

/** The headline figures of a period, the same for the current one and the one it is compared with. */
export interface PeriodSummary {
  newCustomers: number;
  /** Of the customers created in the period, those now in a won stage. */
  wonCustomers: number;
  /** wonCustomers / newCustomers (0 when there were none). */
  conversionRate: number;
  interactions: number;
  wonDeals: number;
  revenue: number;
}

/**
 * One period's figures, scoped like every report: a salesperson counts their own customers, the
 * interactions they logged and the deals they own; managers and admins the team's.
 */
export async function periodSummary(actor: Actor, period: Period): Promise<PeriodSummary> {
  const range = { $gte: period.from, $lte: period.to };
  const own = seesAllCustomers(actor) ? null : (actor as { id: Types.ObjectId }).id;
  const wonIds = await stageIdsOfKind('won');
  const [cohort, logged, fromCampaigns, deals] = await Promise.all([
    Customer.aggregate<{ total: number; won: number }>([
      { $match: { ...customerScope(actor), deletedAt: null, createdAt: range } },
      { $group: { _id: null, total: { $sum: 1 }, won: { $sum: { $cond: [{ $in: ['$stage', wonIds] }, 1, 0] } } } },
    ]),
    Interaction.countDocuments({ user: own ?? { $ne: null }, occurredAt: range }),
    campaignInteractionCount(own, period),
    Deal.aggregate<{ n: number; revenue: number }>([
      { $match: { ...(own ? { owner: own } : {}), closedAt: range } },
      { $group: { _id: null, n: { $sum: 1 }, revenue: { $sum: '$amount' } } },
    ]),
  ]);
  const newCustomers = cohort[0]?.total ?? 0;
  const wonCustomers = cohort[0]?.won ?? 0;
  return {
    newCustomers,
    wonCustomers,
    conversionRate: newCustomers ? wonCustomers / newCustomers : 0,
    interactions: logged + fromCampaigns,
    wonDeals: deals[0]?.n ?? 0,
    revenue: deals[0]?.revenue ?? 0,
  };
}
