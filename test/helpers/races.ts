/**
 * Replays, one step at a time, an interleaving that MongoDB allows between two upserts of the same
 * key, which an in-process test server would otherwise never produce: this upsert looks for its
 * document and finds none, the other process inserts it, then this upsert inserts its own copy.
 * MongoDB retries that insert only when the filter is pure equality on the unique index's fields;
 * otherwise the caller gets the duplicate-key error (E11000) from the database. Here the last step
 * is a real insert, so the error comes from the database under test, the same as on MongoDB.
 *
 * The next upsert through `collection.findOneAndUpdate` or `collection.updateOne` is replaced, once:
 * `competitor` runs between its look-up and its insert. Pass one `race` to several collection
 * objects of the same collection to replay only the first upsert among them.
 */
interface RawCollection {
  findOne(filter: object): Promise<unknown>;
  insertOne(doc: object): Promise<unknown>;
  findOneAndUpdate(...args: unknown[]): Promise<unknown>;
  updateOne(...args: unknown[]): Promise<unknown>;
}

export function loseNextUpsertRace(collection: unknown, competitor: () => Promise<unknown>, race: UpsertRace = { fired: false }): UpsertRace {
  const c = collection as RawCollection & Record<string, unknown>;
  const restore = () => {
    Reflect.deleteProperty(c, 'findOneAndUpdate');
    Reflect.deleteProperty(c, 'updateOne');
  };
  const replay =
    (method: 'findOneAndUpdate' | 'updateOne', original: (...args: unknown[]) => Promise<unknown>) =>
    async (filter: Record<string, unknown>, update: Record<string, Record<string, unknown>>, options: Record<string, unknown> = {}) => {
      if (!options.upsert || race.fired) return original.call(c, filter, update, options);
      race.fired = true;
      restore();
      race.lookedUpNothing = (await c.findOne(filter)) === null;
      await competitor();
      const doc = { ...insertedFromFilter(filter), ...(update.$set ?? {}), ...(update.$setOnInsert ?? {}) };
      const inserted = (await c.insertOne(doc)) as { insertedId: unknown };
      const stored = { _id: inserted.insertedId, ...doc };
      if (method === 'updateOne') return { acknowledged: true, matchedCount: 0, modifiedCount: 0, upsertedCount: 1, upsertedId: inserted.insertedId };
      return options.includeResultMetadata ? { value: stored, ok: 1, lastErrorObject: { n: 1, updatedExisting: false, upserted: inserted.insertedId } } : stored;
    };
  c.findOneAndUpdate = replay('findOneAndUpdate', Object.getPrototypeOf(c).findOneAndUpdate);
  c.updateOne = replay('updateOne', Object.getPrototypeOf(c).updateOne);
  return race;
}

export interface UpsertRace {
  fired: boolean;
  /** The replayed upsert's look-up found no document, as the race requires. */
  lookedUpNothing?: boolean;
}

/** The fields an upsert's insert takes from its filter: the plain equalities, dotted paths nested. */
function insertedFromFilter(filter: Record<string, unknown>): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(filter)) {
    if (path.startsWith('$')) continue;
    if (value !== null && typeof value === 'object' && !(value instanceof Date) && Object.keys(value).some((k) => k.startsWith('$'))) continue;
    const parts = path.split('.');
    let at = doc;
    for (const part of parts.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
    at[parts.at(-1)!] = value;
  }
  return doc;
}
