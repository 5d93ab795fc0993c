import { ObjectId } from 'bson';
import type { Doc, EmbeddedStorage } from './internals.js';
import { isBsonValue, keyText } from './uniqueIndexes.js';
import { compareScalars, NIL_INTERVAL, NOT_NIL_INTERVAL, OrderedIndex, pointInterval, rankOf, type Bound, type Interval, type Scalar, type Slice } from './orderedIndex.js';
import { WordIndex, wordPrefixOf } from './wordIndex.js';

/**
 * In-memory indexes that let the embedded database answer a filter without testing every
 * document: CongoDB keeps an index list per collection but every find, count, update and delete
 * reads the whole collection and tests each document with mingo, which at 100,000 customers is
 * tens of milliseconds per lookup.
 *
 * The rule that keeps this exactly as correct as the scan: an index only narrows the documents
 * CongoDB's own matcher then tests. For a filter it can serve, it hands over a SUPERSET of the
 * documents the scan would match, in the collection's own order (the order the scan sees, so
 * unsorted results and ties in a sort come out the same). CongoDB then filters, sorts, skips and
 * limits that smaller list with the same code as before. Anything the index is unsure about is
 * left to the scan.
 *
 * What is kept, per collection, built the first time a filter on it is served and then updated by
 * every write:
 * - for each field named in an index the collection declares, a map from key to the documents
 *   holding it (arrays give one key per element, at any depth; a missing field, null and empty
 *   arrays share the "nil" key; a partial or sparse index is indexed whole, which is a superset);
 * - each document's position in the collection, to give candidates back in the scan's order;
 * - per declared index, the same documents as a sorted list (orderedIndex.ts), built the first time
 *   a range or a sort could use it (the `_id` order with the rest: every list page sorts by it);
 * - per indexed text field searched by word prefix, its words (wordIndex.ts), built on first search.
 *
 * Served: equality (`{field: v}`, `$eq`) and `$in` on an indexed field, with v a string, number,
 * boolean, date, ObjectId or null, at the top of the filter or inside `$and`; `_id` equality and
 * `$in` straight from the collection; an equality prefix of an index followed by a range
 * (`$gt/$gte/$lt/$lte`), a null or `$ne: null` on its next field; `^word` and `(^| )word` regexes
 * on an indexed field. When several can be served, the one with the fewest documents is used,
 * narrowed by the others.
 *
 * A find with a sort and a limit whose sort follows an index after its equality prefix walks that
 * index in order, tests each document, and stops once it holds `skip + limit` matches and every
 * match tied with the last of them: it hands over those few, and CongoDB's sort puts them in the
 * same order the full sort would (ties in collection order). A find with a limit and no sort stops
 * testing once it holds its page. A count of equalities on plain fields is read from the postings
 * (exactCount, used by indexedCount.ts). `$or`, `$ne` of a value, `$exists` and everything else
 * are left to the matcher over whatever the other conditions narrowed.
 */
const NIL = 'n';

interface FieldIndex {
  path: string[];
  /** key → `_id` hex of the documents holding it */
  postings: Map<string, Set<string>>;
  /**
   * Documents whose value here is not a plain scalar (an array, a subdocument, a BSON number
   * wrapper), or every document for a dotted path. While none is, a key's holders are exactly the
   * documents an equality on that key matches, and a count needs no matcher.
   */
  unplain: number;
}

interface CollectionIndex {
  fields: Map<string, FieldIndex>;
  /** every declared index with ascending/descending keys, and `_id`; each built on first use */
  ordered: { index: OrderedIndex; built: boolean }[];
  /** word indexes of the fields searched by word prefix */
  words: Map<string, WordIndex>;
  /** `_id` hex → position in the collection's own order */
  positions: Map<string, number>;
  nextPosition: number;
}

/** One condition the index can serve: the documents holding any of `keys` under `field`. */
interface Condition {
  field: string;
  keys: string[];
}

export interface QueryIndexStats {
  /** Filters answered from an index. */
  served: number;
  /** Filters left to CongoDB's scan. */
  scanned: number;
  /** Of the served: narrowed by a range over a sorted index. */
  ranged: number;
  /** Of the served: narrowed by the words of a text field. */
  byWord: number;
  /** Of the served: finds whose sort walked an index and stopped after the page. */
  sortWalks: number;
  /** Counts answered from the index alone, without testing a document. */
  counted: number;
  /** Index entries the sorted walks looked at, in all. */
  walkedEntries: number;
  /** Of the served: unsorted pages answered by testing documents in order until the page was full. */
  firstMatches: number;
}

