import { useTestDatabase } from '../helpers/database.js';
import { fakeWorker } from './harness.js';
import { HOUR, ManualClock } from '../../jobs/clock.js';
import { JOBS } from '../../jobs/registry.js';
import { retentionCleanup } from '../../jobs/retention.js';
import { ProcessedUpdate } from '../../models/processedUpdate.js';
import { WebMessage } from '../../models/webMessage.js';

/**
 * Processed update ids and web chat bubbles are kept only as long as they serve (2 days, 30 days):
 * the retention job deletes older ones, on the embedded database (which ignores TTL indexes) as
 * on MongoDB, so a bot under steady traffic stops growing.
 */
useTestDatabase({ seed: false });

const DAY = 24 * HOUR;

describe('retention cleanup job', () => {
  it('is scheduled with the other jobs', () => {
    expect(JOBS).toContain(retentionCleanup);
  });

  it('deletes processed updates older than 2 days and web chat bubbles older than 30, keeping the rest', async () => {
    const clock = new ManualClock('2026-12-02T08:00:00+07:00');
    const ago = (ms: number) => new Date(clock.now().getTime() - ms);
    await ProcessedUpdate.insertMany([
      { channel: 'telegram', updateId: 'old', at: ago(2 * DAY + HOUR) },
      { channel: 'telegram', updateId: 'yesterday', at: ago(DAY) },
      { channel: 'web', updateId: 'just now', at: ago(0) },
    ]);
    await WebMessage.insertMany([
      { chatId: 'v-1', seq: 1, from: 'visitor', text: 'Chào shop, còn hàng không ạ?', createdAt: ago(31 * DAY) },
      { chatId: 'v-1', seq: 2, from: 'chot', text: 'Dạ còn ạ', createdAt: ago(29 * DAY) },
    ]);

    await retentionCleanup.run(fakeWorker(clock), async () => undefined);
    expect((await ProcessedUpdate.find().lean()).map((u) => u.updateId).sort()).toEqual(['just now', 'yesterday']);
    expect((await WebMessage.find().lean()).map((m) => m.seq)).toEqual([2]);

    // Two days later the rest has aged out too.
    clock.advance(2 * DAY + HOUR);
    await retentionCleanup.run(fakeWorker(clock), async () => undefined);
    expect(await ProcessedUpdate.countDocuments()).toBe(0);
    expect(await WebMessage.countDocuments()).toBe(0);
  });
});
