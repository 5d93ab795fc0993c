import { BSON, MongoClient, ObjectId, type Document, type Filter, type Sort } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../app/embedded/server.js';
import { crashCopy, openDatabase, removeDirs, tempDir, type OpenDatabase } from './helpers.js';

/**
 * The embedded database's in-memory indexes change how fast a filter is answered, never what it
 * answers. The same random workload runs on two servers, one answering from its indexes and one
 * scanning every document as CongoDB alone does, and every read is compared: same documents, same
 * order, same counts, after inserts, updates and deletes that move documents in and out of index
 * keys, and again after the indexed one restarts from its journal.
 */
const SEED = Number(process.env.CHOT_DIFF_SEED ?? 20261202);

function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const chance = (p: number) => next() < p;
  const some = <T>(items: readonly T[], max: number): T[] => Array.from({ length: Math.floor(next() * (max + 1)) }, () => pick(items));
  return { next, pick, chance, some };
}

const rnd = random(SEED);
const owners = [0, 1, 2, 3].map((i) => new ObjectId(`65a0000000000000000000${i}${i}`));
const names = ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Đức Cường', 'Phạm Ánh', 'đặng thu', 'Đặng Thu', 'Ðặng', '', 'an'];
const phones = ['+84912000001', '+84912000002', '+84987000003', '0912000001', '+84 912', ''];
const stages = ['moi', 'quan-tam', 'bao-gia', 'chot', 'mất'];
const dates = [new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00.001Z'), new Date('2026-06-15T08:30:00Z'), new Date('2025-12-31T23:59:59Z')];
const scores = [0, 1, 2, -1, 1.5, 100];
const tags = ['vip', 'sỉ', 'lẻ', 'hà nội'];
/** Folded search texts, as the crm stores them: words a search's prefix must start. */
const texts = ['nguyen van an', 'tran thi binh 0912000001', 'le duc cuong kh000012', 'an', '', 'anh dao', 'b.c (x) an+1', 'duc'];
const prefixes = ['an', 'a', 'ng', 'duc', 'b.c', '(x', 'an+', 'kh0000', 'z', '0912', 'thi binh', 'Duc'];

/** A field value drawn to hit the cases an index must get right: missing, null, arrays, nesting, types. */
const FIELD_VALUES: Record<string, () => unknown> = {
  name: () => rnd.pick(names),
  phones: () => (rnd.chance(0.1) ? rnd.pick(phones) : rnd.some(phones, 3)),
  owner: () => (rnd.chance(0.15) ? null : rnd.pick(owners)),
  stage: () => (rnd.chance(0.1) ? rnd.pick(scores) : rnd.pick(stages)),
  dueAt: () => (rnd.chance(0.15) ? null : rnd.pick(dates)),
  score: () => rnd.pick(scores),
  tags: () => (rnd.chance(0.1) ? [rnd.some(tags, 2)] : rnd.some(tags, 3)),
  contact: () =>
    rnd.chance(0.3) ? [{ email: rnd.pick(names) }, { email: rnd.pick(names), phone: rnd.pick(phones) }] : rnd.chance(0.2) ? { phone: rnd.pick(phones) } : { email: rnd.pick(names) },
  active: () => rnd.chance(0.5),
  note: () => rnd.pick(names),
  searchText: () => (rnd.chance(0.1) ? rnd.pick<unknown>([null, 7, [rnd.pick(texts), rnd.pick(texts)]]) : rnd.pick(texts)),
};
const FIELDS = Object.keys(FIELD_VALUES);

function randomDoc(): Document {
  const doc: Document = { _id: new ObjectId() };
  for (const field of FIELDS) if (rnd.chance(0.8)) doc[field] = FIELD_VALUES[field]!();
  return doc;
}

/** A scalar a filter may compare with, sometimes of another type than the field holds. */
function queryValue(field: string): unknown {
  if (rnd.chance(0.1)) return null;
  if (rnd.chance(0.05)) return rnd.pick<unknown>([1, 'vip', owners[0], dates[0], true]);
  switch (field) {
    case 'phones':
    case 'contact.phone':
      return rnd.pick(phones);
    case 'tags':
      return rnd.pick(tags);
    case 'contact.email':
      return rnd.pick(names);
    case 'searchText':
      return rnd.pick(texts);
    case '_id':
      return rnd.pick(knownIds.length ? knownIds : [new ObjectId()]);
    default: {
      const value = FIELD_VALUES[field]!();
      return Array.isArray(value) || (value && typeof value === 'object' && !(value instanceof Date) && !(value instanceof ObjectId)) ? rnd.pick(names) : value;
    }
  }
}

const knownIds: ObjectId[] = [];
const QUERY_FIELDS = ['phones', 'owner', 'stage', 'dueAt', 'score', 'tags', 'contact.email', 'contact.phone', 'name', 'active', 'note', '_id', 'searchText'];
const RANGE_FIELDS = ['dueAt', 'score', 'owner', 'stage', '_id', 'searchText'];
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A search as the crm builds it (`(^| )word`, every word), or a `^` prefix, sometimes as a RegExp or with flags. */
function randomSearch(): Filter<Document> {
  const prefix = rnd.pick(prefixes);
  const source = `${rnd.pick(['(^| )', '^', '(?:^| )', ''])}${escapeRegex(prefix)}`;
  if (rnd.chance(0.2)) return { searchText: new RegExp(source, rnd.pick(['', 'i'])) };
  return { searchText: { $regex: source, ...(rnd.chance(0.1) ? { $options: 'i' } : {}) } };
}

/** A range on an indexed field: one bound, both, of one type or (rarely) two. */
function randomRange(): Filter<Document> {
  const field = rnd.pick(RANGE_FIELDS);
  const range: Record<string, unknown> = {};
  for (const op of rnd.some(['$gt', '$gte', '$lt', '$lte'], 2)) range[op] = queryValue(field);
  if (!Object.keys(range).length) range.$gte = queryValue(field);
  if (rnd.chance(0.25)) return { [field]: rnd.chance(0.5) ? { $ne: null } : { ...range, $ne: null } };
  return { [field]: range };
}

function randomClause(): Filter<Document> {
  const field = rnd.pick(QUERY_FIELDS);
  switch (Math.floor(rnd.next() * 12)) {
    case 9:
      return randomSearch();
    case 10:
      return randomRange();
    case 11:
      return { $and: [{ owner: queryValue('owner') }, rnd.chance(0.5) ? { stage: queryValue('stage') } : randomRange()] };
    case 0:
      return { [field]: { $eq: queryValue(field) } };
    case 1:
      return { [field]: { $in: Array.from({ length: 1 + Math.floor(rnd.next() * 3) }, () => queryValue(field)) } };
    case 2:
      return { [field]: { [rnd.pick(['$gt', '$gte', '$lt', '$lte'])]: queryValue(field) } };
    case 3:
      return { [field]: { $ne: queryValue(field) } };
    case 4:
      return { [field]: { $exists: rnd.chance(0.5) } };
    case 5:
      return { $or: [{ [field]: queryValue(field) }, { [rnd.pick(QUERY_FIELDS)]: queryValue(field) }] };
    case 6:
      return { $and: [{ [field]: queryValue(field) }, randomClause()] };
    case 7:
      return { 'phones.0': { $exists: true }, phones: queryValue('phones') };
    default:
      return { [field]: queryValue(field) };
  }
}

function randomFilter(): Filter<Document> {
  const filter: Filter<Document> = {};
  const n = Math.floor(rnd.next() * 3) + (rnd.chance(0.8) ? 1 : 0);
  for (let i = 0; i < n; i++) Object.assign(filter, randomClause());
  return filter;
}

function randomSort(): Sort | undefined {
  if (rnd.chance(0.3)) return undefined;
  const sort: Record<string, 1 | -1> = {};
  // Often the order of a declared index (or its reverse), which a page walks instead of sorting.
  if (rnd.chance(0.5)) {
    const flip = rnd.pick([1, -1] as const);
    const fields = rnd.pick<[string, 1 | -1][]>([[['_id', 1]], [['dueAt', 1]], [['dueAt', 1], ['_id', 1]], [['score', -1], ['_id', -1]], [['score', -1]], [['stage', 1], ['_id', 1]], [['owner', 1]]]);
    for (const [field, d] of fields) sort[field] = (d * flip) as 1 | -1;
    return sort;
  }
  for (const field of rnd.some(['dueAt', 'score', 'name', 'owner', 'stage', '_id', 'searchText'], 2)) sort[field] = rnd.pick([1, -1] as const);
  return sort;
}

function randomUpdate(): Document {
  const field = rnd.pick(FIELDS);
  switch (Math.floor(rnd.next() * 4)) {
    case 0:
      return { $unset: { [field]: '' } };
    case 1:
      return { $push: { phones: rnd.pick(phones) } };
    case 2:
      return { $set: { [field]: FIELD_VALUES[field]!(), [rnd.pick(FIELDS)]: FIELD_VALUES[rnd.pick(FIELDS)]!() } };
    default:
      return { $set: { [field]: FIELD_VALUES[field]!() } };
  }
}

const text = (value: unknown) => BSON.EJSON.stringify(value as Document, { relaxed: false });

interface Side {
  server: EmbeddedMongo;
  client: MongoClient;
}

async function bothWays(indexed: Side, scanned: Side, label: string, op: (db: ReturnType<MongoClient['db']>) => Promise<unknown>): Promise<void> {
  const settle = async (side: Side) => {
    try {
      return { ok: await op(side.client.db('diff')) };
    } catch (err) {
      return { error: (err as { code?: number }).code ?? String(err) };
    }
  };
  const a = await settle(indexed);
  const b = await settle(scanned);
  if (text(a) !== text(b)) throw new Error(`seed ${SEED}: ${label}\nindexed: ${text(a).slice(0, 2000)}\nscanned: ${text(b).slice(0, 2000)}`);
}

async function createIndexes(client: MongoClient): Promise<void> {
  const c = client.db('diff').collection('customers');
  await c.createIndex({ phones: 1 }, { partialFilterExpression: { 'phones.0': { $exists: true } } });
  await c.createIndex({ owner: 1, stage: 1, _id: 1 });
  await c.createIndex({ dueAt: 1 });
  await c.createIndex({ tags: 1 });
  await c.createIndex({ 'contact.email': 1 }, { sparse: true });
  await c.createIndex({ score: -1, _id: -1 });
  await c.createIndex({ name: 'text' }).catch(() => undefined);
  await c.createIndex({ searchText: 1 });
}

async function randomRead(indexed: Side, scanned: Side, step: string): Promise<void> {
  const filter = randomFilter();
  const sort = randomSort();
  const skip = rnd.chance(0.2) ? Math.floor(rnd.next() * 5) : 0;
  const limit = rnd.chance(0.6) ? 1 + Math.floor(rnd.next() * 10) : 0;
  const label = `${step} find ${text(filter)} sort ${text(sort ?? null)} skip ${skip} limit ${limit}`;
  await bothWays(indexed, scanned, label, (db) => db.collection('customers').find(filter, { sort, skip, limit }).toArray());
  await bothWays(indexed, scanned, `${step} count ${text(filter)}`, (db) => db.command({ count: 'customers', query: filter }));
  await bothWays(indexed, scanned, `${step} countDocuments ${text(filter)}`, (db) => db.collection('customers').countDocuments(filter));
  await bothWays(indexed, scanned, `${step} distinct ${text(filter)}`, (db) => db.collection('customers').distinct('stage', filter));
  // Several finds sent as one aggregate, as the customer card reads: each `$unionWith` is served
  // from the indexes too, in stage order, past a collection that does not exist and a `$lookup`.
  const other = randomFilter();
  const pipeline: Document[] = [
    { $match: filter },
    ...(rnd.chance(0.3) ? [{ $lookup: { from: 'customers', localField: 'owner', foreignField: 'owner', as: 'sameOwner' } }, { $project: { sameOwner: 0 } }] : []),
    // By `_id`, served from the indexes: ids that exist (its own), that do not (an owner), null, missing, other types.
    ...(rnd.chance(0.5) ? [{ $lookup: { from: 'customers', localField: rnd.pick(['_id', 'owner', 'stage', 'contact.email', 'nothing']), foreignField: '_id', as: 'joined' } }] : []),
    ...(rnd.chance(0.3) ? [{ $unionWith: { coll: 'nowhere', pipeline: [{ $match: { owner: owners[0] } }] } }] : []),
    { $unionWith: { coll: 'customers', pipeline: [{ $match: other }, ...(sort ? [{ $sort: sort }] : []), { $limit: limit || 5 }, { $addFields: { part: 'other' } }] } },
    { $unionWith: { coll: 'customers', pipeline: [{ $match: { owner: queryValue('owner') } }, { $sort: { _id: -1 } }, { $limit: 3 }, { $addFields: { part: 'owner' } }] } },
  ];
  await bothWays(indexed, scanned, `${step} aggregate ${text(pipeline)}`, (db) => db.collection('customers').aggregate(pipeline).toArray());
}

async function randomWrite(indexed: Side, scanned: Side, step: string): Promise<void> {
  const filter = randomFilter();
  const kind = Math.floor(rnd.next() * 7);
  const c = (db: ReturnType<MongoClient['db']>) => db.collection('customers');
  if (kind <= 1) {
    const doc = randomDoc();
    knownIds.push(doc._id as ObjectId);
    await bothWays(indexed, scanned, `${step} insert`, (db) => c(db).insertOne({ ...doc }));
  } else if (kind === 2) {
    const update = randomUpdate();
    await bothWays(indexed, scanned, `${step} updateMany ${text(filter)} ${text(update)}`, (db) => c(db).updateMany(filter, update));
  } else if (kind === 3) {
    const update = randomUpdate();
    await bothWays(indexed, scanned, `${step} updateOne ${text(filter)} ${text(update)}`, (db) => c(db).updateOne(filter, update));
  } else if (kind === 4) {
    const update = { ...randomUpdate(), $setOnInsert: { _id: new ObjectId() } };
    const sort = randomSort();
    const upsert = rnd.chance(0.3);
    await bothWays(indexed, scanned, `${step} findOneAndUpdate ${text(filter)} ${text(update)}`, (db) =>
      c(db).findOneAndUpdate(filter, update, { sort, upsert, returnDocument: 'after' }),
    );
  } else if (kind === 5) {
    await bothWays(indexed, scanned, `${step} deleteOne ${text(filter)}`, (db) => c(db).deleteOne(filter));
  } else if (rnd.chance(0.3)) {
    await bothWays(indexed, scanned, `${step} deleteMany ${text(filter)}`, (db) => c(db).deleteMany(filter));
  } else {
    const sort = randomSort();
    await bothWays(indexed, scanned, `${step} findOneAndDelete ${text(filter)}`, (db) => c(db).findOneAndDelete(filter, { sort }));
  }
  // A write's reply does not say which document it changed: the contents do.
  await bothWays(indexed, scanned, `${step} contents after the write`, (db) => c(db).find().toArray());
}

/** Every indexed field against every value of its pool: a stale index key shows up here whatever the random reads hit. */
async function everyKey(indexed: Side, scanned: Side, step: string): Promise<void> {
  const pools: Record<string, unknown[]> = {
    phones,
    owner: [...owners, null],
    stage: [...stages, ...scores, null],
    dueAt: [...dates, null],
    tags: [...tags, null],
    'contact.email': [...names, null],
    score: [...scores, null],
  };
  for (const [field, values] of Object.entries(pools)) {
    for (const value of values) {
      await bothWays(indexed, scanned, `${step} every key ${field} = ${text({ value })}`, (db) => db.collection('customers').find({ [field]: value }).toArray());
      await bothWays(indexed, scanned, `${step} count of ${field} = ${text({ value })}`, (db) => db.collection('customers').countDocuments({ [field]: value }));
    }
  }
  for (const owner of [...owners, null]) {
    for (const stage of [...stages, 1]) {
      const filter = rnd.chance(0.5) ? { owner, stage } : { $and: [{ owner }, { stage: { $eq: stage } }] };
      await bothWays(indexed, scanned, `${step} count of ${text(filter)}`, (db) => db.command({ count: 'customers', query: filter }));
    }
  }
  // Every word prefix and every sorted index's first page: a stale word or a misplaced entry shows up here.
  for (const prefix of prefixes) {
    const filter = { searchText: { $regex: `(^| )${escapeRegex(prefix)}` } };
    await bothWays(indexed, scanned, `${step} every word ${prefix}`, (db) => db.collection('customers').find(filter).toArray());
  }
  for (const sort of [{ _id: -1 }, { dueAt: 1, _id: 1 }, { dueAt: -1 }, { score: -1, _id: -1 }, { score: 1 }, { owner: 1, stage: 1, _id: 1 }] as Sort[]) {
    await bothWays(indexed, scanned, `${step} first page by ${text(sort)}`, (db) => db.collection('customers').find({}, { sort, limit: 7 }).toArray());
  }
}

describe('in-memory indexes of the embedded database', () => {
  let dir: string;
  let indexed: OpenDatabase;
  let scanned: Side;

  beforeAll(async () => {
    dir = await tempDir();
    indexed = await openDatabase(dir);
    const server = await startEmbeddedMongo({ indexedQueries: false });
    const client = new MongoClient(server.uri, { serverMonitoringMode: 'poll' });
    await client.connect();
    scanned = { server, client };
    for (const side of [indexed, scanned]) await createIndexes(side.client);
  });

  afterAll(async () => {
    await indexed?.close();
    await scanned?.client.close();
    await scanned?.server.stop();
    await removeDirs(dir);
  });

  it('answers random filters exactly as a full scan does, through inserts, updates, deletes and a restart', async () => {
    const docs = Array.from({ length: 150 }, randomDoc);
    knownIds.push(...docs.map((d) => d._id as ObjectId));
    await bothWays(indexed, scanned, 'seed', (db) => db.collection('customers').insertMany(docs.map((d) => ({ ...d }))));
    expect(await indexed.client.db('diff').collection('customers').countDocuments()).toBe(150);

    for (let step = 0; step < 250; step++) {
      if (rnd.chance(0.35)) await randomWrite(indexed, scanned, `step ${step}`);
      else await randomRead(indexed, scanned, `step ${step}`);
      if (step % 50 === 49) await everyKey(indexed, scanned, `step ${step}`);
    }
    await bothWays(indexed, scanned, 'everything in order', (db) => db.collection('customers').find().toArray());
    const servedBefore = indexed.server.queryIndexStats.served;
    // The index answered a good share of the filters; the rest fell back to the scan.
    expect(servedBefore).toBeGreaterThan(250);
    expect(indexed.server.queryIndexStats.scanned).toBeGreaterThan(50);
    // Ranges, word prefixes and sorted pages were among them.
    expect(indexed.server.queryIndexStats).toMatchObject({ ranged: expect.any(Number), byWord: expect.any(Number), sortWalks: expect.any(Number) });
    expect(indexed.server.queryIndexStats.ranged).toBeGreaterThan(20);
    expect(indexed.server.queryIndexStats.byWord).toBeGreaterThan(20);
    expect(indexed.server.queryIndexStats.sortWalks).toBeGreaterThan(20);
    expect(indexed.server.queryIndexStats.counted).toBeGreaterThan(10);
    expect(indexed.server.queryIndexStats.firstMatches).toBeGreaterThan(20);

    // A crash and a restart: the documents come back from the journal, the indexes are rebuilt from them.
    const crashed = await crashCopy(dir);
    await indexed.close();
    await removeDirs(dir);
    dir = crashed;
    indexed = await openDatabase(dir);
    expect(indexed.server.loaded?.replayedMutations).toBeGreaterThan(0);
    await everyKey(indexed, scanned, 'after restart');
    for (let step = 0; step < 150; step++) {
      if (rnd.chance(0.3)) await randomWrite(indexed, scanned, `after restart ${step}`);
      else await randomRead(indexed, scanned, `after restart ${step}`);
      if (step % 50 === 49) await everyKey(indexed, scanned, `after restart ${step}`);
    }
    await bothWays(indexed, scanned, 'everything in order after the restart', (db) => db.collection('customers').find().toArray());
    expect(indexed.server.queryIndexStats.served).toBeGreaterThan(150);
  }, 120_000);

  it('finds one customer by phone among many by looking at the holders only', async () => {
    const db = indexed.client.db('lookup');
    await db.collection('customers').createIndex({ phones: 1 });
    await db.collection('customers').insertMany(Array.from({ length: 2000 }, (_, i) => ({ phones: [`+849${String(i).padStart(8, '0')}`], name: `Khách ${i}` })));
    const before = { ...indexed.server.queryIndexStats };
    const found = await db.collection('customers').find({ phones: '+84900001234' }).toArray();
    expect(found.map((d) => d.name)).toEqual(['Khách 1234']);
    expect(indexed.server.queryIndexStats.served).toBe(before.served + 1);
  });

  it('serves each find of an aggregate sent as `$unionWith` stages from the indexes', async () => {
    const db = indexed.client.db('lookup');
    const before = { ...indexed.server.queryIndexStats };
    const found = await db
      .collection('customers')
      .aggregate([
        { $match: { phones: '+84900000007' } },
        { $unionWith: { coll: 'missing', pipeline: [{ $match: { phones: '+84900000008' } }] } },
        { $unionWith: { coll: 'customers', pipeline: [{ $match: { phones: { $in: ['+84900001234', '+84900000042'] } } }, { $sort: { name: -1 } }, { $limit: 1 }] } },
      ])
      .toArray();
    expect(found.map((d) => d.name)).toEqual(['Khách 7', 'Khách 42']);
    expect(indexed.server.queryIndexStats.served).toBe(before.served + 2);
    expect(indexed.server.queryIndexStats.scanned).toBe(before.scanned);
  });

  it('joins a `$lookup` by `_id` from the documents holding the ids only', async () => {
    const db = indexed.client.db('lookup');
    const [target] = await db.collection('customers').find({ phones: '+84900000009' }).toArray();
    await db.collection('cards').insertMany([{ n: 1, ref: target!._id }, { n: 2, ref: [target!._id, new ObjectId()] }, { n: 3, ref: null }, { n: 4 }]);
    const before = { ...indexed.server.queryIndexStats };
    const joined = await db.collection('cards').aggregate([{ $sort: { n: 1 } }, { $lookup: { from: 'customers', localField: 'ref', foreignField: '_id', as: 'to' } }]).toArray();
    expect(joined.map((d) => d.to.map((c: Document) => c.name))).toEqual([['Khách 9'], ['Khách 9'], [], []]);
    expect(indexed.server.queryIndexStats.served - before.served).toBeGreaterThanOrEqual(2);
  });

  describe('a list of 3,000 customers', () => {
    const start = new Date('2026-01-01T00:00:00Z').getTime();
    const words = ['nguyen van duc', 'tran thi hoa', 'le duc anh', 'pham minh'];
    let list: ReturnType<MongoClient['db']>;
    let stored: Document[];

    beforeAll(async () => {
      list = indexed.client.db('list');
      const c = list.collection('customers');
      for (const key of [{ createdAt: -1, _id: -1 }, { searchText: 1 }, { deletedAt: 1 }, { owner: 1, nextFollowUpAt: 1 }]) await c.createIndex(key as never);
      stored = Array.from({ length: 3000 }, (_, i) => ({
        _id: new ObjectId(),
        createdAt: new Date(start + Math.floor(i / 3) * 60_000), // three customers a minute: ties
        searchText: `${words[i % words.length]} ${i}`,
        owner: owners[i % 2],
        nextFollowUpAt: i % 5 ? new Date(start + (i % 97) * 3_600_000) : null,
        ...(i % 10 === 0 ? { deletedAt: new Date(start) } : {}),
      }));
      await c.insertMany(stored.map((d) => ({ ...d })));
    });

    it('shows the newest page by walking the index and testing about a page of customers', async () => {
      const before = { ...indexed.server.queryIndexStats };
      const page = await list.collection('customers').find({ deletedAt: null }, { sort: { createdAt: -1, _id: -1 }, skip: 20, limit: 20 }).toArray();
      const live = stored.filter((d) => !d.deletedAt);
      const expected = live.sort((a, b) => b.createdAt - a.createdAt || (b._id.toHexString() < a._id.toHexString() ? -1 : 1)).slice(20, 40);
      expect(page.map((d) => d._id.toHexString())).toEqual(expected.map((d) => d._id.toHexString()));
      expect(indexed.server.queryIndexStats.sortWalks).toBe(before.sortWalks + 1);
      expect(indexed.server.queryIndexStats.walkedEntries - before.walkedEntries).toBeLessThan(200);
    });

    it('finds a salesperson\'s customers by the start of a word without testing the others', async () => {
      const before = { ...indexed.server.queryIndexStats };
      const found = await list.collection('customers').find({ $and: [{ searchText: { $regex: '(^| )duc' } }, { searchText: { $regex: '(^| )an' } }], owner: owners[0] }).toArray();
      expect(found.length).toBe(stored.filter((d) => d.searchText.startsWith('le duc anh') && d.owner === owners[0]).length);
      expect(found.length).toBeGreaterThan(300);
      expect(indexed.server.queryIndexStats.byWord).toBe(before.byWord + 1);
    });

    it('reads follow-ups due in a window from a range over the owner and due-date index', async () => {
      const before = { ...indexed.server.queryIndexStats };
      const window = { $gte: new Date(start + 10 * 3_600_000), $lt: new Date(start + 12 * 3_600_000) };
      const due = await list.collection('customers').find({ owner: owners[1], nextFollowUpAt: window }).toArray();
      expect(due.length).toBe(stored.filter((d) => d.owner === owners[1] && d.nextFollowUpAt && d.nextFollowUpAt >= window.$gte && d.nextFollowUpAt < window.$lt).length);
      expect(due.length).toBeGreaterThan(10);
      expect(indexed.server.queryIndexStats.ranged).toBe(before.ranged + 1);
    });

    it('counts the live customers of a page from the index, without testing a customer', async () => {
      const before = { ...indexed.server.queryIndexStats };
      expect(await list.collection('customers').countDocuments({ deletedAt: null })).toBe(2700);
      expect(await list.collection('customers').countDocuments({ deletedAt: null, owner: owners[0] })).toBe(1200);
      expect(indexed.server.queryIndexStats.counted).toBe(before.counted + 2);
    });
  });
});
