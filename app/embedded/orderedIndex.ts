import { ObjectId } from 'bson';
import type { Doc } from './internals.js';

/**
 * One declared index kept as a sorted list, for what a map from key to documents cannot answer:
 * ranges (`$gt/$gte/$lt/$lte`), an equality prefix followed by a range, and sorts walked in index
 * order that stop after `skip + limit` matches.
 *
 * Entries are ordered by the index's fields (each in its declared direction), then by position in
 * the collection. A field's value is read the way CongoDB's sort reads it (a plain dotted path).
 * Only scalars are kept in order: undefined < null < numbers < strings < ObjectIds < booleans <
 * dates, each class in its natural order (strings by code unit, as mingo's `$lt` compares them).
 * A document holding anything else under an index field (an array, a subdocument, NaN) is kept
 * aside, and while any document is aside the index answers nothing: it could not name a superset.
 */
export type Scalar = undefined | null | number | string | ObjectId | boolean | Date;

const RANK = { undefined: 0, null: 1, number: 2, string: 3, objectid: 4, boolean: 5, date: 6 } as const;
type Rank = (typeof RANK)[keyof typeof RANK];

/** The rank of a value the index can order, or undefined for one it cannot. */
export function rankOf(value: unknown): Rank | undefined {
  if (value === undefined) return RANK.undefined;
  if (value === null) return RANK.null;
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : RANK.number;
  if (typeof value === 'string') return RANK.string;
  if (typeof value === 'boolean') return RANK.boolean;
  if (value instanceof ObjectId) return RANK.objectid;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : RANK.date;
  return undefined;
}

/** Total order over the scalars the index keeps; 0 only for values of one class that are equal. */
export function compareScalars(a: Scalar, b: Scalar): number {
  const ra = rankOf(a)!;
  const rb = rankOf(b)!;
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case RANK.number:
      return (a as number) - (b as number);
    case RANK.date:
      return (a as Date).getTime() - (b as Date).getTime();
    case RANK.boolean:
      return Number(a) - Number(b);
    case RANK.string:
      return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
    case RANK.objectid:
      // Byte order is the order of the hex text CongoDB and mingo compare, without making the text.
      return Buffer.compare((a as ObjectId).id, (b as ObjectId).id);
    default:
      return 0;
  }
}

/** An end of an interval over one field: a value, or (no `value`) the start or end of a whole rank. */
export interface Bound {
  rank: number;
  value?: Scalar;
  inclusive: boolean;
}

/** The values a field must lie between, in ascending value order. */
export interface Interval {
  low: Bound;
  high: Bound;
}

export function pointInterval(value: Scalar): Interval {
  const bound = { rank: rankOf(value)!, value, inclusive: true };
  return { low: bound, high: bound };
}

/** Missing and null, which `{field: null}` matches alike. */
export const NIL_INTERVAL: Interval = { low: { rank: RANK.undefined, inclusive: true }, high: { rank: RANK.null, inclusive: true } };

/** Every value but missing and null: what `{$ne: null}` leaves. */
export const NOT_NIL_INTERVAL: Interval = { low: { rank: RANK.number, inclusive: true }, high: { rank: RANK.date, inclusive: true } };

function toBound(value: Scalar, bound: Bound): number {
  const rank = rankOf(value)!;
  if (rank !== bound.rank) return rank - bound.rank;
  return 'value' in bound ? compareScalars(value, bound.value) : 0;
}

/** -1 below the interval, 0 inside, 1 above (in ascending value order). */
function side(value: Scalar, interval: Interval): number {
  const low = toBound(value, interval.low);
  if (low < 0 || (low === 0 && 'value' in interval.low && !interval.low.inclusive)) return -1;
  const high = toBound(value, interval.high);
  if (high > 0 || (high === 0 && 'value' in interval.high && !interval.high.inclusive)) return 1;
  return 0;
}

interface Entry {
  id: string;
  at: number;
  values: Scalar[];
}

/** A stretch of the index: entries [from, to) in index order. */
export interface Slice {
  from: number;
  to: number;
}

export class OrderedIndex {
  readonly paths: string[][];
  private entries: Entry[] = [];
  /** `_id` hex of the documents holding a value the index cannot order */
  private readonly aside = new Set<string>();
  /** per field, how many documents hold a value of each rank (a sort needs one class per field) */
  private readonly ranks: Map<number, number>[];

  constructor(
    readonly fields: string[],
    readonly directions: (1 | -1)[],
  ) {
    this.paths = fields.map((f) => f.split('.'));
    this.ranks = fields.map(() => new Map());
  }

