import { Counter } from '../../models/counter.js';

/**
 * The next customer code, KH000001 onwards. One atomic `$inc` on a counter document:
 * safe under concurrent creation, and a number is never handed out twice (gaps are fine).
 */
export async function nextCustomerCode(): Promise<string> {
  const counter = await Counter.findOneAndUpdate(
    { name: 'customer' },
    { $inc: { seq: 1 } },
    { upsert: true, returnDocument: 'after', lean: true },
  );
  return formatCustomerCode(counter!.seq);
}

/** Reserves `count` codes at once (imports, demo data): one round trip for the whole batch. */
export async function reserveCustomerCodes(count: number): Promise<string[]> {
  const counter = await Counter.findOneAndUpdate({ name: 'customer' }, { $inc: { seq: count } }, { upsert: true, returnDocument: 'after', lean: true });
  const last = counter!.seq;
  return Array.from({ length: count }, (_, i) => formatCustomerCode(last - count + 1 + i));
}

export function formatCustomerCode(seq: number): string {
  return `KH${String(seq).padStart(6, '0')}`;
}
