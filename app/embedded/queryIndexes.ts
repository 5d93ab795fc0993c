import { ObjectId } from 'bson';
import type { Doc, EmbeddedStorage } from './internals.js';
import { isBsonValue, keyText } from './uniqueIndexes.js';

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
 * - each document's position in the collection, to give candidates back in the scan's order.
 *
 * Served: equality (`{field: v}`, `$eq`) and `$in` on an indexed field, with v a string, number,
 * boolean, date, ObjectId or null, at the top of the filter or inside `$and`; `_id` equality and
 * `$in` straight from the collection. When several conditions can be served, the one with the
 * fewest documents is used. Ranges, `$or`, regular expressions and everything else are scanned.
 */
const NIL = 'n';

interface FieldIndex {
  path: string[];
  /** key → `_id` hex of the documents holding it */
  postings: Map<string, Set<string>>;
}

interface CollectionIndex {
  fields: Map<string, FieldIndex>;
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
}

export class QueryIndexes {
  private readonly built = new Map<string, CollectionIndex>();
  readonly stats: QueryIndexStats = { served: 0, scanned: 0 };

  constructor(private readonly storage: EmbeddedStorage) {}

  /** Forgets what was built for a collection (its indexes or its documents changed wholesale). */
  forget(db: string, coll?: string): void {
    for (const ns of [...this.built.keys()]) if (coll ? ns === `${db}.${coll}` : ns.startsWith(`${db}.`)) this.built.delete(ns);
  }

  /**
   * The documents of the collection that may match `filter`, in collection order, or undefined
   * when no index can serve it (the caller scans).
   */
  candidates(db: string, coll: string, filter: Record<string, unknown>): Doc[] | undefined {
    const docs = this.storage.databases.get(db)?.get(coll);
    const conditions = docs ? servableConditions(filter) : [];
    if (!docs || !conditions.length) {
      this.stats.scanned++;
      return undefined;
    }
    const byId = conditions.find((c) => c.field === '_id');
    if (byId) {
      this.stats.served++;
      return this.inCollectionOrder(db, coll, docs, new Set(byId.keys.filter((k) => k.startsWith('o')).map((k) => k.slice(1))));
    }
    const index = this.indexOf(db, coll, docs);
    let best: Set<string>[] | undefined;
    let bestSize = Infinity;
    for (const condition of conditions) {
      const field = index.fields.get(condition.field);
      if (!field) continue;
      const holders = condition.keys.map((k) => field.postings.get(k)).filter((s): s is Set<string> => Boolean(s));
      const size = holders.reduce((n, s) => n + s.size, 0);
      if (size < bestSize) [best, bestSize] = [holders, size];
    }
    if (!best) {
      this.stats.scanned++;
      return undefined;
    }
    this.stats.served++;
    const ids = best.length === 1 ? best[0]! : new Set(best.flatMap((s) => [...s]));
    return this.inCollectionOrder(db, coll, docs, ids);
  }

  /** Records that `doc` was inserted (no `previous`) or replaced `previous`. */
  written(db: string, coll: string, doc: Doc, previous?: Doc): void {
    const index = this.built.get(`${db}.${coll}`);
    if (!index) return; // built from the documents on first use, which then include this one
    const id = doc._id.toHexString();
    if (previous) this.unpost(index, previous);
    else index.positions.set(id, index.nextPosition++);
    for (const field of index.fields.values()) for (const key of keysAt(doc, field.path)) post(field, key, id);
  }

  deleted(db: string, coll: string, doc: Doc): void {
    const index = this.built.get(`${db}.${coll}`);
    if (!index) return;
    this.unpost(index, doc);
    index.positions.delete(doc._id.toHexString());
  }

  private unpost(index: CollectionIndex, doc: Doc): void {
    const id = doc._id.toHexString();
    for (const field of index.fields.values()) {
      for (const key of keysAt(doc, field.path)) {
        const holders = field.postings.get(key);
        holders?.delete(id);
        if (holders?.size === 0) field.postings.delete(key);
      }
    }
  }

  private indexOf(db: string, coll: string, docs: Map<string, Doc>): CollectionIndex {
    const ns = `${db}.${coll}`;
    const existing = this.built.get(ns);
    if (existing) return existing;
    const index: CollectionIndex = { fields: new Map(), positions: new Map(), nextPosition: 0 };
    for (const spec of this.storage.indexes.get(db)?.get(coll) ?? []) {
      for (const [field, kind] of Object.entries(spec.key)) {
        // Only ascending/descending keys: text, hashed and geo indexes match differently.
        if (field === '_id' || (kind !== 1 && kind !== -1) || index.fields.has(field) || field.includes('$')) continue;
        index.fields.set(field, { path: field.split('.'), postings: new Map() });
      }
    }
    for (const [id, doc] of docs) {
      index.positions.set(id, index.nextPosition++);
      for (const field of index.fields.values()) for (const key of keysAt(doc, field.path)) post(field, key, id);
    }
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

function post(field: FieldIndex, key: string, id: string): void {
  let holders = field.postings.get(key);
  if (!holders) field.postings.set(key, (holders = new Set()));
  holders.add(id);
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
 * - otherwise each `findAll` result is remembered, and when a handler passes exactly that list to
 *   `QueryEngine.filter` (each statement of a multi-statement update or delete), the filter runs
 *   over the index's candidates instead.
 * Any other use of a read (an aggregation's later stages) gets the whole collection.
 * Returns the hook the router calls before each command (and with undefined after it).
 */
export function serveFromIndexes(storage: EmbeddedStorage, engine: FilterEngine, indexes: QueryIndexes): (command: { commandName: string; command: Record<string, unknown>; database: string } | undefined) => void {
  const findAll = storage.findAll.bind(storage);
  let pending: { db: string; coll: string; filter: Record<string, unknown> } | undefined;
  storage.findAll = async (db, coll) => {
    const known = pending;
    pending = undefined;
    if (known && known.db === db && known.coll === coll) {
      const candidates = indexes.candidates(db, coll, known.filter);
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
    pending = undefined;
    if (!command) return;
    const known = knownFilter(command.command);
    if (known && isPlainObject(known.filter) && Object.keys(known.filter).length) pending = { db: command.database, coll: known.coll, filter: known.filter };
  };
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
