import { Types } from 'mongoose';
import { explainQueries, hotQueries, type HotQuery, type QuerySample } from '../../bench/explain.js';
import { captureLead } from '../../crm/customers/captureLead.js';
import { createCustomer, findCustomerByPhone, findCustomers } from '../../crm/customers/customers.js';
import { byPhone } from '../../crm/customers/phoneFilter.js';
import { nextPendingDeliveries } from '../../crm/campaigns/deliveries.js';
import { CLAIM_BATCH } from '../../jobs/campaigns/runner.js';
import { optOutFromCampaigns } from '../../crm/campaigns/optOut.js';
import { optOutEverywhere } from '../../crm/outreach/optOut.js';
import { CampaignDelivery } from '../../models/campaignDelivery.js';
import { useTestDatabase } from '../helpers/database.js';
import { watchCommands } from '../helpers/commands.js';
import { makeStaff } from '../helpers/factories.js';
import { getCustomerCard } from '../../crm/customers/customerCard.js';

/**
 * bench/explain.ts explains the queries issue #16 named (phone lookups with the partial index's
 * condition, the campaign claim sorted by _id, the opt-out by customer, the panel's sorts ending in
 * _id) and the card and /find reads. No real MongoDB is reachable here, so what is checked is that
 * each explained query is the one the product sends: the product's call and the bench's query are
 * both sent, and their filters, sorts and limits compared as the driver sent them.
 */
const database = useTestDatabase();
const sent = watchCommands(database);

interface Sent {
  filter: unknown;
  sort?: unknown;
  limit?: unknown;
}

/** The reads on `collection` sent while `run` ran, as filter, sort and limit (JSON: ids as hex). */
async function readsSentBy(collection: string, run: () => Promise<unknown>): Promise<Sent[]> {
  const from = sent.length;
  await run();
  return sent.slice(from).flatMap((e) => {
    const c = e.command as Record<string, any>;
    // The driver sends a sort as a Map (its keys' order is the sort's), which JSON would turn into {}.
    const sort = c.sort instanceof Map ? Object.fromEntries(c.sort) : c.sort;
    if (c.find === collection) return [{ filter: c.filter, sort, limit: c.limit }];
    if (c.findAndModify === collection) return [{ filter: c.query, sort, limit: 1 }];
    return [];
  }).map((s) => JSON.parse(JSON.stringify(s)) as Sent);
}

/** What the bench's query sends (the same reads, without explain). */
async function benchSends(q: HotQuery): Promise<Sent> {
  const [read] = await readsSentBy(q.model.collection.collectionName, async () => {
    let cursor = q.model.find(q.filter);
    if (q.sort) cursor = cursor.sort(q.sort);
    if (q.limit) cursor = cursor.limit(q.limit);
    await cursor.lean();
  });
  return read!;
}

async function sample(): Promise<{ sample: QuerySample; queries: Map<string, HotQuery>; sales: Awaited<ReturnType<typeof makeStaff>> }> {
  const sales = await makeStaff('sales', { name: 'Lan Sales' });
  const a = await createCustomer(sales.actor, { name: 'Nguyễn Văn An', phones: ['0912000555'] });
  const b = await createCustomer(sales.actor, { name: 'Trần Thị Bình', phones: ['0912000666'] });
  const campaignId = new Types.ObjectId();
  await CampaignDelivery.insertMany([
    { campaign: campaignId, customer: a._id, channel: 'telegram', status: 'pending' },
    { campaign: campaignId, customer: b._id, channel: 'telegram', status: 'pending' },
  ]);
  const s: QuerySample = { phones: [...a.phones, ...b.phones], customerId: a._id, ownerId: sales.user._id, campaignId };
  return { sample: s, queries: new Map(hotQueries(s).map((q) => [q.name, q])), sales };
}

describe("the bench's explained queries", () => {
  it("cover every query issue #16 named, and the card's and /find's", async () => {
    const { queries } = await sample();
    expect([...queries.keys()]).toEqual(
      expect.arrayContaining(['phone lookup', 'lead: existing customer', 'phones $in (import)', 'campaign claim', 'opt-out (one channel)', 'opt-out (everywhere)', 'interactions list', 'follow-ups list', 'deals list', 'card: customer', 'card: last interactions', 'card: open follow-ups', '/find (a name)']),
    );
    // Phone filters carry the partial index's own condition; list sorts end in _id.
    for (const name of ['phone lookup', 'phones $in (import)']) expect(queries.get(name)!.filter).toMatchObject(byPhone(expect.anything()));
    for (const name of ['interactions list', 'follow-ups list', 'deals list']) expect(Object.keys(queries.get(name)!.sort!).at(-1)).toBe('_id');
    expect(queries.get('campaign claim')!.sort).toEqual({ _id: 1 });
  });

  it('are the filters, sorts and limits the product sends', async () => {
    const { sample: s, queries, sales } = await sample();
    const [phone] = s.phones as [string];
    const same = async (name: string, product: Sent | undefined) => expect({ name, ...(await benchSends(queries.get(name)!)) }).toEqual({ name, ...product });

    await same('phone lookup', (await readsSentBy('customers', () => findCustomerByPhone(phone)))[0]);
    await same('/find (a name)', (await readsSentBy('customers', () => findCustomers(sales.actor, 'nguyen')))[0]);
    const lead = await readsSentBy('customers', () => captureLead({ channel: 'telegram', chatId: '100200300', phone, name: 'An' }));
    await same('lead: existing customer', lead.find((r) => JSON.stringify(r.filter).includes('$or')));
    await same('campaign claim', (await readsSentBy('campaigndeliveries', () => nextPendingDeliveries(s.campaignId, CLAIM_BATCH)))[0]);
    await same('opt-out (one channel)', (await readsSentBy('campaigndeliveries', () => optOutFromCampaigns(s.customerId, 'telegram')))[0]);
    await same('opt-out (everywhere)', (await readsSentBy('campaigndeliveries', () => optOutEverywhere(s.customerId)))[0]);
  });

  it("are the card's reads as the card sends them, each part of its one aggregate", async () => {
    const { sample: s, queries, sales } = await sample();
    const from = sent.length;
    await getCustomerCard(sales.actor, s.customerId);
    const card = sent.slice(from).find((e) => e.commandName === 'aggregate')!.command as Record<string, any>;
    type Stage = Record<string, any>;
    const asSent = (coll: string, stages: Stage[]) => ({
      coll,
      ...(JSON.parse(JSON.stringify({ filter: stages.find((st) => st.$match)?.$match, sort: stages.find((st) => st.$sort)?.$sort, limit: stages.find((st) => st.$limit)?.$limit })) as Sent),
    });
    const parts = [asSent(card.aggregate, card.pipeline), ...card.pipeline.filter((st: Stage) => st.$unionWith).map((st: Stage) => asSent(st.$unionWith.coll, st.$unionWith.pipeline))];
    const explained = [...queries.values()].filter((q) => q.name.startsWith('card: '));
    expect(explained.length).toBeGreaterThanOrEqual(7);
    for (const q of explained) expect(parts).toContainEqual({ coll: q.model.collection.collectionName, ...(await benchSends(q)) });
  });

  it('explain degrades gracefully where there is no query planner: a row per query, nothing thrown', async () => {
    const { queries } = await sample();
    const rows = await explainQueries([...queries.values()]);
    expect(rows.map((r) => r.query)).toEqual([...queries.keys()]);
    for (const row of rows) expect(row.plan).toEqual(expect.any(String));
  });
});