/** What a find asks besides its filter: served by walking an index in order when it has a limit. */
export interface FindShape {
  sort?: unknown;
  skip?: unknown;
  limit?: unknown;
}

/** Tests documents against a filter the way CongoDB does (its own matcher). */
export type Matcher = (documents: Doc[], filter: Record<string, unknown>) => Doc[];


export class QueryIndexes {
  private readonly built = new Map<string, CollectionIndex>();
  readonly stats: QueryIndexStats = { served: 0, scanned: 0, ranged: 0, byWord: 0, sortWalks: 0, counted: 0, walkedEntries: 0, firstMatches: 0 };

  constructor(
    private readonly storage: EmbeddedStorage,
    private readonly matcher: Matcher,
  ) {}

  /** Forgets what was built for a collection (its indexes or its documents changed wholesale). */
  forget(db: string, coll?: string): void {
    for (const ns of [...this.built.keys()]) if (coll ? ns === `${db}.${coll}` : ns.startsWith(`${db}.`)) this.built.delete(ns);
  }

  /**
   * The documents of the collection that may match `filter`, in collection order, or undefined
   * when no index can serve it (the caller scans). With `find`, a sorted page may be answered by
   * walking an index: then only the documents the page can hold are handed over.
   */
  candidates(db: string, coll: string, filter: Record<string, unknown>, find?: FindShape): Doc[] | undefined {
    const docs = this.storage.databases.get(db)?.get(coll);
    if (!docs) {
      this.stats.scanned++;
      return undefined;
    }
    const conditions = servableConditions(filter);
    const byId = conditions.find((c) => c.field === '_id');
    if (byId) {
      this.stats.served++;
      return this.inCollectionOrder(db, coll, docs, new Set(byId.keys.filter((k) => k.startsWith('o')).map((k) => k.slice(1))));
    }
    const index = this.indexOf(db, coll, docs);
    const byField = fieldConditions(filter);
    // Each served condition is an option; the smallest is the candidates, narrowed by the others
    // that can tell at once whether they hold a document (posting and word sets).
    const options: { size: number; ids: () => Set<string>; holds?: (id: string) => boolean; kind?: 'ranged' | 'byWord' }[] = [];
    for (const condition of conditions) {
      const field = index.fields.get(condition.field);
      if (!field) continue;
      const holders = condition.keys.map((k) => field.postings.get(k)).filter((s): s is Set<string> => Boolean(s));
      options.push({
        size: holders.reduce((n, s) => n + s.size, 0),
        ids: () => (holders.length === 1 ? holders[0]! : new Set(holders.flatMap((s) => [...s]))),
        holds: (id) => holders.some((s) => s.has(id)),
      });
    }
    for (const [field, found] of byField) {
      if (!index.fields.has(field)) continue;
      for (const condition of found) {
        const prefix = wordPrefixOf(condition);
        if (prefix === undefined) continue;
        const ids = this.wordIndexOf(index, field, docs).startingWith(prefix);
        options.push({ size: ids.size, ids: () => ids, holds: (id) => ids.has(id), kind: 'byWord' });
      }
    }
    for (const ordered of index.ordered) {
      const intervals = intervalsFor(ordered.index, byField);
      // Equalities alone, or a lone null, the postings answer without building a sorted list.
      if (!intervals.length || intervals.every((iv) => iv.low === iv.high) || (intervals.length === 1 && intervals[0] === NIL_INTERVAL)) continue;
      const built = this.ensureBuilt(ordered, docs, index.positions);
      if (!built.usable) continue;
      const slice = built.slice(intervals);
      let inSlice: Set<string> | undefined;
      const ids = () => (inSlice ??= new Set([...built.walk(slice, false)].map((e) => e.id)));
      options.push({ size: slice.to - slice.from, ids, holds: (id) => ids().has(id), kind: 'ranged' });
    }
    options.sort((a, b) => a.size - b.size);
    const best = options[0];
    const narrowing = options.slice(1).filter((o) => o.holds);
    const ids = best && (narrowing.length ? new Set([...best.ids()].filter((id) => narrowing.every((o) => o.holds!(id)))) : best.ids());
    const page = find ? pageOf(find) : undefined;
    // An aborted walk costs at most what the other candidates cost to test: worth trying.
    if (page && (!ids || ids.size > page.skip + page.limit)) {
      const walked = this.walkSorted(index, docs, filter, byField, page, ids?.size ?? docs.size);
      if (walked) {
        this.stats.served++;
        this.stats.sortWalks++;
        return this.inCollectionOrder(db, coll, docs, walked);
      }
    }
    if (find && !page && isFirstMatches(find)) {
      // An unsorted page is the first matches in collection order: stop testing once it is full.
      const { skip = 0, limit } = find as { skip?: number; limit: number };
      const order = ids ? this.inCollectionOrder(db, coll, docs, ids) : docs.values();
      const inOrder = (function* () {
        for (const doc of order) yield { id: doc._id.toHexString(), values: [] };
      })();
      const first = walkPage(inOrder, docs, (batch) => this.matcher(batch, filter), [], skip + Math.abs(limit), Infinity, { n: 0 })!;
      this.stats.served++;
      this.stats.firstMatches++;
      return this.inCollectionOrder(db, coll, docs, first);
    }
    if (!best || !ids) {
      this.stats.scanned++;
      return undefined;
    }
    this.stats.served++;
    if (best.kind) this.stats[best.kind]++;
    return this.inCollectionOrder(db, coll, docs, ids);
  }

