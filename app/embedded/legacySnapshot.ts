import { readFile } from 'node:fs/promises';
import { Double, EJSON, Int32, Long, ObjectId } from 'bson';
import type { Doc, EmbeddedStorage, IndexSpec } from './internals.js';

/**
 * Reads the snapshot format of chot 0.1 (`chot-db.ejson`, canonical Extended JSON) into storage,
 * repairing what it did to numbers. It restored every number as a BSON wrapper object (Int32,
 * Double, Long) that the engine does not treat as a number, and the engine's deep copy then turned
 * each wrapper into a plain `{ value: … }` object, one level deeper at every restart. Both shapes
 * are unwrapped back to plain numbers here.
 */
export const LEGACY_SNAPSHOT_FILE = 'chot-db.ejson';

interface LegacyData {
  databases?: Record<string, Record<string, Record<string, unknown>[]>>;
  indexes?: Record<string, Record<string, IndexSpec[]>>;
}

export async function loadLegacySnapshot(file: string, storage: EmbeddedStorage): Promise<{ documents: number; repairedFields: number } | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const data = EJSON.parse(text, { relaxed: false }) as LegacyData;
  const counter = { repaired: 0 };
  let documents = 0;
  storage.databases.clear();
  storage.indexes.clear();
  for (const [db, collections] of Object.entries(data.databases ?? {})) {
    storage.databases.set(db, new Map());
    storage.indexes.set(db, new Map());
    for (const [coll, docs] of Object.entries(collections)) {
      const byId = new Map<string, Doc>();
      for (const raw of docs) {
        const doc = repairNumbers(raw, counter) as Doc;
        byId.set((doc._id as ObjectId).toHexString(), doc);
        documents++;
      }
      storage.databases.get(db)!.set(coll, byId);
    }
  }
  for (const [db, collections] of Object.entries(data.indexes ?? {})) {
    if (!storage.indexes.has(db)) storage.indexes.set(db, new Map());
    for (const [coll, specs] of Object.entries(collections)) storage.indexes.get(db)!.set(coll, repairNumbers(specs, { repaired: 0 }) as IndexSpec[]);
  }
  return { documents, repairedFields: counter.repaired };
}

/** Returns `value` with every number wrapper (and every nesting of them) replaced by a plain number. */
export function repairNumbers(value: unknown, counter: { repaired: number }): unknown {
  const number = asNumber(value);
  if (number !== undefined) {
    if (typeof value !== 'number') counter.repaired++;
    return number;
  }
  if (Array.isArray(value)) return value.map((item) => repairNumbers(item, counter));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, repairNumbers(v, counter)]));
  }
  return value; // Date, ObjectId, string, boolean, null and the other BSON values stay as they are
}

/** The number a value stands for: a number, a wrapper, or a `{ value }` / `{ low, high, unsigned }` copy of one. */
function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value instanceof Int32 || value instanceof Double) return value.valueOf();
  if (value instanceof Long) return value.toNumber();
  if (!value || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  const keys = Object.keys(value);
  const record = value as Record<string, unknown>;
  if (keys.length === 1 && keys[0] === 'value') return asNumber(record.value);
  if (keys.length === 3 && 'low' in record && 'high' in record && 'unsigned' in record) {
    const low = asNumber(record.low);
    const high = asNumber(record.high);
    if (low !== undefined && high !== undefined) return Long.fromBits(low, high, Boolean(record.unsigned)).toNumber();
  }
  return undefined;
}
