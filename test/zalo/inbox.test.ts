import { useTestDatabase } from '../helpers/database.js';
import { InboxProcessor, storeInboxEvent, type InboxEvent } from '../../bot/zalo/shared/inbox.js';
import { zaloOaFeature } from '../../bot/zalo/oa/feature.js';
import { ZaloInbox } from '../../models/zaloInbox.js';
import { Customer } from '../../models/customer.js';
import { FakeZaloOa } from './helpers/fakeZaloOa.js';
import { memoryLogger } from './helpers/logger.js';
import { startTestApp, waitFor } from './helpers/app.js';

useTestDatabase();

describe('Zalo inbox: accepted events are never lost and run once', () => {
  it('stores an event once per key, even when two deliveries race', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => storeInboxEvent('zalo_oa', 'msg:1', 'user_send_text', { a: 1 })));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await ZaloInbox.countDocuments()).toBe(1);
  });

  it('two processors side by side handle each event exactly once', async () => {
    for (let i = 0; i < 12; i++) await storeInboxEvent('zalo_bot', `msg:${i}`, 'message', { i }, new Date(Date.now() + i));
    const seen: number[] = [];
    const handle = async (e: InboxEvent) => {
      seen.push((e.payload as { i: number }).i);
    };
    const log = memoryLogger();
    const a = new InboxProcessor({ channel: 'zalo_bot', logger: log.logger, handle });
    const b = new InboxProcessor({ channel: 'zalo_bot', logger: log.logger, handle });
    await Promise.all([a.drain(), b.drain()]);
    expect(seen.sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(await ZaloInbox.countDocuments({ status: 'done' })).toBe(12);
  });

  it('takes over an event whose processor died mid-way (claim expired)', async () => {
    await storeInboxEvent('zalo_oa', 'msg:stuck', 'user_send_text', {});
    await ZaloInbox.updateOne({ key: 'msg:stuck' }, { $set: { status: 'processing', claimedUntil: new Date(Date.now() - 1000), attempts: 1 } });
    const handled: string[] = [];
    await new InboxProcessor({ channel: 'zalo_oa', logger: memoryLogger().logger, handle: async (e) => void handled.push(e.key) }).drain();
    expect(handled).toEqual(['msg:stuck']);
  });

  it('retries a failing event later and gives up after the last attempt, keeping the error', async () => {
    await storeInboxEvent('zalo_oa', 'msg:bad', 'user_send_text', {});
    const p = new InboxProcessor({ channel: 'zalo_oa', logger: memoryLogger().logger, maxAttempts: 2, handle: async () => Promise.reject(new Error('boom')) });
    await p.drain();
    expect(await ZaloInbox.findOne({ key: 'msg:bad' }).lean()).toMatchObject({ status: 'pending', attempts: 1, lastError: 'boom' });
    await p.drain(); // not yet due: the back-off holds it
    expect((await ZaloInbox.findOne({ key: 'msg:bad' }).lean())?.attempts).toBe(1);
    await ZaloInbox.updateOne({ key: 'msg:bad' }, { $set: { notBefore: new Date(Date.now() - 1) } });
    await p.drain();
    expect(await ZaloInbox.findOne({ key: 'msg:bad' }).lean()).toMatchObject({ status: 'failed', attempts: 2 });
  });

  it('prunes processed events after the keep period, but keeps pending and failed ones', async () => {
    const old = new Date(Date.now() - 20 * 24 * 3600_000);
    await storeInboxEvent('zalo_oa', 'msg:old-done', 'user_send_text', {});
    await storeInboxEvent('zalo_oa', 'msg:old-failed', 'user_send_text', {});
    await storeInboxEvent('zalo_oa', 'msg:new-done', 'user_send_text', {});
    await ZaloInbox.updateOne({ key: 'msg:old-done' }, { $set: { status: 'done', processedAt: old } });
    await ZaloInbox.updateOne({ key: 'msg:old-failed' }, { $set: { status: 'failed', processedAt: old } });
    await ZaloInbox.updateOne({ key: 'msg:new-done' }, { $set: { status: 'done', processedAt: new Date() } });
    const p = new InboxProcessor({ channel: 'zalo_oa', logger: memoryLogger().logger, handle: async () => {} });
    expect(await p.prune()).toBe(1);
    expect((await ZaloInbox.find().lean()).map((d) => d.key).sort()).toEqual(['msg:new-done', 'msg:old-failed']);
  });

  it('processes at start-up what an earlier run accepted but never processed', async () => {
    const zalo = await new FakeZaloOa({ appId: 'app1', appSecret: 's', accessToken: 'access-0', refreshToken: 'refresh-0' }).start();
    await storeInboxEvent('zalo_oa', 'user_submit_info:left-1:1', 'user_submit_info', {
      app_id: 'app1',
      event_name: 'user_submit_info',
      timestamp: '1',
      sender: { id: 'left-1' },
      info: { name: 'Khách Còn Sót', phone: '0977000111' },
    });
    const app = await startTestApp(
      { ZALO_OA_APP_ID: 'app1', ZALO_OA_SECRET_KEY: 's', ZALO_OA_ACCESS_TOKEN: 'access-0', ZALO_OA_REFRESH_TOKEN: 'refresh-0', ZALO_OA_API_ROOT: zalo.url, ZALO_OAUTH_ROOT: zalo.url },
      [zaloOaFeature],
    );
    try {
      await waitFor(async () => (await ZaloInbox.countDocuments({ status: 'done' })) === 1);
      expect(await Customer.findOne({ 'chatIds.zalo_oa': 'left-1' }).lean()).toMatchObject({ name: 'Khách Còn Sót' });
    } finally {
      await app.stop();
      await zalo.server.stop();
    }
  });
});