  /**
   * The ids of every document that can be on the page, found by walking an index whose fields,
   * after an equality prefix, are the sort's first fields; undefined when no index fits or more
   * than `maxVisits` entries would have to be tested.
   */
  private walkSorted(index: CollectionIndex, docs: Map<string, Doc>, filter: Record<string, unknown>, byField: Map<string, unknown[]>, page: Page, maxVisits: number): Set<string> | undefined {
    for (const ordered of index.ordered) {
      const plan = walkPlan(ordered.index, byField, page.sort);
      if (!plan) continue;
      const built = this.ensureBuilt(ordered, docs, index.positions);
      if (!built.usable || !plan.sortFields.every((f) => built.oneClass(f) && !built.holdsStrings(f))) continue;
      const slice: Slice = plan.stretch.length ? built.slice(plan.stretch) : { from: 0, to: built.size };
      const visits = { n: 0 };
      const found = walkPage(built.walk(slice, plan.reversed), docs, (batch) => this.matcher(batch, filter), plan.sortFields, page.skip + page.limit, maxVisits, visits);
      this.stats.walkedEntries += visits.n;
      return found;
    }
    return undefined;
  }

  private ensureBuilt(ordered: CollectionIndex['ordered'][number], docs: Map<string, Doc>, positions: Map<string, number>): OrderedIndex {
    if (!ordered.built) {
      ordered.index.build(docs, (id) => positions.get(id)!);
      ordered.built = true;
    }
    return ordered.index;
  }

  private wordIndexOf(index: CollectionIndex, field: string, docs: Map<string, Doc>): WordIndex {
    let words = index.words.get(field);
    if (!words) {
      words = new WordIndex(field);
      words.build(docs);
      index.words.set(field, words);
    }
    return words;
  }

  /** Records that `doc` was inserted (no `previous`) or replaced `previous`. */
  written(db: string, coll: string, doc: Doc, previous?: Doc): void {
    const index = this.built.get(`${db}.${coll}`);
    if (!index) return; // built from the documents on first use, which then include this one
    const id = doc._id.toHexString();
    if (previous) this.unpost(index, previous);
    else index.positions.set(id, index.nextPosition++);
    for (const field of index.fields.values()) post(field, doc, id);
    const at = index.positions.get(id)!;
    for (const { index: ordered, built } of index.ordered) if (built) ordered.add(id, doc, at);
    for (const words of index.words.values()) words.add(id, doc);
  }

  deleted(db: string, coll: string, doc: Doc): void {
    const index = this.built.get(`${db}.${coll}`);
    if (!index) return;
    this.unpost(index, doc);
    index.positions.delete(doc._id.toHexString());
  }

  private unpost(index: CollectionIndex, doc: Doc): void {
    const id = doc._id.toHexString();
    const at = index.positions.get(id)!;
    for (const { index: ordered, built } of index.ordered) if (built) ordered.remove(id, doc, at);
    for (const words of index.words.values()) words.remove(id, doc);
    for (const field of index.fields.values()) {
      for (const key of keysAt(doc, field.path)) {
        const holders = field.postings.get(key);
        holders?.delete(id);
        if (holders?.size === 0) field.postings.delete(key);
      }
      if (!isPlainAt(doc, field.path)) field.unplain--;
    }
  }

