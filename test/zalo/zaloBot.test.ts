import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { zaloBotFeature } from '../../bot/zalo/bot/feature.js';
import { issueLinkCode } from '../../crm/users/users.js';
import { SYSTEM } from '../../crm/users/actor.js';
import { User } from '../../models/user.js';
import { ZaloInbox } from '../../models/zaloInbox.js';
import { FakeZaloBot } from './helpers/fakeZaloBot.js';
import { FakeZaloOa } from './helpers/fakeZaloOa.js';
import { OaWebhookSender } from './helpers/oaWebhookClient.js';
import { botText, postBotUpdate } from './helpers/botUpdates.js';
import { FAKE_OA_APP, startBothZaloChannels, startTestApp, waitFor, type TestApp } from './helpers/app.js';

useTestDatabase();

const TOKEN = '1459232241454765289:bot-token-XYZ';
const SECRET = 'zalo-bot-secret-123';

describe('Zalo Bot channel against a fake Bot Platform', () => {
  let platform: FakeZaloBot;
  let app: TestApp | undefined;
  beforeEach(async () => {
    platform = await new FakeZaloBot(TOKEN).start();
  });
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await platform.server.stop();
  });
  const textsTo = (chatId: string) => platform.sent.filter((s) => s.chatId === chatId).map((s) => s.text);

  describe('with a public URL: webhook', () => {
    beforeEach(async () => {
      app = await startTestApp({ ZALO_BOT_TOKEN: TOKEN, ZALO_BOT_API_ROOT: platform.url, ZALO_BOT_WEBHOOK_SECRET: SECRET, PUBLIC_URL: 'https://chot.example.vn' }, [zaloBotFeature]);
      await waitFor(() => platform.webhook.url !== '');
    });

    it('registers PUBLIC_URL/webhooks/zalo-bot with the secret at start-up', () => {
      expect(platform.webhook).toEqual({ url: 'https://chot.example.vn/webhooks/zalo-bot', secret: SECRET });
    });

    it('refuses a missing or wrong secret token with 401 and stores nothing', async () => {
      expect((await postBotUpdate(app!.url, botText('z1', 'hi'))).status).toBe(401);
      expect((await postBotUpdate(app!.url, botText('z1', 'hi'), 'wrong-secret')).status).toBe(401);
      expect(await ZaloInbox.countDocuments()).toBe(0);
    });

    it('answers a prospect through sendMessage, with choices as numbered lines, once per update', async () => {
      const update = botText('z2', 'Xin chào');
      expect((await postBotUpdate(app!.url, update, SECRET)).status).toBe(200);
      expect((await postBotUpdate(app!.url, update, SECRET)).status).toBe(200);
      await waitFor(() => textsTo('z2').some((t) => t.includes('Bạn tên là gì?')));
      await new Promise((r) => setTimeout(r, 200));
      expect(textsTo('z2').filter((t) => t.includes('Bạn tên là gì?'))).toHaveLength(1);
      expect(textsTo('z2').join('\n')).toMatch(/\n1\. .+\n\(Trả lời bằng số/);
      expect(await ZaloInbox.countDocuments({ channel: 'zalo_bot' })).toBe(1);
    });

    it('accepts an update wrapped as { ok, result } too', async () => {
      expect((await postBotUpdate(app!.url, { ok: true, result: botText('z3', '/lang') }, SECRET)).status).toBe(200);
      await waitFor(() => textsTo('z3').some((t) => t.includes('1. Tiếng Việt')));
    });

    it('answers a choice by its typed number: /lang then 2 switches to English', async () => {
      await postBotUpdate(app!.url, botText('z4', '/lang'), SECRET);
      await waitFor(() => textsTo('z4').some((t) => t.includes('2. English')));
      await postBotUpdate(app!.url, botText('z4', '2'), SECRET);
      await waitFor(() => textsTo('z4').includes('Switched to English.'));
    });

    it('links a staff member with a one-time code typed in the chat', async () => {
      const { user } = await makeStaff('sales');
      const { code } = await issueLinkCode(SYSTEM, user._id);
      await postBotUpdate(app!.url, botText('staff-1', `/link ${code}`), SECRET);
      await waitFor(() => textsTo('staff-1').some((t) => t.includes('Đã liên kết')));
      expect((await User.findById(user._id).lean())?.chatIds?.zalo_bot).toBe('staff-1');
    });

    it('splits a long notification at line boundaries under 2,000 characters', async () => {
      const { user } = await makeStaff('sales', { chatIds: { zalo_bot: 'staff-2' } });
      const long = Array.from({ length: 80 }, (_, i) => `${i + 1}. Khách hàng ${'y'.repeat(40)}`).join('\n');
      const outcomes = await app!.ctx.notifier.notifyStaff(user._id, () => [{ text: long }]);
      expect(outcomes).toEqual([{ channel: 'zalo_bot', result: expect.objectContaining({ ok: true }) }]);
      const parts = textsTo('staff-2');
      expect(parts.length).toBeGreaterThan(1);
      expect(parts.every((p) => p.length <= 2000)).toBe(true);
      expect(parts.join('\n')).toBe(long);
    });

    it('reports a chat the platform refuses as blocked', async () => {
      const { user } = await makeStaff('sales', { chatIds: { zalo_bot: 'staff-3' } });
      platform.refusals.set('staff-3', 403);
      const [outcome] = await app!.ctx.notifier.notifyStaff(user._id, () => [{ text: 'hi' }]);
      expect(outcome!.result).toMatchObject({ ok: false, reason: 'blocked', detail: expect.stringContaining('403') });
    });
  });

  describe('without a public URL: long polling', () => {
    it('deletes any webhook, polls getUpdates and answers; keeps polling through an outage', async () => {
      platform.webhook = { url: 'https://old.example/x', secret: 'old-secret' };
      app = await startTestApp({ ZALO_BOT_TOKEN: TOKEN, ZALO_BOT_API_ROOT: platform.url }, [zaloBotFeature]);
      await waitFor(() => platform.calls.some((c) => c.method === 'getUpdates'));
      expect(platform.webhook.url).toBe('');
      platform.queue.push(botText('p1', 'Chào shop'));
      await waitFor(() => textsTo('p1').some((t) => t.includes('Bạn tên là gì?')));

      await platform.server.down();
      await new Promise((r) => setTimeout(r, 300));
      await platform.server.up();
      platform.queue.push(botText('p2', 'Còn hàng không?'));
      await waitFor(() => textsTo('p2').some((t) => t.includes('Bạn tên là gì?')), 10_000);
    });

    it('starts even when the platform is down, and catches up when it is back', async () => {
      await platform.server.down();
      app = await startTestApp({ ZALO_BOT_TOKEN: TOKEN, ZALO_BOT_API_ROOT: platform.url }, [zaloBotFeature]);
      const health = await fetch(`${app.url}/healthz`);
      expect(health.status).toBe(200);
      await platform.server.up();
      platform.queue.push(botText('p3', 'Xin chào'));
      await waitFor(() => textsTo('p3').length > 0, 10_000);
    });
  });

  describe('with Zalo OA as well', () => {
    let zalo: FakeZaloOa;
    afterEach(() => zalo.server.stop());

    it('alerts the owner on Zalo Bot about a lead who came through Zalo OA', async () => {
      zalo = await new FakeZaloOa(FAKE_OA_APP).start();
      app = await startBothZaloChannels({ botToken: TOKEN, botSecret: SECRET, platformUrl: platform.url, oaUrl: zalo.url });
      await makeStaff('sales', { chatIds: { zalo_bot: 'owner-1' } });
      const oa = new OaWebhookSender(app.url, 'app1', 'oa-secret');
      await oa.post(oa.event('user_submit_info', 'oa-user-1', { info: { name: 'Phạm Thu Hà', phone: '0933222111' } }));
      await waitFor(() => textsTo('owner-1').some((t) => t.includes('Phạm Thu Hà')));
      expect(textsTo('owner-1').join('\n')).toContain('Zalo OA');
    });
  });
});
