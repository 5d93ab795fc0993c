import http from 'node:http';
import { closeServer, listenOnLoopback } from '../../helpers/loopback.js';

export const TELEGRAM_TOKEN = '123456:RELIABILITY-token';
export const TELEGRAM_SECRET = 'reliability-secret_1';

/** What the fake answers to one sendMessage: a status and body, no answer yet (`hold`), or a cut connection. */
export type Scripted = { status: number; body: Record<string, unknown> } | 'drop' | 'hold' | 'deliver-then-502';

export interface SentMessage {
  chatId: string;
  text: string;
  replyMarkup?: any;
  /** ms since the fake started. */
  at: number;
}

/**
 * A Telegram Bot API on 127.0.0.1 for whole app processes (TELEGRAM_API_ROOT points here). It
 * answers like Telegram, records what it accepted, and can be scripted per chat: a 429 with
 * retry_after, a 5xx, a 403, a cut connection, or no answer until released (to kill a process
 * while its send is in flight).
 */
export class FakeTelegramApi {
  readonly sent: SentMessage[] = [];
  /** Every sendMessage that arrived, accepted or not. */
  readonly attempts: { chatId: string; at: number }[] = [];
  readonly methods: string[] = [];
  /** Updates for long polling: handed out by getUpdates until an offset confirms them, as Telegram does. */
  readonly updates: { update_id: number }[] = [];
  /** When set, every sendMessage is held (not answered) until released. */
  holdAll = false;
  /** Holds every sendMessage once this many were accepted (a process to be killed mid-send). */
  holdAfter = Infinity;
  /** Telegram unreachable: every request's connection is cut before an answer. */
  down = false;
  /** Refusals of other methods than sendMessage, by method (e.g. setWebhook answered 400). */
  readonly refusals = new Map<string, { status: number; body: Record<string, unknown> }>();
  private readonly scripts = new Map<string, Scripted[]>();
  private readonly held: (() => void)[] = [];
  private readonly started = performance.now();
  private server?: http.Server;
  private nextId = 1;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.url = await listenOnLoopback(this.server);
    return this;
  }

  async stop(): Promise<void> {
    this.release();
    await closeServer(this.server);
  }

  /** The next answers to sendMessage for one chat, in order; then normal answers again. */
  script(chatId: string | number, ...answers: Scripted[]): void {
    this.scripts.set(String(chatId), answers);
  }

  get heldCount(): number {
    return this.held.length;
  }

  /** Answers every held request normally. */
  release(): void {
    for (const answer of this.held.splice(0)) answer();
  }

  to(chatId: string | number): SentMessage[] {
    return this.sent.filter((m) => m.chatId === String(chatId));
  }

  texts(chatId: string | number): string[] {
    return this.to(chatId).map((m) => m.text);
  }

  private now(): number {
    return performance.now() - this.started;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (this.down) return void req.socket.destroy();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const json = (status: number, body: unknown) => {
        if (res.writableEnded || res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
      if (!match || match[1] !== TELEGRAM_TOKEN) return json(401, { ok: false, error_code: 401, description: 'Unauthorized' });
      const method = match[2]!;
      this.methods.push(method);
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      const refusal = this.refusals.get(method);
      if (refusal) return json(refusal.status, refusal.body);
      if (method === 'getMe') {
        return json(200, { ok: true, result: { id: 42, is_bot: true, first_name: 'chot', username: 'chot_reliability_bot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false } });
      }
      if (method === 'getUpdates') {
        // Long polling, briefly: what is queued from the offset on, or an empty batch after a short wait.
        const offset = Number(body.offset ?? 0);
        const batch = this.updates.filter((u) => u.update_id >= offset);
        if (batch.length) return json(200, { ok: true, result: batch });
        return void setTimeout(() => json(200, { ok: true, result: [] }), 100);
      }
      if (method !== 'sendMessage') return json(200, { ok: true, result: true });
      const chatId = String(body.chat_id);
      this.attempts.push({ chatId, at: this.now() });
      const accept = () => {
        this.sent.push({ chatId, text: String(body.text), replyMarkup: body.reply_markup, at: this.now() });
        json(200, { ok: true, result: { message_id: this.nextId++, date: Math.floor(Date.now() / 1000), chat: { id: Number(chatId), type: 'private' }, text: body.text } });
      };
      const holding = this.holdAll || this.sent.length >= this.holdAfter;
      const next = this.scripts.get(chatId)?.shift() ?? (holding ? 'hold' : undefined);
      if (next === undefined) return accept();
      if (next === 'drop') return void req.socket.destroy();
      if (next === 'deliver-then-502') {
        // The message reached the chat, but the proxy in front answered with an error.
        this.sent.push({ chatId, text: String(body.text), replyMarkup: body.reply_markup, at: this.now() });
        return json(502, { ok: false, error_code: 502, description: 'Bad Gateway' });
      }
      if (next === 'hold') {
        // Telegram got it; whether the sender hears back depends on whether it is still alive.
        this.held.push(accept);
        return;
      }
      json(next.status, next.body);
    });
  }
}

export const telegramError = {
  tooManyRequests: (retryAfter: number): Scripted => ({ status: 429, body: { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } } }),
  internal: (): Scripted => ({ status: 500, body: { ok: false, error_code: 500, description: 'Internal Server Error' } }),
  badGateway: (): Scripted => ({ status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } }),
  blocked: (): Scripted => ({ status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } }),
};

let updateId = 700_000;

/** A private-chat text message update as Telegram posts it to the webhook. */
export function telegramText(userId: number, text: string, firstName = 'Lan'): Record<string, unknown> {
  updateId += 1;
  return {
    update_id: updateId,
    message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat: { id: userId, type: 'private', first_name: firstName }, from: { id: userId, is_bot: false, first_name: firstName, language_code: 'vi' }, text },
  };
}

export function postTelegramUpdate(base: string, update: unknown): Promise<Response> {
  return fetch(`${base}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET },
    body: JSON.stringify(update),
  });
}
