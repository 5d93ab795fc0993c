import { Counter } from '../../models/counter.js';

/** The next quote code, BG000001 onwards: its own counter, one atomic `$inc`. */
export async function nextQuoteCode(): Promise<string> {
  const counter = await Counter.findOneAndUpdate({ name: 'quote' }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after', lean: true });
  return `BG${String(counter!.seq).padStart(6, '0')}`;
}
