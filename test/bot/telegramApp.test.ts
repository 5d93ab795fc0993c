import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { startApp, type RunningApp } from '../../app/start.js';
import { loadConfig } from '../../app/config.js';
import { createLogger } from '../../app/logger.js';
import { chatCoreFeature } from '../../bot/core/feature.js';
import { telegramFeature } from '../../bot/telegram/feature.js';
import { Customer } from '../../models/customer.js';
import { BOT_INFO } from './telegramHarness.js';
import { closeServer, listenOnLoopback } from '../helpers/loopback.js';

const TOKEN = '123456:APP-test-token';
const SECRET = 'webhook-secret_42';

/** A fake Bot API server on 127.0.0.1: what the whole app talks to when TELEGRAM_API_ROOT points here. */
class FakeBotApiServer {
  readonly calls: { method: string; body: any }[] = [];
  readonly pending: unknown[] = [];
  private server = http.createServer((req, res) => this.handle(req, res));
  private nextId = 500;
  url = '';

  async start(): Promise<void> {
    this.url = await listenOnLoopback(this.server);
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }

  methods(): string[] {
    return this.calls.map((c) => c.method);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
      const answer = (result: unknown) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ok: true, result }));
      };
      if (!match || match[1] !== TOKEN) {
        res.statusCode = 401;
        res.end(JSON.stringify({ ok: false, error_code: 401, description: 'Unauthorized' }));
        return;
      }
      const method = match[2];
      const body = raw ? JSON.parse(raw) : {};
      this.calls.push({ method, body });
      if (method === 'getMe') return answer(BOT_INFO);
      if (method === 'sendMessage') return answer({ message_id: this.nextId++, date: 0, chat: { id: body.chat_id, type: 'private' }, text: body.text });
      if (method === 'getUpdates') {
        // Long polling, briefly: hand out what is queued, or an empty batch after a short wait.
        const batch = this.pending.splice(0);
        if (batch.length) return answer(batch);
        setTimeout(() => answer([]), 50);
        return;
      }
      answer(true);
    });
  }
}

function prospectStart(updateId: number) {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: 8001, type: 'private', first_name: 'Web' },
      from: { id: 8001, is_bot: false, first_name: 'Web' },
      text: '/start src_facebook',
    },
  };
}

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the Telegram feature in the running app', () => {
  let dataDir: string;
  let api: FakeBotApiServer;
  let app: RunningApp | undefined;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'chot-tg-'));
    api = new FakeBotApiServer();
    await api.start();
  });

  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await api.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  function start(env: Record<string, string>, mode?: { web: boolean; worker: boolean }) {
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', TELEGRAM_API_ROOT: api.url, ...env });
    return startApp({ config, logger: createLogger('silent'), features: [chatCoreFeature, telegramFeature], mode });
  }

  it('in webhook mode sets the webhook itself, refuses a missing or wrong secret with 401, and answers updates', async () => {
    app = await start({ TELEGRAM_BOT_TOKEN: TOKEN, PUBLIC_URL: 'https://crm.example.vn', TELEGRAM_WEBHOOK_SECRET: SECRET });
    // Registered in the background (the start never waits for Telegram): wait for it, then for the board to say so.
    await waitFor(() => api.calls.some((c) => c.method === 'setWebhook'));
    await waitFor(() => app!.ctx.channels.snapshot().telegram?.state === 'up');
    const setWebhook = api.calls.find((c) => c.method === 'setWebhook');
    expect(setWebhook?.body).toMatchObject({ url: 'https://crm.example.vn/webhooks/telegram', secret_token: SECRET, allowed_updates: ['message', 'callback_query', 'my_chat_member'] });
    expect(api.methods()).not.toContain('getUpdates');

    const url = `http://127.0.0.1:${app.port}/webhooks/telegram`;
    const post = (headers: Record<string, string>, body: unknown) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

    expect((await post({}, prospectStart(1))).status).toBe(401);
    expect((await post({ 'X-Telegram-Bot-Api-Secret-Token': 'wrong' }, prospectStart(2))).status).toBe(401);
    expect((await post({ 'X-Telegram-Bot-Api-Secret-Token': `${SECRET}x` }, { junk: 'x'.repeat(100_000) })).status).toBe(401);
    expect(api.methods()).not.toContain('sendMessage');

    const ok = await post({ 'X-Telegram-Bot-Api-Secret-Token': SECRET }, prospectStart(3));
    expect(ok.status).toBe(200);
    const sent = api.calls.filter((c) => c.method === 'sendMessage');
    expect(sent.map((c) => String(c.body.chat_id))).toEqual(['8001', '8001']);
    expect(sent[0].body.text).toContain('Xin chào');
    // The same update again (Telegram retrying) is answered but not handled twice.
    expect((await post({ 'X-Telegram-Bot-Api-Secret-Token': SECRET }, prospectStart(3))).status).toBe(200);
    expect(api.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(2);
    expect((await post({ 'X-Telegram-Bot-Api-Secret-Token': SECRET }, { not: 'an update' })).status).toBe(400);
  });

  it('without PUBLIC_URL uses long polling, handles the updates it receives, and stops with the app', async () => {
    api.pending.push(prospectStart(10));
    app = await start({ TELEGRAM_BOT_TOKEN: TOKEN });
    await waitFor(() => api.calls.some((c) => c.method === 'sendMessage'));
    expect(api.methods()).toContain('deleteWebhook');
    expect(api.methods()).not.toContain('setWebhook');
    expect(api.calls.find((c) => c.method === 'sendMessage')?.body.text).toContain('Xin chào');
    expect(app.ctx.notifier.channels).toEqual(['telegram']);
    // The intake goes on across the polled updates and lands in the database.
    api.pending.push({ ...prospectStart(11), message: { ...prospectStart(11).message, text: 'Lan' } });
    api.pending.push({ ...prospectStart(12), message: { ...prospectStart(12).message, text: '0912345678' } });
    api.pending.push({ ...prospectStart(13), message: { ...prospectStart(13).message, text: 'Căn hộ' } });
    await waitFor(() => api.calls.filter((c) => c.method === 'sendMessage').some((c) => String(c.body.text).includes('Cảm ơn Lan')));
    expect(await Customer.findOne().lean()).toMatchObject({ name: 'Lan', phones: ['+84912345678'], need: 'Căn hộ' });
  });

  it('in a worker-only process registers the sender for notifications but receives nothing', async () => {
    app = await start({ TELEGRAM_BOT_TOKEN: TOKEN }, { web: false, worker: true });
    expect(app.ctx.notifier.channels).toEqual(['telegram']);
    await new Promise((r) => setTimeout(r, 100));
    expect(api.methods()).toEqual([]);
  });

  it('stays off without TELEGRAM_BOT_TOKEN', async () => {
    app = await start({});
    expect(app.ctx.notifier.channels).toEqual([]);
    expect(api.calls).toEqual([]);
    expect((await fetch(`http://127.0.0.1:${app.port}/webhooks/telegram`, { method: 'POST' })).status).toBe(404);
  });
});
