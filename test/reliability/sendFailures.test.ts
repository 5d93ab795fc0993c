/**
 * What the senders do when a platform says "not now" or does not answer: Telegram's 429 with
 * retry_after is waited out as asked (or handed back to the caller when the wait is long), 5xx and
 * network errors are retried within a deadline, and a 403 (the customer blocked the bot) marks the
 * customer unreachable there. Then the Zalo clients on 5xx and network errors. Real HTTP against
 * fake servers on 127.0.0.1, the senders built the way the app builds them.
 */
import { jest } from '@jest/globals';
import { createLogger } from '../../app/logger.js';
import { ChatCore } from '../../bot/core/chatCore.js';
import { Notifier } from '../../bot/core/notifier.js';
import { createTelegramBot } from '../../bot/telegram/bot.js';
import { ZaloOaClient } from '../../bot/zalo/oa/client.js';
import { ZaloOauthClient } from '../../bot/zalo/oa/oauth.js';
import { OaSender } from '../../bot/zalo/oa/sender.js';
import { OaTokenManager } from '../../bot/zalo/oa/tokens.js';
import { ZaloBotClient } from '../../bot/zalo/bot/client.js';
import { ZaloBotSender } from '../../bot/zalo/bot/sender.js';
import { Customer } from '../../models/customer.js';
import { Campaign } from '../../models/campaign.js';
import { CampaignDelivery } from '../../models/campaignDelivery.js';
import { startCampaign } from '../../crm/campaigns/lifecycle.js';
import { seedDefaults } from '../../crm/seed/defaults.js';
import { CampaignRunner } from '../../jobs/campaigns/runner.js';
import { systemClock } from '../../jobs/clock.js';
import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { makeCustomer, makeCustomers } from '../jobs/fixtures.js';
import { FakeServer } from '../zalo/helpers/fakeServer.js';
import { FakeTelegramApi, TELEGRAM_TOKEN, telegramError } from './helpers/fakeTelegram.js';

jest.setTimeout(30_000);
useTestDatabase();

