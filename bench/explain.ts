import { CLAIM_BATCH } from '../jobs/campaigns/runner.js';
import { Types, type Model } from 'mongoose';
import { livingByPhone } from '../crm/customers/phoneFilter.js';
import { existingLeadFilter } from '../crm/customers/captureLead.js';
import { FIND_SORT, findCustomersFilter } from '../crm/customers/customers.js';
import { nextDeliveryQuery, pendingDeliveriesOf } from '../crm/campaigns/deliveries.js';
import { userActor } from '../crm/users/actor.js';
import { listSort } from '../admin/listSort.js';
import { seedDemo } from '../crm/demo/seedDemo.js';
import { CampaignDelivery } from '../models/campaignDelivery.js';
import { Customer } from '../models/customer.js';
import { Deal } from '../models/deal.js';
import { FollowUp } from '../models/followUp.js';
import { Interaction } from '../models/interaction.js';
import { openBenchDatabase } from './lib/benchDatabase.js';
import { cardFinds } from '../crm/customers/customerCard.js';

/**
 * On a real MongoDB (MONGODB_URI), the winning plan of each hot query: an index scan (IXSCAN), or a
 * whole-collection scan (COLLSCAN) or an in-memory SORT, which are what a missing or unusable index
 * looks like. The filters and sorts are built by the product's own builders (issue #16 named the
 * phone lookups, the campaign claim, the opt-out and the panel's list sorts), so what is explained
 * is what the product sends; test/bench/explainQueries.test.ts checks that against the commands the
 * product really sends. A server without a query planner (the embedded database) or one that
 * refuses `explain` gets a row saying so instead of a failed bench.
 */
export interface ExplainedQuery {
  query: string;
  plan: string;
  usesIndex: boolean;
  sortsInMemory: boolean;
}

/** One query as the product sends it. */
export interface HotQuery {
  name: string;
  model: Model<any>;
  filter: Record<string, unknown>;
  sort?: Record<string, 1 | -1>;
  limit?: number;
}

/** Real values from the seeded data the queries are asked about. */
export interface QuerySample {
  phones: string[];
  customerId: Types.ObjectId;
  ownerId: Types.ObjectId;
  campaignId: Types.ObjectId;
}

/** The hot queries, each built the way the product builds it. */
export function hotQueries(sample: QuerySample): HotQuery[] {
  const [phone] = sample.phones;
  const sales = userActor({ _id: sample.ownerId, role: 'sales' });
  const claim = nextDeliveryQuery(sample.campaignId);
  return [
    // crm/customers: findCustomerByPhone, createCustomer's duplicate check, findPhoneHolder.
    { name: 'phone lookup', model: Customer, filter: livingByPhone(phone), limit: 1 },
    // captureLead: is the lead someone already known (by phone or chat account)?
    { name: 'lead: existing customer', model: Customer, filter: existingLeadFilter(phone, 'telegram', '100200300')!, limit: 2 },
    // The CSV import: the holders of a batch of phones.
    { name: 'phones $in (import)', model: Customer, filter: livingByPhone({ $in: sample.phones }) },
    { name: 'campaign claim', model: CampaignDelivery, filter: claim.filter, sort: claim.sort, limit: CLAIM_BATCH },
    // crm/campaigns/optOut.ts (one channel) and crm/outreach/optOut.ts (all of them).
    { name: 'opt-out (one channel)', model: CampaignDelivery, filter: pendingDeliveriesOf(sample.customerId, 'telegram') },
    { name: 'opt-out (everywhere)', model: CampaignDelivery, filter: pendingDeliveriesOf(sample.customerId) },
    // The panel's lists (admin/listQuery.ts scopedList) with their default sorts (admin/resources/activity.ts).
    { name: 'interactions list', model: Interaction, filter: {}, sort: listSort('occurredAt', 'desc'), limit: 20 },
    { name: 'follow-ups list', model: FollowUp, filter: {}, sort: listSort('dueAt', 'asc'), limit: 20 },
    { name: "a salesperson's follow-ups", model: FollowUp, filter: { owner: sample.ownerId }, sort: listSort('dueAt', 'asc'), limit: 20 },
    { name: 'deals list', model: Deal, filter: {}, sort: listSort('closedAt', 'desc'), limit: 20 },
    { name: 'customers list', model: Customer, filter: {}, sort: listSort('_id', 'desc'), limit: 20 },
    // /find as a salesperson: a name typed (regular expression on the folded text: scans by design).
    { name: '/find (a name)', model: Customer, filter: findCustomersFilter(sales, 'nguyen')!, sort: { ...FIND_SORT }, limit: 11 },
    // The card's reads, as crm/customers/customerCard.ts builds them: it sends them as one aggregate
    // (each a `$unionWith` pipeline of this filter, sort and limit, planned as this find is).
    { name: 'card: customer', model: Customer, filter: { _id: sample.customerId, deletedAt: null }, limit: 1 },
    ...Object.entries(cardFinds(sample.customerId)).map(([part, f]) => ({ name: CARD_PARTS[part] ?? `card: ${part}`, model: f.model, filter: f.filter, sort: f.sort, limit: f.limit })),
  ];
}