  /**
   * How many documents match `filter`, counted from the index alone, when every condition is an
   * equality on a field that holds only plain scalars (then a key's holders are exactly its
   * matches); undefined otherwise (the matcher counts).
   */
  exactCount(db: string, coll: string, filter: Record<string, unknown>): number | undefined {
    const docs = this.storage.databases.get(db)?.get(coll);
    if (!docs) return undefined;
    const entries = equalities(filter);
    if (!entries) return undefined;
    if (!entries.length) return docs.size;
    const index = this.indexOf(db, coll, docs);
    const sets: Set<string>[] = [];
    for (const [name, condition] of entries) {
      const field = index.fields.get(name);
      const value = isPlainObject(condition) ? (Object.keys(condition).length === 1 && '$eq' in condition ? condition.$eq : undefined) : condition;
      const key = field && field.unplain === 0 && value !== undefined ? queryKey(value) : undefined;
      if (key === undefined) return undefined;
      sets.push(field!.postings.get(key) ?? new Set());
    }
    sets.sort((a, b) => a.size - b.size);
    let n = sets[0]!.size;
    if (sets.length > 1) {
      n = 0;
      for (const id of sets[0]!) if (sets.every((s) => s.has(id))) n++;
    }
    this.stats.counted++;
    return n;
  }

  private indexOf(db: string, coll: string, docs: Map<string, Doc>): CollectionIndex {
    const ns = `${db}.${coll}`;
    const existing = this.built.get(ns);
    if (existing) return existing;
    const index: CollectionIndex = { fields: new Map(), positions: new Map(), nextPosition: 0, ordered: [new OrderedIndex(['_id'], [1])].map((i) => ({ index: i, built: false })), words: new Map() };
    const orderedKeys = new Set(['_id:1']);
    for (const spec of this.storage.indexes.get(db)?.get(coll) ?? []) {
      const keys = Object.entries(spec.key);
      const signature = keys.map(([f, k]) => `${f}:${k}`).join(',');
      if (keys.every(([f, k]) => (k === 1 || k === -1) && !f.includes('$') && !f.split('.').some((part) => /^\d+$/.test(part))) && !orderedKeys.has(signature)) {
        orderedKeys.add(signature);
        index.ordered.push({ index: new OrderedIndex(keys.map(([f]) => f), keys.map(([, k]) => k as 1 | -1)), built: false });
      }
      for (const [field, kind] of Object.entries(spec.key)) {
        // Only ascending/descending keys: text, hashed and geo indexes match differently.
        if (field === '_id' || (kind !== 1 && kind !== -1) || index.fields.has(field) || field.includes('$')) continue;
        index.fields.set(field, { path: field.split('.'), postings: new Map(), unplain: 0 });
      }
    }
    for (const [id, doc] of docs) {
      index.positions.set(id, index.nextPosition++);
      for (const field of index.fields.values()) post(field, doc, id);
    }
    // Every list page sorts by `_id` unless told otherwise: its order is built now, with the rest,
    // rather than on the first page someone opens.
    this.ensureBuilt(index.ordered[0]!, docs, index.positions);
    this.built.set(ns, index);
    return index;
  }

  private inCollectionOrder(db: string, coll: string, docs: Map<string, Doc>, ids: Set<string>): Doc[] {
    // Past a quarter of the collection, one pass in map order is cheaper than sorting positions.
    if (ids.size * 4 > docs.size) {
      const found: Doc[] = [];
      for (const [id, doc] of docs) if (ids.has(id)) found.push(doc);
      return found;
    }
    const found: { doc: Doc; at: number }[] = [];
    for (const id of ids) {
      const doc = docs.get(id);
      if (doc) found.push({ doc, at: 0 });
    }
    if (found.length < 2) return found.map((f) => f.doc);
    const { positions } = this.indexOf(db, coll, docs);
    for (const f of found) f.at = positions.get(f.doc._id.toHexString())!;
    return found.sort((a, b) => a.at - b.at).map((f) => f.doc);
  }
}

function post(field: FieldIndex, doc: Doc, id: string): void {
  for (const key of keysAt(doc, field.path)) {
    let holders = field.postings.get(key);
    if (!holders) field.postings.set(key, (holders = new Set()));
    holders.add(id);
  }
  if (!isPlainAt(doc, field.path)) field.unplain++;
}

function isPlainAt(doc: Doc, path: string[]): boolean {
  if (path.length !== 1) return false;
  const value = doc[path[0]!];
  return value === undefined || value === null || ['string', 'number', 'boolean'].includes(typeof value) || value instanceof Date || value instanceof ObjectId;
}

