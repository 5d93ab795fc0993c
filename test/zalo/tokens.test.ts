import { useTestDatabase } from '../helpers/database.js';
import { OaTokenManager } from '../../bot/zalo/oa/tokens.js';
import { ZaloOauthClient } from '../../bot/zalo/oa/oauth.js';
import { ZaloOaToken } from '../../models/zaloOaToken.js';
import { zaloOaHealth } from '../../bot/zalo/oa/status.js';
import { FakeZaloOa } from './helpers/fakeZaloOa.js';
import { memoryLogger } from './helpers/logger.js';

useTestDatabase({ seed: false });

const APP = { appId: 'app1', appSecret: 'app-secret' };

function manager(zalo: FakeZaloOa, log = memoryLogger(), extra: Partial<ConstructorParameters<typeof OaTokenManager>[0]> = {}) {
  return new OaTokenManager({
    appId: APP.appId,
    logger: log.logger,
    oauth: new ZaloOauthClient({ oauthRoot: zalo.url, appId: APP.appId, secretKey: APP.appSecret, timeoutMs: 2000 }),
    configured: { accessToken: 'access-0', refreshToken: 'refresh-0' },
    pollMs: 20,
    ...extra,
  });
}

describe('Zalo OA token management', () => {
  let zalo: FakeZaloOa;
  beforeEach(async () => {
    zalo = await new FakeZaloOa({ ...APP, accessToken: 'access-0', refreshToken: 'refresh-0', refreshDelayMs: 150 }).start();
  });
  afterEach(() => zalo.server.stop());

  it('takes the pair from the configuration on first start and keeps the stored one afterwards', async () => {
    const first = manager(zalo);
    await first.init();
    expect(await first.accessToken()).toBe('access-0');
    expect(await first.refresh('access-0')).toBe('access-1');
    // A restart with the same (now spent) configuration keeps the refreshed pair.
    const restarted = manager(zalo);
    await restarted.init();
    expect(await restarted.accessToken()).toBe('access-1');
    expect(await ZaloOaToken.countDocuments()).toBe(1);
  });

  it('adopts a new pair an admin puts in the configuration after re-authorizing', async () => {
    await manager(zalo).init();
    const reauthorized = manager(zalo, memoryLogger(), { configured: { accessToken: 'fresh-access', refreshToken: 'fresh-refresh' } });
    await reauthorized.init();
    expect(await reauthorized.accessToken()).toBe('fresh-access');
  });

  it('two processes refreshing at once spend the refresh token exactly once and both get the new token', async () => {
    const a = manager(zalo);
    const b = manager(zalo);
    await Promise.all([a.init(), b.init()]);
    const [ta, tb] = await Promise.all([a.refresh('access-0'), b.refresh('access-0')]);
    expect(ta).toBe('access-1');
    expect(tb).toBe('access-1');
    expect(zalo.refreshUses.get('refresh-0')).toBe(1);
    expect(zalo.refreshUses.size).toBe(1);
    const stored = await ZaloOaToken.findOne({ appId: 'app1' }).lean();
    expect(stored).toMatchObject({ accessToken: 'access-1', refreshToken: 'refresh-1', status: 'ok' });
    expect(stored?.lockUntil ?? undefined).toBeUndefined();
  });

  it('many callers in one process share one refresh', async () => {
    const m = manager(zalo);
    await m.init();
    const tokens = await Promise.all(Array.from({ length: 5 }, () => m.refresh('access-0')));
    expect(new Set(tokens)).toEqual(new Set(['access-1']));
    expect(zalo.refreshUses.get('refresh-0')).toBe(1);
  });

  it('refreshes ahead of expiry, and not before', async () => {
    const m = manager(zalo);
    await m.init();
    await ZaloOaToken.updateOne({ appId: 'app1' }, { $set: { accessExpiresAt: new Date(Date.now() + 10 * 3600_000) } });
    expect(await m.refreshIfDue()).toBe(false);
    await ZaloOaToken.updateOne({ appId: 'app1' }, { $set: { accessExpiresAt: new Date(Date.now() + 30 * 60_000) } });
    expect(await m.refreshIfDue()).toBe(true);
    expect(await m.accessToken()).toBe('access-1');
    const stored = await ZaloOaToken.findOne({ appId: 'app1' }).lean();
    expect(stored!.accessExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 24 * 3600_000);
  });

  it('a refused refresh is recorded for the admin panel, alerted in the log, and not retried at once', async () => {
    const log = memoryLogger();
    const m = manager(zalo, log);
    await m.init();
    zalo.currentRefresh = 'something-else'; // our refresh token was revoked
    expect(await m.refresh('access-0')).toBeNull();
    const status = await m.status();
    expect(status).toMatchObject({ status: 'refresh_failed', lastError: { code: '-14014' } });
    expect(log.lines().some((l) => l.alert === 'zalo_oa_token_refresh_failed')).toBe(true);
    expect(log.text()).not.toContain('refresh-0');
    const health = await zaloOaHealth();
    expect(health).toEqual([expect.objectContaining({ appId: 'app1', status: 'refresh_failed', lastError: expect.objectContaining({ code: '-14014' }) })]);
    expect(JSON.stringify(health)).not.toContain('access-0');
    // Expired token + cooldown: no second attempt with the dead refresh token.
    await ZaloOaToken.updateOne({ appId: 'app1' }, { $set: { accessExpiresAt: new Date(Date.now() - 1000) } });
    expect(await m.accessToken()).toBeNull();
    expect(zalo.refreshUses.get('refresh-0')).toBe(1);
  });

  it('survives the OAuth server being down: null token, status recorded, no crash', async () => {
    const m = manager(zalo);
    await m.init();
    await zalo.server.down();
    expect(await m.refresh('access-0')).toBeNull();
    expect(await m.status()).toMatchObject({ status: 'refresh_failed', lastError: { code: 'network' } });
  });

  it('a lock left by a crashed process expires and the next refresh goes ahead', async () => {
    const m = manager(zalo, memoryLogger(), { lockMs: 200 });
    await m.init();
    await ZaloOaToken.updateOne({ appId: 'app1' }, { $set: { lockOwner: 'dead', lockUntil: new Date(Date.now() + 200) } });
    expect(await m.refresh('access-0')).toBe('access-1');
  });
});
