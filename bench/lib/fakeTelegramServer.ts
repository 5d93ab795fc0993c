import http from 'node:http';
import { closeServer, listenOnLoopback } from '../../test/helpers/loopback.js';

/**
 * A Bot API stand-in on 127.0.0.1 for benchmarks: answers every method like Telegram (getMe,
 * setWebhook, sendMessage, answerCallbackQuery…) without limits, and counts the messages it got.
 */
export class FakeTelegramServer {
  sent = 0;
  readonly lastTextByChat = new Map<string, string>();
  readonly lastMarkupByChat = new Map<string, unknown>();
  private server?: http.Server;
  private nextMessageId = 1;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const method = (req.url ?? '').split('/').pop() ?? '';
        let body: Record<string, unknown> = {};
        try {
          body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
        } catch {
          // form bodies are not used by grammY for these methods
        }
        let result: unknown = true;
        if (method === 'getMe') {
          result = { id: 42, is_bot: true, first_name: 'chot', username: 'chot_bench_bot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false };
        } else if (method === 'sendMessage') {
          this.sent += 1;
          this.lastTextByChat.set(String(body.chat_id), String(body.text));
          this.lastMarkupByChat.set(String(body.chat_id), body.reply_markup);
          result = { message_id: this.nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: Number(body.chat_id), type: 'private' }, text: body.text };
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, result }));
      });
    });
    this.server.keepAliveTimeout = 60_000;
    this.url = await listenOnLoopback(this.server);
    return this;
  }

  /** The callback data of the buttons last sent to a chat. */
  buttons(chatId: string): { text: string; data?: string }[] {
    const markup = this.lastMarkupByChat.get(chatId) as { inline_keyboard?: { text: string; callback_data?: string }[][] } | undefined;
    return (markup?.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, data: b.callback_data }));
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }
}