/**
 * Every key mingo could match `path` of `doc` against: each value reached through objects and
 * arrays (an array at any level is walked element by element, and a numeric step also indexes
 * it), each array at the end flattened to its elements. A path that stops early, null and
 * undefined give the nil key.
 */
export function keysAt(doc: unknown, path: string[]): Set<string> {
  const keys = new Set<string>();
  const walk = (value: unknown, at: number): void => {
    if (Array.isArray(value)) {
      if (value.length === 0) keys.add(NIL);
      for (const item of value) walk(item, at);
      if (at < path.length && /^\d+$/.test(path[at]!)) walk(value[Number(path[at])], at + 1);
      return;
    }
    if (value === null || value === undefined) {
      keys.add(NIL);
      return;
    }
    if (at === path.length) {
      if (typeof value !== 'object' || isBsonValue(value)) keys.add(keyText(value));
      return;
    }
    if (typeof value !== 'object' || isBsonValue(value)) {
      keys.add(NIL);
      return;
    }
    walk((value as Record<string, unknown>)[path[at]!], at + 1);
  };
  walk(doc, 0);
  return keys;
}

/** The key of a query value, or undefined for a value the index does not answer for (the filter is scanned). */
function queryKey(value: unknown): string | undefined {
  if (value === null) return NIL;
  if (typeof value === 'string' || typeof value === 'boolean') return keyText(value);
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : keyText(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : keyText(value);
  if (value instanceof ObjectId) return keyText(value);
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isBsonValue(value) && !(value instanceof RegExp);
}

/** The conditions of `filter` that every matching document meets and that an index can answer. */
export function servableConditions(filter: Record<string, unknown>): Condition[] {
  const found: Condition[] = [];
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(condition)) {
      for (const part of condition) if (isPlainObject(part)) found.push(...servableConditions(part));
      continue;
    }
    if (field.startsWith('$')) continue;
    const keys = conditionKeys(condition);
    if (keys) found.push({ field, keys });
  }
  return found;
}

function conditionKeys(condition: unknown): string[] | undefined {
  if (!isPlainObject(condition)) {
    const key = queryKey(condition);
    return key === undefined ? undefined : [key];
  }
  const operators = Object.keys(condition);
  // A subdocument to compare whole, not operators: left to the scan.
  if (!operators.length || !operators.every((op) => op.startsWith('$'))) return undefined;
  if ('$eq' in condition) {
    const key = queryKey(condition.$eq);
    if (key !== undefined) return [key];
  }
  if (Array.isArray(condition.$in)) {
    const keys = condition.$in.map(queryKey);
    if (keys.every((k): k is string => k !== undefined)) return keys;
  }
  return undefined;
}

type Narrow = (filter: Record<string, unknown>) => Doc[] | undefined;
interface FilterEngine {
  filter(documents: Doc[], filter: Record<string, unknown>): Doc[];
}

/** Collection reads (`findAll` results) that an index may narrow, with the index that knows them. */
const narrowable = new WeakMap<object, Narrow>();
const patched = new WeakSet<object>();

/**
 * Lets `indexes` serve CongoDB's handlers, which all read a whole collection (`findAll`) and then
 * filter it:
 * - a command with one filter known before it runs (find, count, distinct, findAndModify, an update
 *   or delete of one statement, an aggregation starting with `$match`) gets the candidates from
 *   its first read of that collection, without copying the whole collection into a list first;
 * - an aggregation reads the collections of its `$unionWith` and `$lookup` stages after its own, in
 *   stage order: a `$unionWith` whose pipeline starts with `$match` gets that filter's candidates
 *   (so several finds sent as one aggregate cost what the finds cost), a `$lookup` the whole
 *   collection;
 * - otherwise each `findAll` result is remembered, and when a handler passes exactly that list to
 *   `QueryEngine.filter` (each statement of a multi-statement update or delete), the filter runs
 *   over the index's candidates instead.
 * Any other use of a read (an aggregation's later stages) gets the whole collection.
 * Returns the hook the router calls before each command (and with undefined after it).
 */
