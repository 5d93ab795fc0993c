import { Types } from 'mongoose';
import { byPhone } from '../crm/customers/phoneFilter.js';
import { seedDemo } from '../crm/demo/seedDemo.js';
import { CampaignDelivery } from '../models/campaignDelivery.js';
import { Customer } from '../models/customer.js';
import { Deal } from '../models/deal.js';
import { FollowUp } from '../models/followUp.js';
import { Interaction } from '../models/interaction.js';
import { openBenchDatabase } from './lib/benchDatabase.js';

/**
 * On a real MongoDB (MONGODB_URI), the winning plan of each hot query: an index scan (IXSCAN), or a
 * whole-collection scan (COLLSCAN) or an in-memory SORT, which are what a missing or unusable index
 * looks like. The embedded database has no planner, so this runs only against MongoDB.
 */
export interface ExplainedQuery {
  query: string;
  plan: string;
  usesIndex: boolean;
  sortsInMemory: boolean;
}

type Explainable = { explain(verbosity?: string): Promise<unknown> };

interface PlanStage {
  stage: string;
  indexName?: string;
  inputStage?: PlanStage;
  inputStages?: PlanStage[];
}

function describe(stage: PlanStage | undefined): string {
  if (!stage) return '?';
  const self = stage.indexName ? `${stage.stage}(${stage.indexName})` : stage.stage;
  const inputs = stage.inputStage ? [stage.inputStage] : (stage.inputStages ?? []);
  return inputs.length ? `${self} < ${inputs.map(describe).join(' + ')}` : self;
}

export async function explainHotQueries(): Promise<ExplainedQuery[]> {
  const db = await openBenchDatabase('explain');
  try {
    await seedDemo({ customers: 2000 });
    const customer = (await Customer.findOne({ 'phones.0': { $exists: true } }).lean())!;
    const campaign = new Types.ObjectId();
    await CampaignDelivery.insertMany(Array.from({ length: 50 }, (_, i) => ({ campaign, customer: new Types.ObjectId(), status: i % 2 ? 'pending' : 'sent' })));
    const queries: [string, Explainable][] = [
      ['phone lookup', Customer.findOne({ ...byPhone(customer.phones[0]!), deletedAt: null })],
      ['phones $in (import)', Customer.find({ ...byPhone({ $in: customer.phones }), deletedAt: null })],
      ['campaign claim', CampaignDelivery.findOne({ campaign, status: 'pending' }).sort({ _id: 1 })],
      ['opt-out', CampaignDelivery.find({ customer: customer._id, channel: 'telegram', status: 'pending' })],
      ['interactions list', Interaction.find({}).sort({ occurredAt: -1, _id: -1 }).limit(20)],
      ['follow-ups list', FollowUp.find({}).sort({ dueAt: 1, _id: 1 }).limit(20)],
      ["a salesperson's follow-ups", FollowUp.find({ owner: customer.owner }).sort({ dueAt: 1, _id: 1 }).limit(20)],
      ['deals list', Deal.find({}).sort({ closedAt: -1, _id: -1 }).limit(20)],
      ['customers by creation', Customer.find({}).sort({ createdAt: -1, _id: -1 }).limit(20)],
      ['card: customer', Customer.findById(customer._id)],
      ['card: last interactions', Interaction.find({ customer: customer._id }).sort({ occurredAt: -1, _id: -1 }).limit(5)],
      ['card: open follow-ups', FollowUp.find({ customer: customer._id, status: 'open' }).sort({ dueAt: 1 })],
    ];
    const explained: ExplainedQuery[] = [];
    for (const [query, q] of queries) {
      const result = (await q.explain('queryPlanner')) as { queryPlanner?: { winningPlan?: PlanStage & { queryPlan?: PlanStage } } } | { queryPlanner?: { winningPlan?: PlanStage } }[];
      const planner = Array.isArray(result) ? result[0]?.queryPlanner : result.queryPlanner;
      const winning = planner?.winningPlan;
      // MongoDB 7+ with the slot engine nests the classic plan under `queryPlan`.
      const plan = describe((winning as { queryPlan?: PlanStage } | undefined)?.queryPlan ?? winning);
      explained.push({ query, plan, usesIndex: /IXSCAN|IDHACK|EXPRESS/.test(plan), sortsInMemory: /(^|< )SORT\b/.test(plan) });
    }
    return explained;
  } finally {
    await db.close();
  }
}

export function printExplained(rows: ExplainedQuery[]): void {
  console.table(rows.map((r) => ({ query: r.query, 'winning plan': r.plan, index: r.usesIndex ? 'yes' : 'NO (COLLSCAN)', 'in-memory sort': r.sortsInMemory ? 'YES' : 'no' })));
}
