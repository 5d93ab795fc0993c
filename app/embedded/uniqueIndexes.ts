import { Binary, Decimal128, Double, Int32, Long, ObjectId } from 'bson';
import type { Doc, EmbeddedStorage, IndexSpec } from './internals.js';

/**
 * Enforces the unique indexes a collection declares, as MongoDB does: an insert, update or upsert
 * that would give two documents the same key fails with E11000 (code 11000, `keyPattern`,
 * `keyValue`) and changes nothing. CongoDB stores unique indexes but never checks them, so without
 * this chot's code would meet different rules on the embedded database than on a real MongoDB.
 *
 * MongoDB's rules kept here: a missing field and null are the same key; `sparse` leaves out
 * documents that have none of the indexed fields; `partialFilterExpression` leaves out documents
 * that do not match it; an array gives one key per element (and an empty array one "undefined"
 * key); a number's key does not depend on its BSON type.
 *
 * Each unique index keeps a map from key to the `_id` holding it, built from the documents the
 * first time a collection is written and kept current by every write, so a check is a lookup.
 */
export class DuplicateKeyError extends Error {
  readonly code = 11000;
  readonly codeName = 'DuplicateKey';
  constructor(
    readonly ns: string,
    readonly index: string,
    readonly keyPattern: Record<string, number>,
    readonly keyValue: Record<string, unknown>,
  ) {
    super(`E11000 duplicate key error collection: ${ns} index: ${index} dup key: ${describeKey(keyValue)}`);
  }
}

type Matcher = (doc: Doc, filter: Record<string, unknown>) => boolean;

interface UniqueIndex {
  spec: IndexSpec;
  fields: string[];
  /** key → `_id` hex of the document holding it */
  holders: Map<string, string>;
}

export class UniqueIndexes {
  /** `db.collection` → its unique indexes, built on first use */
  private readonly built = new Map<string, UniqueIndex[]>();

  constructor(
    private readonly storage: EmbeddedStorage,
    private readonly matches: Matcher,
  ) {}

  /** Forgets what was built for a collection (indexes or documents changed wholesale). */
  forget(db: string, coll?: string): void {
    for (const ns of [...this.built.keys()]) if (coll ? ns === `${db}.${coll}` : ns.startsWith(`${db}.`)) this.built.delete(ns);
  }

  /** Throws DuplicateKeyError if `doc` would take a key another document holds. */
  check(db: string, coll: string, doc: Doc): void {
    const id = doc._id.toHexString();
    for (const index of this.indexesOf(db, coll)) {
      for (const key of this.keysOf(index, doc)) {
        const holder = index.holders.get(key.text);
        if (holder !== undefined && holder !== id) throw this.violation(db, coll, index, key.value);
      }
    }
  }

  /** The first key two documents of the collection share under `spec` (an index about to be created), if any. */
  duplicateIn(db: string, coll: string, spec: IndexSpec): DuplicateKeyError | undefined {
    const index: UniqueIndex = { spec, fields: Object.keys(spec.key), holders: new Map() };
    for (const doc of this.storage.databases.get(db)?.get(coll)?.values() ?? []) {
      for (const key of this.keysOf(index, doc)) {
        if (index.holders.has(key.text)) return this.violation(db, coll, index, key.value);
        index.holders.set(key.text, doc._id.toHexString());
      }
    }
    return undefined;
  }

  private violation(db: string, coll: string, index: UniqueIndex, keyValue: Record<string, unknown>): DuplicateKeyError {
    const keyPattern = Object.fromEntries(index.fields.map((f) => [f, Number(index.spec.key[f]) || 1]));
    return new DuplicateKeyError(`${db}.${coll}`, index.spec.name, keyPattern, keyValue);
  }

  /** Records that `doc` was written, replacing `previous` (the same document before the write). */
  written(db: string, coll: string, doc: Doc, previous?: Doc): void {
    const indexes = this.built.get(`${db}.${coll}`);
    if (!indexes) return; // built from the documents on first use, which then include this one
    const id = doc._id.toHexString();
    for (const index of indexes) {
      if (previous) this.release(index, previous);
      for (const key of this.keysOf(index, doc)) index.holders.set(key.text, id);
    }
  }

  /** Records that `doc` was deleted. */
  deleted(db: string, coll: string, doc: Doc): void {
    for (const index of this.built.get(`${db}.${coll}`) ?? []) this.release(index, doc);
  }