/** The names the card's finds had in this table before they were built by the card itself. */
const CARD_PARTS: Record<string, string> = { interactions: 'card: last interactions', followUps: 'card: open follow-ups' };

type PlanStage = { stage: string; indexName?: string; inputStage?: PlanStage; inputStages?: PlanStage[]; queryPlan?: PlanStage };

function describe(stage: PlanStage | undefined): string {
  if (!stage) return '?';
  const self = stage.indexName ? `${stage.stage}(${stage.indexName})` : stage.stage;
  const inputs = stage.inputStage ? [stage.inputStage] : (stage.inputStages ?? []);
  return inputs.length ? `${self} < ${inputs.map(describe).join(' + ')}` : self;
}

/** The winning plan of each query; a query the server cannot explain gets a row that says why. */
export async function explainQueries(queries: HotQuery[]): Promise<ExplainedQuery[]> {
  const explained: ExplainedQuery[] = [];
  for (const q of queries) {
    try {
      let cursor = q.model.find(q.filter);
      if (q.sort) cursor = cursor.sort(q.sort);
      if (q.limit) cursor = cursor.limit(q.limit);
      const result = (await cursor.explain('queryPlanner')) as unknown;
      const first = (Array.isArray(result) ? result[0] : result) as { queryPlanner?: { winningPlan?: PlanStage } } | undefined;
      const winning = first?.queryPlanner?.winningPlan;
      if (!winning) {
        explained.push({ query: q.name, plan: 'no plan (this server has no query planner)', usesIndex: false, sortsInMemory: false });
        continue;
      }
      // MongoDB 7+ with the slot engine nests the classic plan under `queryPlan`.
      const plan = describe(winning.queryPlan ?? winning);
      explained.push({ query: q.name, plan, usesIndex: /IXSCAN|IDHACK|EXPRESS/.test(plan), sortsInMemory: /(^|< )SORT\b/.test(plan) });
    } catch (e) {
      explained.push({ query: q.name, plan: `not explained: ${(e as Error).message.slice(0, 120)}`, usesIndex: false, sortsInMemory: false });
    }
  }
  return explained;
}

export async function explainHotQueries(): Promise<ExplainedQuery[]> {
  const db = await openBenchDatabase('explain');
  try {
    await seedDemo({ customers: 2000 });
    const customers = await Customer.find({ 'phones.0': { $exists: true }, owner: { $ne: null } }).limit(3).lean();
    const customer = customers[0]!;
    const campaignId = new Types.ObjectId();
    await CampaignDelivery.insertMany(Array.from({ length: 50 }, (_, i) => ({ campaign: campaignId, customer: new Types.ObjectId(), status: i % 2 ? 'pending' : 'sent' })));
    return await explainQueries(
      hotQueries({ phones: customers.flatMap((c) => c.phones), customerId: customer._id, ownerId: customer.owner as Types.ObjectId, campaignId }),
    );
  } finally {
    await db.close();
  }
}

export function printExplained(rows: ExplainedQuery[]): void {
  console.table(rows.map((r) => ({ query: r.query, 'winning plan': r.plan, index: r.usesIndex ? 'yes' : 'NO (COLLSCAN)', 'in-memory sort': r.sortsInMemory ? 'YES' : 'no' })));
}
