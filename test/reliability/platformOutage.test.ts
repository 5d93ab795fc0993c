/**
 * Issue 11, items 5 and 6: a chat platform that is down, or refuses chot's webhook, must not keep
 * the rest of chot from running. chot is started as an operator starts it (`npm start`), with
 * Telegram, Zalo Bot and Zalo OA configured in webhook mode against fake platforms on 127.0.0.1.
 */
import { jest } from '@jest/globals';
import mongoose from 'mongoose';
import { Browser as PanelBrowser } from '../admin/harness.js';
import { AppProcess, eventually, killAll } from './helpers/appProcess.js';
import { ADMIN, FakePlatforms, ZALO_BOT, ZALO_OA } from './helpers/channels.js';
import { postTelegramUpdate, telegramText, TELEGRAM_SECRET, TELEGRAM_TOKEN } from './helpers/fakeTelegram.js';
import { useSharedDatabase } from './helpers/sharedDatabase.js';

jest.setTimeout(120_000);

const db = useSharedDatabase();
const platforms = new FakePlatforms();

beforeAll(() => platforms.start());
afterAll(async () => {
  await killAll();
  await platforms.stop();
});

/** A browser behind the TLS proxy PUBLIC_URL implies (the session cookie is Secure). */
class Browser extends PanelBrowser {
  override request(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
    return super.request(method, url, body, { 'x-forwarded-proto': 'https', ...headers });
  }
}

type Readiness = { status: string; database: boolean; channels: Record<string, { state: string }>; degraded: string[] };
const readiness = async (app: AppProcess): Promise<Readiness> => (await fetch(`${app.base}/readyz`)).json() as Promise<Readiness>;
const stateOf = async (app: AppProcess, channel: string) => (await readiness(app)).channels[channel]?.state;

/** Every secret the process was given: none may appear in any line it wrote. */
function expectNoSecretIn(app: AppProcess, env: Record<string, string>) {
  const text = app.logText();
  for (const key of ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'ZALO_OA_SECRET_KEY', 'ZALO_OA_REFRESH_TOKEN', 'ZALO_BOT_TOKEN', 'ZALO_BOT_WEBHOOK_SECRET', 'SESSION_SECRET', 'ADMIN_PASSWORD']) {
    if (env[key]) expect({ key, found: text.includes(env[key]!) }).toEqual({ key, found: false });
  }
}