  private release(index: UniqueIndex, doc: Doc): void {
    const id = doc._id.toHexString();
    for (const key of this.keysOf(index, doc)) if (index.holders.get(key.text) === id) index.holders.delete(key.text);
  }

  private indexesOf(db: string, coll: string): UniqueIndex[] {
    const ns = `${db}.${coll}`;
    let indexes = this.built.get(ns);
    if (indexes) return indexes;
    const specs = (this.storage.indexes.get(db)?.get(coll) ?? []).filter((s) => s.unique && s.name !== '_id_');
    indexes = specs.map((spec) => ({ spec, fields: Object.keys(spec.key), holders: new Map<string, string>() }));
    for (const doc of this.storage.databases.get(db)?.get(coll)?.values() ?? []) {
      const id = doc._id.toHexString();
      // Data written before enforcement may already hold duplicates: the first holder keeps the key.
      for (const index of indexes) for (const key of this.keysOf(index, doc)) if (!index.holders.has(key.text)) index.holders.set(key.text, id);
    }
    this.built.set(ns, indexes);
    return indexes;
  }

  /** The keys a document takes in an index: none when sparse or the partial filter leaves it out. */
  private keysOf(index: UniqueIndex, doc: Doc): { text: string; value: Record<string, unknown> }[] {
    const { spec, fields } = index;
    if (spec.partialFilterExpression && !this.matches(doc, spec.partialFilterExpression)) return [];
    const perField = fields.map((field) => valuesAt(doc, field.split('.')));
    if (spec.sparse && perField.every((values) => values.length === 0)) return [];
    // Missing is null; a compound key is every combination (MongoDB allows at most one array field).
    let combos: unknown[][] = [[]];
    for (const values of perField) {
      const options = values.length ? values : [null];
      combos = combos.flatMap((combo) => options.map((v) => [...combo, v]));
    }
    return combos.map((combo) => ({
      text: combo.map(keyText).join('\u0000'),
      value: Object.fromEntries(fields.map((f, i) => [f, combo[i] === EMPTY_ARRAY ? null : combo[i]])),
    }));
  }
}

const EMPTY_ARRAY = Symbol('empty array');

/** The values at a dotted path, descending through arrays; [] when the path is missing. */
function valuesAt(value: unknown, path: string[]): unknown[] {
  if (path.length === 0) {
    if (Array.isArray(value)) return value.length ? value : [EMPTY_ARRAY];
    return [value];
  }
  if (Array.isArray(value)) return value.flatMap((item) => valuesAt(item, path));
  if (value === null || typeof value !== 'object' || isBsonValue(value)) return [];
  const record = value as Record<string, unknown>;
  if (!(path[0]! in record)) return [];
  return valuesAt(record[path[0]!], path.slice(1));
}

export function isBsonValue(value: object): boolean {
  return value instanceof Date || value instanceof ObjectId || '_bsontype' in value;
}

/** A key's text: equal for values MongoDB's index treats as equal, different otherwise. */
export function keyText(value: unknown): string {
  if (value === null || value === undefined) return 'n';
  if (value === EMPTY_ARRAY) return 'u';
  if (typeof value === 'number') return `d${value}`;
  if (typeof value === 'bigint') return `d${value}`;
  if (typeof value === 'string') return `s${value}`;
  if (typeof value === 'boolean') return value ? 'b1' : 'b0';
  if (value instanceof Date) return `t${value.getTime()}`;
  if (value instanceof ObjectId) return `o${value.toHexString()}`;
  if (value instanceof Int32 || value instanceof Double) return `d${value.valueOf()}`;
  if (value instanceof Long) return `d${value.toString()}`;
  if (value instanceof Decimal128) return `m${value.toString()}`;
  if (value instanceof Binary) return `x${Buffer.from(value.buffer).toString('base64')}`;
  if (Array.isArray(value)) return `a[${value.map(keyText).join(',')}]`;
  if (typeof value === 'object') return `e{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${keyText(v)}`).join(',')}}`;
  return `?${String(value)}`;
}

function describeKey(keyValue: Record<string, unknown>): string {
  const parts = Object.entries(keyValue).map(([k, v]) => `${k}: ${v instanceof ObjectId ? `ObjectId('${v.toHexString()}')` : JSON.stringify(v)}`);
  return `{ ${parts.join(', ')} }`;
}