  /** Fills the index from the documents, `positionOf` giving each one's place in the collection. */
  build(docs: Iterable<[string, Doc]>, positionOf: (id: string) => number): void {
    for (const [id, doc] of docs) {
      const entry = this.entryOf(id, doc, positionOf(id));
      if (entry) this.entries.push(entry);
    }
    this.entries.sort((a, b) => this.compare(a, b));
  }

  get usable(): boolean {
    return this.aside.size === 0;
  }

  get size(): number {
    return this.entries.length;
  }

  add(id: string, doc: Doc, at: number): void {
    const entry = this.entryOf(id, doc, at);
    if (entry) this.entries.splice(this.lowerBound((e) => this.compare(e, entry) >= 0), 0, entry);
  }

  remove(id: string, doc: Doc, at: number): void {
    if (this.aside.delete(id)) return;
    const values = this.valuesOf(doc);
    if (!values) return;
    const probe = { id, at, values };
    const found = this.lowerBound((e) => this.compare(e, probe) >= 0);
    if (this.entries[found]?.id !== id) return;
    this.entries.splice(found, 1);
    values.forEach((v, i) => this.count(i, v, -1));
  }

  /**
   * The entries whose first fields lie in `intervals` (one per leading field; all but the last
   * must be single values for the stretch to be contiguous).
   */
  slice(intervals: Interval[]): Slice {
    const where = (e: Entry) => {
      for (let i = 0; i < intervals.length; i++) {
        const s = side(e.values[i], intervals[i]!);
        if (s !== 0) return s * this.directions[i]!;
      }
      return 0;
    };
    return { from: this.lowerBound((e) => where(e) >= 0), to: this.lowerBound((e) => where(e) > 0) };
  }

  /** `_id` hex of the entries of `slice`, in index order, or reversed. */
  *walk(slice: Slice, reversed: boolean): Generator<{ id: string; values: Scalar[] }> {
    if (reversed) for (let i = slice.to - 1; i >= slice.from; i--) yield this.entries[i]!;
    else for (let i = slice.from; i < slice.to; i++) yield this.entries[i]!;
  }

  /** True when every document holds at most one class of values (besides missing and null) under `field`. */
  oneClass(field: number): boolean {
    let classes = 0;
    for (const [rank, n] of this.ranks[field]!) if (n > 0 && rank > RANK.null) classes++;
    return classes <= 1;
  }

  /** The field holds strings, which CongoDB sorts by locale (not the code-unit order kept here). */
  holdsStrings(field: number): boolean {
    return (this.ranks[field]!.get(RANK.string) ?? 0) > 0;
  }

  private entryOf(id: string, doc: Doc, at: number): Entry | undefined {
    const values = this.valuesOf(doc);
    if (!values) {
      this.aside.add(id);
      return undefined;
    }
    values.forEach((v, i) => this.count(i, v, 1));
    return { id, at, values };
  }

  private count(field: number, value: Scalar, by: number): void {
    const rank = rankOf(value)!;
    const counts = this.ranks[field]!;
    counts.set(rank, (counts.get(rank) ?? 0) + by);
  }

  private valuesOf(doc: Doc): Scalar[] | undefined {
    const values: Scalar[] = [];
    for (const path of this.paths) {
      const value = valueAt(doc, path);
      if (rankOf(value) === undefined) return undefined;
      values.push(value as Scalar);
    }
    return values;
  }

  private compare(a: Entry, b: Entry): number {
    for (let i = 0; i < this.fields.length; i++) {
      const c = compareScalars(a.values[i], b.values[i]);
      if (c !== 0) return c * this.directions[i]!;
    }
    return a.at - b.at;
  }

  /** The first entry for which `atOrAfter` holds (it must hold for a suffix of the entries). */
  private lowerBound(atOrAfter: (e: Entry) => boolean): number {
    let [lo, hi] = [0, this.entries.length];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (atOrAfter(this.entries[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

const UNORDERED = Symbol('unordered');

/**
 * The value at a dotted path as CongoDB's sort reads it, or a marker no rank accepts when the
 * path meets an array or steps into a scalar: there the sort and the matcher read different things.
 */
function valueAt(doc: unknown, path: string[]): unknown {
  let current = doc;
  for (const part of path) {
    if (current === null || current === undefined) return undefined;
    if (typeof current !== 'object' || Array.isArray(current) || current instanceof Date || current instanceof ObjectId) return UNORDERED;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
