import { Counter } from '../../models/counter.js';

/**
 * The next organization code, TC000001 onwards: a counter of its own (`organization`), so
 * organizations and customers (KH…) never share or consume each other's numbers.
 */
export async function nextOrganizationCode(): Promise<string> {
  const counter = await Counter.findOneAndUpdate({ name: 'organization' }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after', lean: true });
  return `TC${String(counter!.seq).padStart(6, '0')}`;
}