export function serveFromIndexes(
  storage: EmbeddedStorage,
  engine: FilterEngine,
  indexes: QueryIndexes,
  aggregation?: LookupEngine,
): (command: { commandName: string; command: Record<string, unknown>; database: string } | undefined) => void {
  if (aggregation) serveLookupsById(aggregation);
  const findAll = storage.findAll.bind(storage);
  let pending: Read[] = [];
  storage.findAll = async (db, coll) => {
    // The handler skips the read of a collection that does not exist (which cannot change within
    // one command), so this is the next expected read of this collection; a read not expected at
    // all means the order is lost, and nothing more is served.
    const at = pending.findIndex((r) => r.db === db && r.coll === coll);
    const known = at < 0 ? undefined : pending[at];
    pending = at < 0 ? [] : pending.slice(at + 1);
    if (known?.filter) {
      const candidates = indexes.candidates(db, coll, known.filter, known.find);
      if (candidates) return candidates;
    }
    const all = await findAll(db, coll);
    narrowable.set(all, (filter) => indexes.candidates(db, coll, filter));
    return all;
  };
  if (!patched.has(engine)) {
    patched.add(engine);
    const filter = engine.filter.bind(engine);
    engine.filter = (documents, query) => {
      const narrow = narrowable.get(documents);
      if (narrow && query && Object.keys(query).length) {
        const candidates = narrow(query);
        if (candidates) return filter(candidates, query);
      }
      return filter(documents, query);
    };
  }
  return (command) => {
    pending = [];
    if (!command) return;
    const known = knownFilter(command.command);
    if (!known) return;
    const find = typeof command.command.find === 'string' ? (command.command as FindShape) : undefined;
    const served = isPlainObject(known.filter) && (Object.keys(known.filter).length || find);
    pending = [served ? { coll: known.coll, filter: known.filter as Record<string, unknown>, find } : { coll: known.coll }, ...laterReads(command.command)].map((r) => ({ ...r, db: command.database }));
  };
}

/** CongoDB's `$lookup`: each document's local value compared with every document of the other collection. */
interface LookupEngine {
  executeLookup(documents: Doc[], spec: { from: string; localField: string; foreignField: string; as: string }, foreign: Doc[]): Doc[];
}

/**
 * A `$lookup` by `_id` (a customer's organization on its card) tests only the documents holding
 * the local ids instead of the whole other collection, when those are ObjectIds; anything else is
 * left to CongoDB as it was. Each document is joined on its own, against a superset of its matches.
 */
function serveLookupsById(aggregation: LookupEngine): void {
  if (patched.has(aggregation)) return;
  patched.add(aggregation);
  const lookup = aggregation.executeLookup.bind(aggregation);
  const valueAt = (aggregation as unknown as { getNestedValue(doc: Doc, path: string): unknown }).getNestedValue.bind(aggregation);
  aggregation.executeLookup = (documents, spec, foreign) => {
    const narrow = narrowable.get(foreign);
    if (!narrow || spec.foreignField !== '_id' || typeof spec.localField !== 'string') return lookup(documents, spec, foreign);
    return documents.flatMap((doc) => {
      const local = valueAt(doc, spec.localField);
      const ids = local === undefined || local === null ? [] : Array.isArray(local) ? local : [local];
      const candidates = ids.every((id) => id instanceof ObjectId) ? narrow({ _id: { $in: ids } }) : undefined;
      return lookup([doc], spec, candidates ?? foreign);
    });
  };
}

/** A collection read a command is expected to make, with the filter its documents will be tested by (none: every document). */
interface Read {
  db: string;
  coll: string;
  filter?: Record<string, unknown>;
  find?: FindShape;
}

/**
 * The reads an aggregation makes after its own collection's, in order: one per `$unionWith`
 * (filtered when its pipeline starts with a `$match`) and per `$lookup`/`$graphLookup` (whole). A
 * `$facet` may read in its own pipelines, so nothing after one is expected.
 */
function laterReads(body: Record<string, unknown>): Omit<Read, 'db'>[] {
  if (typeof body.aggregate !== 'string' || !Array.isArray(body.pipeline)) return [];
  const reads: Omit<Read, 'db'>[] = [];
  for (const stage of body.pipeline as Record<string, any>[]) {
    if (!isPlainObject(stage) || '$facet' in stage) break;
    const lookup = stage.$lookup ?? stage.$graphLookup;
    if (isPlainObject(lookup) && typeof lookup.from === 'string') reads.push({ coll: lookup.from });
    const union = stage.$unionWith;
    if (typeof union === 'string') reads.push({ coll: union });
    else if (isPlainObject(union) && typeof union.coll === 'string') {
      const match = Array.isArray(union.pipeline) ? (union.pipeline[0] as { $match?: unknown } | undefined)?.$match : undefined;
      reads.push(isPlainObject(match) && Object.keys(match).length ? { coll: union.coll, filter: match } : { coll: union.coll });
    }
  }
  return reads;
}

