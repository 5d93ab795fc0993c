import { jest } from '@jest/globals';
import { e164, phoneOf, Staff, useProduct } from './product.js';

/**
 * chot killed outright (SIGKILL) a random moment after an admin confirmed a 2,000-row CSV import,
 * then started again on the same data. The import is visibly resumable: afterwards either all of
 * it is there, or nothing, or the preview of the same file says the import is unfinished; the
 * admin commits the file again and every row exists exactly once, the run done.
 */
jest.setTimeout(240_000);

const ROWS = 2000;
const IMPORT = '/resources/Customer/actions/importCsv';

const products = useProduct();

const fileOf = (round: number) => {
  const phones = Array.from({ length: ROWS }, (_, i) => phoneOf(round * ROWS + i, '0915'));
  return { phones: phones.map(e164), csv: ['Họ tên,Số điện thoại', ...phones.map((p, i) => `Khách lô ${round}-${i},${p}`)].join('\n') };
};

/** Waits until some of these phones are stored (or 10 s went by). */
async function firstBatchStored(phones: string[]): Promise<void> {
  const customers = (await products.current.db()).collection('customers');
  for (const until = Date.now() + 10_000; Date.now() < until; ) {
    if (await customers.findOne({ phones: { $in: phones } })) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('chot killed during a CSV import commit', () => {
  it('finishes the import when the same file is committed again, every row once', async () => {
    for (const round of [0, 1]) {
      const { csv, phones } = fileOf(round);
      await products.current.start();
      const first = new Staff(products.current.base);
      expect(await first.login()).toBe(302);
      expect((await first.api('POST', IMPORT, { step: 'preview', csv })).data.preview.counts).toEqual({ create: ROWS, merge: 0, refuse: 0 });

      const killAfterMs = 20 + Math.floor(Math.random() * 280);
      const commit = first.api('POST', IMPORT, { step: 'commit', csv }).catch(() => undefined);
      if (round === 1) {
        // The second time, the moment is counted from the first written batch (the planning before
        // it takes a few hundred ms here), so at least one round is killed in the middle of writing.
        await firstBatchStored(phones);
      }
      await new Promise((r) => setTimeout(r, round === 1 ? killAfterMs / 10 : killAfterMs));
      await products.current.kill();
      const answered = (await commit)?.data?.result;

      await products.current.start();
      const db = await products.current.db();
      const stored = () => db.collection('customers').countDocuments({ phones: { $in: phones } });
      const running = await db.collection('importruns').findOne({ status: 'running' });
      const before = await stored();
      // A new process listens on a new port.
      const admin = new Staff(products.current.base);
      expect(await admin.login()).toBe(302);
      const preview = (await admin.api('POST', IMPORT, { step: 'preview', csv })).data.preview;
      const seen = { round, killAfterMs, answered: Boolean(answered), before, unfinished: preview.unfinished };
      if (answered || (!running && before === ROWS)) {
        // The commit finished before the kill: all of it, run done.
        expect(seen).toMatchObject({ before: ROWS, unfinished: undefined });
      } else if (!running) {
        // Killed before the run began: nothing written.
        expect(seen).toMatchObject({ before: 0, unfinished: undefined });
      } else {
        // Killed mid-run: the preview says so, with what the run has written so far.
        expect(seen).toMatchObject({ unfinished: { created: before, total: ROWS } });
        expect(typeof preview.unfinished.startedAt).toBe('string');
      }

      const again = (await admin.api('POST', IMPORT, { step: 'commit', csv })).data.result;
      if (running) expect({ round, again }).toEqual({ round, again: { created: ROWS, merged: 0, refused: 0, resumed: true } });
      else expect(again.created + again.merged).toBe(ROWS);

      expect(await stored()).toBe(ROWS);
      const perPhone = await db.collection('customers').aggregate([{ $match: { phones: { $in: phones } } }, { $unwind: '$phones' }, { $group: { _id: '$phones', n: { $sum: 1 } } }, { $match: { n: { $gt: 1 } } }]).toArray();
      expect(perPhone).toEqual([]);
      expect(await db.collection('importruns').countDocuments({ status: 'running' })).toBe(0);
      const codes = await db.collection('customers').distinct('code');
      expect(codes).toHaveLength(await db.collection('customers').countDocuments());
      await products.current.stop();
    }
  });
});