it('with every chat platform unreachable, the web side serves at once, the channels show as degraded, and each comes up by itself when its platform answers', async () => {
  platforms.telegram.down = true;
  await platforms.zaloBot.server.down();
  await platforms.zaloOa.server.down();
  // No access token stored yet: the OA must get one from Zalo's OAuth, which is down.
  const env = { ...platforms.env(db.uri), ZALO_OA_ACCESS_TOKEN: '', LOG_LEVEL: 'debug' };
  const app = await AppProcess.start('outage', 'both', env);

  // The web side: health, the web chat (a lead can write), the admin panel.
  expect((await fetch(`${app.base}/healthz`)).status).toBe(200);
  const chat = await fetch(`${app.base}/chat/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ visitorId: 'outage-visitor-0123456789abcdef', clientMessageId: 'outage-msg-1', start: true }),
  });
  expect(chat.status).toBe(200);
  expect(JSON.stringify(await chat.json())).toContain('Xin chào');

  // Each channel says what it is waiting for, and /readyz stays 200 (the web side is ready).
  await eventually(async () => {
    const r = await readiness(app);
    return ['telegram', 'zalo_bot', 'zalo_oa'].every((c) => r.channels[c]?.state === 'degraded') && r;
  }, 'all three channels degraded on /readyz', 20_000, app);
  const ready = await fetch(`${app.base}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toMatchObject({ status: 'degraded', database: true, degraded: expect.arrayContaining(['telegram', 'zalo_bot', 'zalo_oa']) });

  // Admins see it on the dashboard.
  const admin = new Browser(app.base);
  expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(302);
  const dashboard = await eventually(async () => {
    const d = await admin.api('GET', '/dashboard');
    return (d.data.alerts ?? []).filter((a: { kind: string }) => a.kind === 'degraded').length >= 3 && d;
  }, 'the dashboard alerts', 10_000, app);
  expect(dashboard.data.alerts.map((a: { channel: string }) => a.channel).sort()).toEqual(expect.arrayContaining(['telegram', 'zalo_bot', 'zalo_oa']));

  // An update Telegram posts before the bot could start is not lost: 503, so Telegram delivers it again.
  expect((await postTelegramUpdate(app.base, telegramText(9101, 'Chào shop'))).status).toBe(503);

  // The platforms answer again: every channel comes up by itself, without a restart.
  platforms.telegram.down = false;
  await platforms.zaloBot.server.up();
  await platforms.zaloOa.server.up();
  await eventually(async () => (await readiness(app)).status === 'ready', '/readyz ready with every channel up', 60_000, app);
  expect(platforms.telegram.methods).toContain('setWebhook');
  expect(platforms.zaloBot.webhook.url).toBe('https://crm.example.vn/webhooks/zalo-bot');
  expect((await postTelegramUpdate(app.base, telegramText(9101, 'Chào shop'))).status).toBe(200);
  await eventually(() => platforms.telegram.texts(9101).length > 0, 'the greeting on Telegram', 10_000, app);
  await eventually(async () => {
    const d = await admin.api('GET', '/dashboard');
    return (d.data.alerts ?? []).every((a: { kind: string }) => a.kind !== 'degraded') && d;
  }, 'the dashboard alerts to clear', 10_000, app);

  expect(app.running).toBe(true);
  expectNoSecretIn(app, env);
  await app.stop();
});

it('a refused setWebhook degrades Telegram and is retried, never crashing the process; the secret is in no log line, not even in the library error logged in full', async () => {
  platforms.telegram.down = false;
  const refusal = { ok: false, error_code: 400, description: 'Bad Request: bad webhook: Failed to resolve host' };
  platforms.telegram.refusals.set('setWebhook', { status: 400, body: refusal });
  const env = { ...platforms.env(db.uri), LOG_LEVEL: 'debug' };
  const app = await AppProcess.start('refused', 'both', env);

  const warned = await app.waitForLog((l) => l.channel === 'telegram' && typeof l.retryInMs === 'number', 20_000);
  expect(warned.error).toContain('bad webhook');
  expect(await stateOf(app, 'telegram')).toBe('degraded');
  // grammY's error carries the request payload; the logger replaced the secret in it.
  const detail = await app.waitForLog((l) => l.channel === 'telegram' && l.err?.payload, 10_000);
  expect(detail.err.payload.secret_token).toBe('[redacted]');

  platforms.telegram.refusals.delete('setWebhook');
  await eventually(async () => (await stateOf(app, 'telegram')) === 'up', 'telegram up after the refusal ended', 60_000, app);
  expect(app.running).toBe(true);
  expectNoSecretIn(app, env);
  expect(app.logText()).not.toContain(TELEGRAM_SECRET);
  expect(app.logText()).not.toContain(TELEGRAM_TOKEN);
  expect(app.logText()).not.toContain(ZALO_BOT.secret);
  expect(app.logText()).not.toContain(ZALO_OA.secretKey);
  await app.stop();
  await mongoose.connection.db!.collection('channelstatuses').deleteMany({});
});

it('in long-polling mode, Telegram lost at run time shows as degraded, comes back by itself, and what was written meanwhile is handled', async () => {
  platforms.telegram.down = false;
  platforms.telegram.refusals.clear();
  const { PUBLIC_URL: _url, TELEGRAM_WEBHOOK_SECRET: _secret, ...polling } = platforms.env(db.uri);
  const app = await AppProcess.start('polling', 'both', polling);
  await eventually(async () => (await stateOf(app, 'telegram')) === 'up', 'telegram polling up', 20_000, app);

  platforms.telegram.down = true;
  await eventually(async () => (await stateOf(app, 'telegram')) === 'degraded', 'telegram degraded once getUpdates fails', 30_000, app);
  expect((await fetch(`${app.base}/readyz`)).status).toBe(200);
  // A lead writes while chot cannot reach Telegram: Telegram keeps the update until the next poll.
  platforms.telegram.updates.push(telegramText(9202, '/start') as { update_id: number });
  platforms.telegram.down = false;
  await eventually(async () => (await stateOf(app, 'telegram')) === 'up', 'telegram up again', 30_000, app);
  await eventually(() => platforms.telegram.texts(9202).some((t) => t.includes('Xin chào')) && true, 'the greeting to the lead', 20_000, app);
  expect(app.running).toBe(true);
  await app.stop();
});
