import { Counter } from '../../models/counter.js';

/**
 * Reserves `count` codes of a named sequence in one `$inc` (TC… organizations, CH… opportunities):
 * the same counters the services draw single codes from, so demo codes and later ones never collide.
 */
export async function reserveCodes(counter: string, prefix: string, count: number): Promise<string[]> {
  if (count === 0) return [];
  const doc = await Counter.findOneAndUpdate({ name: counter }, { $inc: { seq: count } }, { upsert: true, returnDocument: 'after', lean: true });
  const first = doc!.seq - count + 1;
  return Array.from({ length: count }, (_, i) => `${prefix}${String(first + i).padStart(6, '0')}`);
}
