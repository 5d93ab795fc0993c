import { Counter } from '../../models/counter.js';

/** The next opportunity code, CH000001 onwards: its own counter, apart from customers' KH codes. */
export async function nextOpportunityCode(): Promise<string> {
  const counter = await Counter.findOneAndUpdate({ name: 'opportunity' }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after', lean: true });
  return `CH${String(counter!.seq).padStart(6, '0')}`;
}
