import { useTestDatabase } from '../helpers/database.js';
import { fakeWorker } from './harness.js';
import { HOUR, ManualClock } from '../../jobs/clock.js';
import { JOBS } from '../../jobs/registry.js';
import { retentionCleanup } from '../../jobs/retention.js';
import { claimSession, releaseSession } from '../../bot/core/session.js';
import { ChatSession } from '../../models/chatSession.js';
import { WebMessage } from '../../models/webMessage.js';

/**
 * Web chat bubbles are kept only as long as they serve (30 days): the retention job deletes older
 * ones, on the embedded database (which ignores TTL indexes) as on MongoDB; processed update ids
 * live on the chat session, which keeps only the latest ones. So a bot under steady traffic stops
 * growing.
 */
useTestDatabase({ seed: false });

const DAY = 24 * HOUR;

describe('retention cleanup job', () => {
  it('is scheduled with the other jobs', () => {
    expect(JOBS).toContain(retentionCleanup);
  });

  it('deletes web chat bubbles older than 30 days, keeping the rest', async () => {
    const clock = new ManualClock('2026-12-02T08:00:00+07:00');
    const ago = (ms: number) => new Date(clock.now().getTime() - ms);
    await WebMessage.insertMany([
      { chatId: 'v-1', seq: 1, from: 'visitor', text: 'Chào shop, còn hàng không ạ?', createdAt: ago(31 * DAY) },
      { chatId: 'v-1', seq: 2, from: 'chot', text: 'Dạ còn ạ', createdAt: ago(29 * DAY) },
    ]);

    await retentionCleanup.run(fakeWorker(clock), async () => undefined);
    expect((await WebMessage.find().lean()).map((m) => m.seq)).toEqual([2]);

    // Two days later the rest has aged out too.
    clock.advance(2 * DAY + HOUR);
    await retentionCleanup.run(fakeWorker(clock), async () => undefined);
    expect(await WebMessage.countDocuments()).toBe(0);
  });

  it('keeps a bounded number of processed update ids per chat, however many updates it gets', async () => {
    for (let id = 1; id <= 80; id += 1) {
      const { session, duplicate } = await claimSession('telegram', '7001', String(id));
      expect(duplicate).toBe(false);
      await releaseSession(session, []);
    }
    const stored = await ChatSession.findOne({ channel: 'telegram', chatId: '7001' }).lean();
    expect(stored?.seenUpdates).toHaveLength(50);
    expect(stored?.seenUpdates?.at(-1)).toBe('80');
    // The recent ones are still recognised as redeliveries.
    expect((await claimSession('telegram', '7001', '80')).duplicate).toBe(true);
  });
});