/** The collection and the one filter of a command, when it has exactly one and reads with it first. */
function knownFilter(body: Record<string, unknown>): { coll: string; filter: unknown } | undefined {
  const one = (statements: unknown) => (Array.isArray(statements) && statements.length === 1 ? (statements[0] as { q?: unknown } | undefined)?.q : undefined);
  if (typeof body.find === 'string') return { coll: body.find, filter: body.filter };
  if (typeof body.count === 'string') return { coll: body.count, filter: body.query };
  if (typeof body.distinct === 'string') return { coll: body.distinct, filter: body.query };
  if (typeof body.findAndModify === 'string') return { coll: body.findAndModify, filter: body.query };
  if (typeof body.update === 'string') return { coll: body.update, filter: one(body.updates) };
  if (typeof body.delete === 'string') return { coll: body.delete, filter: one(body.deletes) };
  if (typeof body.aggregate === 'string' && Array.isArray(body.pipeline)) return { coll: body.aggregate, filter: (body.pipeline[0] as { $match?: unknown } | undefined)?.$match };
  return undefined;
}

/** The filter's field conditions, from its top level and its `$and`s; undefined if it has any other operator. */
function equalities(filter: Record<string, unknown>): [string, unknown][] | undefined {
  const found: [string, unknown][] = [];
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(condition) && condition.length) {
      for (const part of condition) {
        const inner = isPlainObject(part) ? equalities(part) : undefined;
        if (!inner) return undefined;
        found.push(...inner);
      }
    } else if (field.startsWith('$')) return undefined;
    else found.push([field, condition]);
  }
  return found;
}

/** Every condition the filter puts on each field, from its top level and its `$and`s. */
function fieldConditions(filter: Record<string, unknown>, into = new Map<string, unknown[]>()): Map<string, unknown[]> {
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(condition)) {
      for (const part of condition) if (isPlainObject(part)) fieldConditions(part, into);
      continue;
    }
    if (field.startsWith('$')) continue;
    const found = into.get(field);
    if (found) found.push(condition);
    else into.set(field, [condition]);
  }
  return into;
}

/** The single value a condition requires (`v` or `{$eq: v}`), if the ordered index can hold it; null for a null. */
function equalityValue(condition: unknown): Scalar | undefined {
  const value = isPlainObject(condition) ? (Object.keys(condition).length === 1 && '$eq' in condition ? condition.$eq : undefined) : condition;
  if (value === null) return null;
  return value !== undefined && rankOf(value) !== undefined ? (value as Scalar) : undefined;
}

/**
 * The values a range condition allows. The matcher compares only values of the bound's own type,
 * so the interval stays inside that type; a bound of another type only narrows further and is left
 * to the matcher.
 */
function rangeInterval(condition: unknown): Interval | undefined {
  if (!isPlainObject(condition) || !Object.keys(condition).every((op) => op.startsWith('$'))) return undefined;
  let low: Bound | undefined;
  let high: Bound | undefined;
  let rank: number | undefined;
  for (const [op, value] of Object.entries(condition)) {
    if (!['$gt', '$gte', '$lt', '$lte'].includes(op) || value === null || value === undefined) continue;
    const r = rankOf(value);
    if (r === undefined || (rank !== undefined && r !== rank)) continue;
    rank = r;
    const bound = { rank: r, value: value as Scalar, inclusive: op.endsWith('e') };
    if (op.startsWith('$g')) low ??= bound;
    else high ??= bound;
  }
  if (rank === undefined) return undefined;
  return { low: low ?? { rank, inclusive: true }, high: high ?? { rank, inclusive: true } };
}

/** `{$ne: null}` (with any other operators): some value, which in an index without arrays is any non-nil entry. */
function isNotNull(condition: unknown): boolean {
  return isPlainObject(condition) && '$ne' in condition && condition.$ne === null && Object.keys(condition).every((op) => op.startsWith('$'));
}

/**
 * What the filter asks of the index's leading fields: single values for a prefix, then at most one
 * interval (a range, or missing-or-null) on the next field. Empty when the first field is free.
 */
