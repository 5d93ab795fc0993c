import { jest } from '@jest/globals';
import { e164, phoneOf, type LeadOutcome, useProduct, webLead } from './product.js';

/**
 * chot killed outright (SIGKILL: no shutdown code runs) in the middle of a burst of web-chat
 * leads, at a random moment, then started again on the same data. A lead whose intake got its
 * final answer ("Cảm ơn … đã nhận thông tin") was promised to the prospect: it must exist
 * afterwards, once. Customer codes stay unique and go on after the highest one.
 */
jest.setTimeout(240_000);

const products = useProduct();

/** Runs `total` leads, `concurrency` at a time, and kills chot once `killAfter` of them are confirmed. */
async function burstUntilKilled(first: number, total: number, killAfter: number, concurrency = 8): Promise<LeadOutcome[]> {
  const outcomes: LeadOutcome[] = [];
  let next = first;
  let confirmed = 0;
  let killing: Promise<void> | undefined;
  const worker = async () => {
    while (next < first + total && !killing) {
      const i = next++;
      const outcome = await webLead(products.current.base, `Khách dồn dập ${i}`, phoneOf(i, '0913'), `10.3.${Math.floor(i / 250)}.${i % 250}`).catch(() => ({ phone: phoneOf(i, '0913'), confirmed: false }));
      outcomes.push(outcome);
      if (outcome.confirmed && ++confirmed === killAfter) killing = products.current.kill();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await killing;
  return outcomes;
}

describe('chot killed during a burst of leads', () => {
  it('still has every lead it confirmed, with unique codes that go on', async () => {
    const confirmedPhones: string[] = [];
    for (const [round, first] of [0, 1000].entries()) {
      await products.current.start();
      // Somewhere in the middle of the burst, different each run.
      const killAfter = 20 + Math.floor(Math.random() * 120);
      const outcomes = await burstUntilKilled(first, 200, killAfter);
      expect(products.current.app.exitSignal).toBe('SIGKILL');
      const confirmed = outcomes.filter((o) => o.confirmed);
      expect(confirmed.length).toBeGreaterThanOrEqual(killAfter);
      confirmedPhones.push(...confirmed.map((o) => e164(o.phone)));

      await products.current.start();
      const customers = (await products.current.db()).collection('customers');
      const stored = await customers.find({ phones: { $in: confirmedPhones } }).toArray();
      const missing = confirmedPhones.filter((p) => !stored.some((c) => c.phones.includes(p)));
      expect({ round, killAfter, missing }).toEqual({ round, killAfter, missing: [] });
      expect(stored).toHaveLength(confirmedPhones.length);

      const codes = (await customers.find({}).project({ code: 1 }).toArray()).map((c) => String(c.code));
      expect(new Set(codes).size).toBe(codes.length);
      const highest = codes.sort().at(-1)!;
      const after = await webLead(products.current.base, `Khách sau sự cố ${round}`, phoneOf(900 + round, '0914'), `10.4.0.${round}`);
      expect(after.confirmed).toBe(true);
      const fresh = await customers.findOne({ phones: e164(phoneOf(900 + round, '0914')) });
      expect(fresh!.code > highest).toBe(true);
      await products.current.stop();
    }
  });
});
