import { FakeServer, type FakeRequest } from './fakeServer.js';
import type { ZaloBotUpdate } from '../../../bot/zalo/bot/client.js';

/**
 * A fake Zalo Bot Platform: `/bot<TOKEN>/<method>` with a JSON body, answering `{ ok, result }` or
 * `{ ok: false, error_code, description }`. getUpdates hands out one queued update per call (as the
 * docs show) and answers 408 when none arrived within a short wait.
 */
export class FakeZaloBot {
  readonly server: FakeServer;
  readonly sent: { chatId: string; text: string }[] = [];
  readonly calls: { method: string; body: Record<string, unknown> }[] = [];
  readonly queue: ZaloBotUpdate[] = [];
  webhook = { url: '', secret: '' };
  /** Chats the platform refuses to write to, with the error code it answers. */
  readonly refusals = new Map<string, number>();

  constructor(readonly token: string) {
    this.server = new FakeServer((req) => this.handle(req));
  }

  get url(): string {
    return this.server.url;
  }

  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  private async handle(req: FakeRequest) {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.path);
    if (req.method !== 'POST' || !match) return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
    if (match[1] !== this.token) return { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };
    let body: Record<string, unknown> = {};
    if (req.raw) {
      if (!String(req.headers['content-type']).startsWith('application/json')) return { status: 400, body: { ok: false, error_code: 400, description: 'JSON expected' } };
      body = JSON.parse(req.raw);
    }
    const method = match[2]!;
    this.calls.push({ method, body });
    switch (method) {
      case 'getMe':
        return ok({ id: '1459232241454765289', account_name: 'bot.chot', account_type: 'BASIC', can_join_groups: false });
      case 'getUpdates': {
        if (this.webhook.url) return { body: { ok: false, error_code: 409, description: 'webhook is active' } };
        for (let i = 0; i < 10 && !this.queue.length; i++) await new Promise((r) => setTimeout(r, 20));
        const next = this.queue.shift();
        return next ? ok(next) : { body: { ok: false, error_code: 408, description: 'Request timeout' } };
      }
      case 'setWebhook': {
        const url = String(body.url ?? '');
        const secret = String(body.secret_token ?? '');
        if (!url.startsWith('https://')) return bad('url must be HTTPS');
        if (secret.length < 8 || secret.length > 256) return bad('secret_token must be 8-256 characters');
        this.webhook = { url, secret };
        return ok({ url, updated_at: Date.now() });
      }
      case 'deleteWebhook':
        this.webhook = { url: '', secret: '' };
        return ok({ url: '', updated_at: Date.now() });
      case 'getWebhookInfo':
        return ok({ url: this.webhook.url, updated_at: Date.now() });
      case 'sendMessage': {
        const chatId = String(body.chat_id ?? '');
        const text = body.text;
        if (!chatId || typeof text !== 'string' || text.length < 1 || text.length > 2000) return bad('chat_id and text (1-2000 characters) are required');
        const refusal = this.refusals.get(chatId);
        if (refusal) return { body: { ok: false, error_code: refusal, description: 'refused' } };
        this.sent.push({ chatId, text });
        return ok({ message_id: `b${this.sent.length}`, date: Date.now() });
      }
      case 'sendChatAction':
        if (!body.chat_id || body.action !== 'typing') return bad('chat_id and action are required');
        return { body: { ok: true } };
      default:
        return { status: 404, body: { ok: false, error_code: 404, description: 'Method not found' } };
    }
  }
}

function ok(result: unknown) {
  return { body: { ok: true, result } };
}
function bad(description: string) {
  return { status: 400, body: { ok: false, error_code: 400, description } };
}
