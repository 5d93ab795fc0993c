import { Schema, model } from 'mongoose';

/**
 * One counter per cached kind of data (`settings`, `users`): every write of that data bumps it, and
 * each process compares it with the one it loaded its cache at. Reading all of them is one small
 * query, which is what lets every process keep settings and staff in memory and still see another
 * process's change within a second (the embedded database has no change streams).
 */
const cacheVersionSchema = new Schema({
  name: { type: String, required: true },
  version: { type: Number, required: true, default: 0 },
});
cacheVersionSchema.index({ name: 1 }, { unique: true });

export const CacheVersion = model('CacheVersion', cacheVersionSchema);

type Listener = (name: string, version: number) => void;
const listeners: Listener[] = [];

/** Called with every bump made by this process, so its own caches drop at once (not a second later). */
export function onCacheVersionBump(listener: Listener): void {
  listeners.push(listener);
}

export async function bumpCacheVersion(name: string): Promise<void> {
  const doc = await CacheVersion.collection.findOneAndUpdate({ name }, { $inc: { version: 1 } }, { upsert: true, returnDocument: 'after' });
  for (const listener of listeners) listener(name, Number(doc?.version ?? 0));
}

const QUERY_WRITES = ['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'findOneAndReplace', 'deleteOne', 'deleteMany', 'findOneAndDelete'] as const;

/**
 * Makes every mongoose write of a schema's documents bump the named cache version: the panel, the
 * chat (/link, /lang), the first-admin upsert, seeds and tests all reach the data through the model,
 * so none of them can leave a process serving a stale copy. Updates that touch only `ignored` fields
 * (the round-robin cursor, link-code hashes: nothing a cache holds) do not bump.
 */
export function bumpsCacheVersion(schema: Schema, name: string, ignored: string[] = [], only?: string[]): void {
  const skip = new Set([...ignored, 'updatedAt', 'createdAt']);
  // `only`: a cache that depends on a few fields (whether any opportunity is left undeleted) is
  // bumped by updates touching them, not by the many other updates of a busy collection.
  const watched = only ? new Set(only) : undefined;
  const touchesCached = (update: unknown): boolean => {
    if (!update || typeof update !== 'object') return true;
    const paths = Object.entries(update as Record<string, unknown>).flatMap(([key, value]) =>
      key.startsWith('$') && value && typeof value === 'object' ? Object.keys(value) : [key],
    );
    return paths.some((p) => (watched ? watched.has(p.split('.')[0]!) : !skip.has(p.split('.')[0]!)));
  };
  schema.post([...QUERY_WRITES], { document: false, query: true }, async function (this: { getUpdate?: () => unknown }) {
    const update = typeof this.getUpdate === 'function' ? this.getUpdate() : undefined;
    if (update === undefined || update === null || touchesCached(update)) await bumpCacheVersion(name);
  });
  schema.post('save', async () => bumpCacheVersion(name));
  schema.post('insertMany', async () => bumpCacheVersion(name));
  schema.post('bulkWrite', async () => bumpCacheVersion(name));
}
