import http from 'node:http';
import { Api } from 'grammy';
import { TelegramSender } from '../../bot/telegram/sender.js';
import type { ChannelSender, Reply, SendResult } from '../../bot/core/types.js';
import { closeServer, listenOnLoopback } from '../helpers/loopback.js';

export interface ReceivedMessage {
  chatId: string;
  text: string;
  replyMarkup?: unknown;
  /** Milliseconds since the server started. */
  at: number;
}

export interface FakeBotApiOptions {
  /** Requests allowed in any sliding second across chats before answering 429. */
  perSecond?: number;
  /** Minimum gap between two messages to one chat before answering 429. */
  perChatMs?: number;
  /** `retry_after` in the 429 answer. */
  retryAfter?: number;
  /** Chats that blocked the bot (403). */
  blocked?: Set<string>;
}

/**
 * A Bot API stand-in on 127.0.0.1 that enforces Telegram's limits the way Telegram does: a 429
 * with `parameters.retry_after` when sent to faster than `perSecond` across chats or faster than
 * once a second to one chat. It records what it accepted and counts what it refused.
 */
export class FakeBotApi {
  readonly received: ReceivedMessage[] = [];
  rejected429 = 0;
  /** When each 429 was answered (ms since start). */
  readonly rejectedAt: number[] = [];
  /** When each sendMessage arrived, accepted or not. */
  readonly requestsAt: number[] = [];
  private readonly recent: number[] = [];
  private readonly lastByChat = new Map<string, number>();
  private readonly started = performance.now();
  private server?: http.Server;
  url = '';

  constructor(private readonly opts: FakeBotApiOptions = {}) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
    this.url = await listenOnLoopback(this.server);
    return this;
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (!/\/bot[^/]+\/sendMessage$/.test(req.url ?? '')) return answer(404, { ok: false, error_code: 404, description: 'Not Found' });
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { chat_id: string | number; text: string; reply_markup?: unknown };
      const chatId = String(body.chat_id);
      const now = performance.now() - this.started;
      this.requestsAt.push(now);
      while (this.recent.length && this.recent[0]! <= now - 1000) this.recent.shift();
      const perSecond = this.opts.perSecond ?? 30;
      const perChatMs = this.opts.perChatMs ?? 1000;
      const last = this.lastByChat.get(chatId);
      if (this.recent.length >= perSecond || (last !== undefined && now - last < perChatMs)) {
        this.rejected429 += 1;
        this.rejectedAt.push(now);
        const retryAfter = this.opts.retryAfter ?? 1;
        return answer(429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } });
      }
      if (this.opts.blocked?.has(chatId)) return answer(403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' });
      this.recent.push(now);
      this.lastByChat.set(chatId, now);
      this.received.push({ chatId, text: body.text, replyMarkup: body.reply_markup, at: now });
      answer(200, { ok: true, result: { message_id: this.received.length, chat: { id: body.chat_id }, text: body.text } });
    });
  }

  /** Chat ids that received more than one message. */
  duplicates(): string[] {
    const seen = new Map<string, number>();
    for (const m of this.received) seen.set(m.chatId, (seen.get(m.chatId) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([chat]) => chat);
  }

  /** The highest number of accepted messages in any sliding second. */
  peakPerSecond(): number {
    let peak = 0;
    let start = 0;
    for (let end = 0; end < this.received.length; end++) {
      while (this.received[end]!.at - this.received[start]!.at >= 1000) start++;
      peak = Math.max(peak, end - start + 1);
    }
    return peak;
  }
}

/** The real Telegram sender (bot/telegram/) talking to a fake Bot API, without grammY's auto-retry: the campaign runner paces and waits itself. */
export function telegramSenderFor(apiRoot: string): TelegramSender {
  return new TelegramSender(new Api('123456:TEST-TOKEN', { apiRoot }));
}

/** A sender that records in memory (staff notifications in reminder and digest tests). */
export class RecordingSender implements ChannelSender {
  readonly sent: { chatId: string; replies: Reply[] }[] = [];

  constructor(readonly channel: ChannelSender['channel'] = 'telegram') {}

  async send(chatId: string, replies: Reply[]): Promise<SendResult> {
    this.sent.push({ chatId, replies });
    return { ok: true, messageIds: [String(this.sent.length)] };
  }

  to(chatId: string): Reply[] {
    return this.sent.filter((s) => s.chatId === chatId).flatMap((s) => s.replies);
  }
}