const logger = createLogger('silent');
const BOT_INFO = { id: 42, is_bot: true, first_name: 'chot', username: 'chot_reliability_bot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false } as never;

describe('Telegram', () => {
  const api = new FakeTelegramApi();
  let notifier: Notifier;
  let sender: ReturnType<typeof createTelegramBot>['sender'];

  beforeAll(async () => {
    await api.start();
    notifier = new Notifier(logger);
    const core = new ChatCore({ notifier, logger });
    // A short deadline so that "Telegram unreachable for good" is seen within the test.
    ({ sender } = createTelegramBot({ token: TELEGRAM_TOKEN, apiRoot: api.url, botInfo: BOT_INFO, core, logger, sendDeadlineMs: 4_000 }));
    notifier.register(sender);
  });
  afterAll(() => api.stop());

  const gap = (chatId: string) => {
    const at = api.attempts.filter((a) => a.chatId === chatId).map((a) => a.at);
    return at.length >= 2 ? at[1]! - at[0]! : NaN;
  };

  it('waits out 429 retry_after, retries a 5xx and a cut connection, gives up on an unreachable API by its deadline, and hands a long wait back', async () => {
    api.script('1', telegramError.tooManyRequests(1));
    api.script('2', telegramError.internal());
    api.script('3', 'drop');
    api.script('4', ...Array.from({ length: 10 }, () => 'drop' as const));
    api.script('5', telegramError.tooManyRequests(60));
    const started = performance.now();
    const timed = async (chatId: string) => {
      const result = await sender.send(chatId, [{ text: `tin nhắn ${chatId}` }]);
      return { result, ms: performance.now() - started };
    };
    const [rateLimited, serverError, cut, unreachable, longWait] = await Promise.all(['1', '2', '3', '4', '5'].map(timed));

    // 429 retry_after 1: sent on the second try, not before the second Telegram asked for.
    expect(rateLimited.result.ok).toBe(true);
    expect(api.texts('1')).toEqual(['tin nhắn 1']);
    expect(gap('1')).toBeGreaterThanOrEqual(950);
    // 500 and a dropped connection: tried again after a pause, delivered once.
    expect(serverError.result.ok).toBe(true);
    expect(api.texts('2')).toEqual(['tin nhắn 2']);
    expect(gap('2')).toBeGreaterThanOrEqual(2_000);
    expect(cut.result.ok).toBe(true);
    expect(api.texts('3')).toEqual(['tin nhắn 3']);
    // Down for good: reported as an error once the deadline passes, instead of retrying forever.
    expect(unreachable.result).toMatchObject({ ok: false, reason: 'error' });
    // Generous bounds: they tell "by its deadline" from "forever" (and the long wait from its 60 s)
    // without timing a loaded machine.
    expect(unreachable.ms).toBeLessThan(20_000);
    expect(api.texts('4')).toEqual([]);
    // A wait longer than a reply should take comes back to the caller (the campaign pacer honours it).
    expect(longWait.result).toMatchObject({ ok: false, reason: 'rate_limited', retryAfterSeconds: 60 });
    expect(longWait.ms).toBeLessThan(20_000);
  });

  it('a campaign message is sent at most once: one answered with a 5xx is recorded as failed, not sent again', async () => {
    await seedDefaults();
    const [lucky, unlucky] = await makeCustomers(2);
    const { actor: admin } = await makeStaff('admin');
    const campaign = await Campaign.create({ name: 'Tri ân', template: 'Chào {ten}', channels: ['telegram'] });
    await startCampaign(admin, campaign._id);
    api.script(unlucky!.chatIds.telegram!, 'deliver-then-502');
    const runner = new CampaignRunner({ clock: systemClock, notifier, logger, signal: new AbortController().signal });
    const [summary] = await runner.runDue();
    expect(summary!.stoppedBecause).toBe('completed');
    // Telegram had delivered it: whoever cannot know that must not send it again.
    expect(api.texts(unlucky!.chatIds.telegram!)).toHaveLength(1);
    expect(api.texts(lucky!.chatIds.telegram!)).toHaveLength(1);
    const failed = await CampaignDelivery.findOne({ campaign: campaign._id, customer: unlucky!._id }).lean();
    expect(failed).toMatchObject({ status: 'failed', reason: expect.stringContaining('502') });
  });

  it('a customer who blocked the bot (403) is marked unreachable on Telegram and not tried there again', async () => {
    const customer = await makeCustomer({ channels: ['telegram'] });
    const chatId = customer.chatIds.telegram!;
    api.script(chatId, telegramError.blocked());
    const first = await notifier.sendToCustomer(customer._id, [{ text: 'Chào anh, bên em gửi báo giá' }]);
    expect(first).toMatchObject({ channel: 'telegram', result: { ok: false, reason: 'blocked' } });
    expect((await Customer.findById(customer._id).lean())?.unreachable).toMatchObject({ telegram: true });
    const attempts = api.attempts.filter((a) => a.chatId === chatId).length;
    const second = await notifier.sendToCustomer(customer._id, [{ text: 'Nhắc lại báo giá' }]);
    expect(second.result).toMatchObject({ ok: false });
    expect(api.attempts.filter((a) => a.chatId === chatId)).toHaveLength(attempts);
  });
});

describe('Zalo clients on 5xx and network errors', () => {
  let status = 502;
  let requests = 0;
  const zalo = new FakeServer(() => {
    requests += 1;
    return { status, body: { message: 'Bad Gateway' } };
  });
  beforeAll(() => zalo.start());
  afterAll(() => zalo.stop());
  beforeEach(() => {
    requests = 0;
  });

  async function oaSender() {
    const tokens = new OaTokenManager({
      appId: 'oa-app-5xx',
      logger,
      oauth: new ZaloOauthClient({ oauthRoot: zalo.url, appId: 'oa-app-5xx', secretKey: 'k' }),
      configured: { accessToken: 'access-1', refreshToken: 'refresh-1' },
    });
    await tokens.init();
    return new OaSender({ client: new ZaloOaClient({ apiRoot: zalo.url, timeoutMs: 2_000 }), tokens, logger });
  }
  const botSender = () => new ZaloBotSender({ client: new ZaloBotClient({ token: 'bot:token', apiRoot: zalo.url, timeoutMs: 2_000 }), logger });

  it('a 5xx is reported as an error with the status, after one request (Zalo documents no retry: the caller decides)', async () => {
    for (const sender of [await oaSender(), botSender()]) {
      requests = 0;
      const result = await sender.send('user-1', [{ text: 'Xin chào' }]);
      expect(result).toMatchObject({ ok: false, reason: 'error' });
      expect(JSON.stringify(result)).toMatch(/502|Bad Gateway/);
      expect(requests).toBe(1);
    }
  });

  it('an unreachable Zalo API is reported as an error promptly, never thrown and never hanging', async () => {
    await zalo.down();
    try {
      for (const sender of [await oaSender(), botSender()]) {
        const started = performance.now();
        const result = await sender.send('user-1', [{ text: 'Xin chào' }]);
        expect(result).toMatchObject({ ok: false, reason: 'error' });
        expect(result.ok ? '' : result.detail).toMatch(/unreachable/i);
        // Promptly: far below a hang (the test's own timeout), not a wall-clock race.
        expect(performance.now() - started).toBeLessThan(10_000);
      }
    } finally {
      await zalo.up();
    }
  });
});
