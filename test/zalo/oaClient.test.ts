import { ZaloOaClient } from '../../bot/zalo/oa/client.js';
import { ZaloOauthClient } from '../../bot/zalo/oa/oauth.js';
import { classifyOaError } from '../../bot/zalo/oa/errors.js';
import { ZaloNetworkError } from '../../bot/zalo/shared/http.js';
import { FakeZaloOa } from './helpers/fakeZaloOa.js';

describe('Zalo OA clients against a fake Zalo', () => {
  let zalo: FakeZaloOa;
  beforeEach(async () => {
    zalo = await new FakeZaloOa({ appId: 'app1', appSecret: 'app-secret', accessToken: 'access-0', refreshToken: 'refresh-0' }).start();
  });
  afterEach(() => zalo.server.stop());

  it('sends a customer-service text with the access_token header and reads the message id', async () => {
    const client = new ZaloOaClient({ apiRoot: zalo.url });
    const answer = await client.sendCsText('access-0', 'user-1', 'Xin chào anh');
    expect(answer).toEqual({ ok: true, data: { message_id: 'm1', user_id: 'user-1' } });
    expect(zalo.sent).toEqual([{ userId: 'user-1', text: 'Xin chào anh', token: 'access-0' }]);
  });

  it('returns Zalo error code and reason: -216 for a dead token, the refusal for an unreachable user', async () => {
    const client = new ZaloOaClient({ apiRoot: zalo.url });
    expect(await client.sendCsText('wrong', 'user-1', 'hi')).toEqual({ ok: false, code: -216, message: 'Access token is invalid' });
    zalo.refusals.set('user-2', { error: -230, message: 'User has not interacted with the OA in the last 7 days' });
    expect(await client.sendCsText('access-0', 'user-2', 'hi')).toMatchObject({ ok: false, code: -230 });
  });

  it('classifies refusals: out of window is quota, not a follower is blocked, both with the code in the detail', () => {
    expect(classifyOaError(-230, 'outside window')).toEqual({ ok: false, reason: 'quota', detail: 'Zalo OA error -230: outside window' });
    expect(classifyOaError(-213, 'User has not followed OA')).toMatchObject({ reason: 'blocked', detail: expect.stringContaining('-213') });
    expect(classifyOaError(-999, 'odd')).toMatchObject({ reason: 'error', detail: expect.stringContaining('-999') });
  });

  it('refreshes with secret_key header and form, and the refresh token works once only', async () => {
    const oauth = new ZaloOauthClient({ oauthRoot: zalo.url, appId: 'app1', secretKey: 'app-secret' });
    const first = await oauth.refresh('refresh-0');
    expect(first).toEqual({ ok: true, pair: { accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 90000 } });
    expect(await oauth.refresh('refresh-0')).toMatchObject({ ok: false, code: '-14014' });
    const wrongSecret = new ZaloOauthClient({ oauthRoot: zalo.url, appId: 'app1', secretKey: 'nope' });
    expect(await wrongSecret.refresh('refresh-1')).toMatchObject({ ok: false, code: '-14002' });
  });

  it('reports an unreachable server as a network error, not as a refusal', async () => {
    await zalo.server.down();
    const client = new ZaloOaClient({ apiRoot: zalo.url, timeoutMs: 2000 });
    await expect(client.sendCsText('access-0', 'user-1', 'hi')).rejects.toBeInstanceOf(ZaloNetworkError);
  });
});
