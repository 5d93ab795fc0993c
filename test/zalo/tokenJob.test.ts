import { useTestDatabase } from '../helpers/database.js';
import { zaloOaTokenRefresh } from '../../jobs/zaloOaTokenRefresh.js';
import { JOBS } from '../../jobs/registry.js';
import { ManualClock } from '../../jobs/clock.js';
import { zaloOaFeature } from '../../bot/zalo/oa/feature.js';
import { activeOaTokens } from '../../bot/zalo/oa/activeTokens.js';
import { ZaloOaToken } from '../../models/zaloOaToken.js';
import { FakeZaloOa } from './helpers/fakeZaloOa.js';
import { startTestApp } from './helpers/app.js';

useTestDatabase();

describe('the Zalo OA token refresh job', () => {
  it('is scheduled, refreshes only when the token expires within two hours, and does nothing without Zalo OA', async () => {
    expect(JOBS).toContain(zaloOaTokenRefresh);
    const zalo = await new FakeZaloOa({ appId: 'app1', appSecret: 's', accessToken: 'access-0', refreshToken: 'refresh-0' }).start();
    const app = await startTestApp(
      { ZALO_OA_APP_ID: 'app1', ZALO_OA_SECRET_KEY: 's', ZALO_OA_ACCESS_TOKEN: 'access-0', ZALO_OA_REFRESH_TOKEN: 'refresh-0', ZALO_OA_API_ROOT: zalo.url, ZALO_OAUTH_ROOT: zalo.url },
      [zaloOaFeature],
    );
    const deps = { clock: new ManualClock(new Date()), notifier: app.ctx.notifier, logger: app.ctx.logger, signal: new AbortController().signal };
    try {
      await ZaloOaToken.updateOne({ appId: 'app1' }, { $set: { accessExpiresAt: new Date(Date.now() + 5 * 3600_000) } });
      await zaloOaTokenRefresh.run(deps, async () => {});
      expect(zalo.refreshUses.size).toBe(0);
      deps.clock = new ManualClock(new Date(Date.now() + 4 * 3600_000));
      await zaloOaTokenRefresh.run(deps, async () => {});
      expect(zalo.refreshUses.get('refresh-0')).toBe(1);
      expect((await ZaloOaToken.findOne().lean())?.accessToken).toBe('access-1');
    } finally {
      await app.stop();
      await zalo.server.stop();
    }
    expect(activeOaTokens()).toBeUndefined();
    await expect(zaloOaTokenRefresh.run(deps, async () => {})).resolves.toBeUndefined();
  });
});