function intervalsFor(index: OrderedIndex, byField: Map<string, unknown[]>): Interval[] {
  const intervals: Interval[] = [];
  for (const field of index.fields) {
    const conditions = byField.get(field) ?? [];
    const point = conditions.map(equalityValue).find((v) => v !== undefined);
    if (point !== undefined && point !== null) {
      intervals.push(pointInterval(point));
      continue;
    }
    const interval = point === null ? NIL_INTERVAL : conditions.map((c) => rangeInterval(c) ?? (isNotNull(c) ? NOT_NIL_INTERVAL : undefined)).find(Boolean);
    if (interval) intervals.push(interval);
    break;
  }
  return intervals;
}

/** A find with a limit and no sort: its answer is the first matches in collection order. */
function isFirstMatches(find: FindShape): boolean {
  const sortless = find.sort === undefined || (isPlainObject(find.sort) && !Object.keys(find.sort).length);
  return sortless && typeof find.limit === 'number' && find.limit !== 0 && (find.skip === undefined || typeof find.skip === 'number');
}

interface Page {
  sort: [string, 1 | -1][];
  skip: number;
  limit: number;
}

function pageOf(find: FindShape): Page | undefined {
  const limit = typeof find.limit === 'number' ? Math.abs(find.limit) : 0;
  const skip = typeof find.skip === 'number' && find.skip > 0 ? find.skip : 0;
  if (!limit || !isPlainObject(find.sort)) return undefined;
  const sort = Object.entries(find.sort).map(([field, d]): [string, 1 | -1] | undefined => (d === 1 || d === -1 ? [field, d] : undefined));
  if (!sort.length || sort.some((s) => !s)) return undefined;
  return { sort: sort as [string, 1 | -1][], skip, limit };
}

/**
 * How `index` serves the page's sort: its leading fields held to single values by the filter, then
 * the sort's first fields in the index's directions (or all reversed). `stretch` is what the walk
 * covers, `sortFields` the index positions it is ordered by.
 */
function walkPlan(index: OrderedIndex, byField: Map<string, unknown[]>, sort: [string, 1 | -1][]): { stretch: Interval[]; sortFields: number[]; reversed: boolean } | undefined {
  const intervals = intervalsFor(index, byField);
  const prefix = intervals.filter((iv) => iv.low === iv.high);
  const sortFields: number[] = [];
  let reversed: boolean | undefined;
  for (let i = prefix.length, s = 0; i < index.fields.length && s < sort.length; i++, s++) {
    const [field, direction] = sort[s]!;
    if (index.fields[i] !== field) break;
    const flipped = direction !== index.directions[i];
    if (reversed !== undefined && flipped !== reversed) break;
    reversed = flipped;
    sortFields.push(i);
  }
  if (!sortFields.length) return undefined;
  // A range on the first sort field (`expectedCloseAt: {$ne: null}`) keeps the walk to its stretch,
  // which is still in sort order: the entries outside it would all fail the matcher.
  return { stretch: intervals.length > prefix.length ? intervals : prefix, sortFields, reversed: reversed! };
}

/**
 * Tests the walked entries in batches (one matcher per batch) and keeps the matches until `need`
 * are kept and the next match sorts after the last one kept: ties with it stay, since CongoDB
 * orders ties by collection position, not by this index. Undefined past `maxVisits` entries.
 */
function walkPage(
  entries: Iterable<{ id: string; values: Scalar[] }>,
  docs: Map<string, Doc>,
  matching: (batch: Doc[]) => Doc[],
  sortFields: number[],
  need: number,
  maxVisits: number,
  visits: { n: number },
): Set<string> | undefined {
  const kept = new Set<string>();
  let last: Scalar[] | undefined;
  let batch: { id: string; values: Scalar[]; doc: Doc }[] = [];
  let size = 32;
  const sameGroup = (values: Scalar[]) => sortFields.every((f) => compareScalars(values[f], last![f]) === 0);
  /** true when the page is complete */
  const flush = (): boolean => {
    const matched = new Set(matching(batch.map((b) => b.doc)));
    for (const entry of batch) {
      if (!matched.has(entry.doc)) continue;
      if (kept.size >= need && !(sortFields.length && sameGroup(entry.values))) return true;
      kept.add(entry.id);
      last = entry.values;
    }
    batch = [];
    size = Math.min(size * 4, 4096);
    return false;
  };
  for (const entry of entries) {
    if (++visits.n > maxVisits) return undefined;
    const doc = docs.get(entry.id);
    if (doc) batch.push({ ...entry, doc });
    if (batch.length >= size && flush()) return kept;
  }
  if (batch.length) flush();
  return kept;
}
