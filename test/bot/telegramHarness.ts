import type { Update, UserFromGetMe } from 'grammy/types';
import type { Bot } from 'grammy';
import { createLogger } from '../../app/logger.js';
import { ChatCore } from '../../bot/core/chatCore.js';
import { Notifier } from '../../bot/core/notifier.js';
import { createTelegramBot } from '../../bot/telegram/bot.js';

/**
 * A multipart Bot API call (a file upload such as sendDocument) as plain fields; uploaded files
 * come back as `{ filename, bytes }`, and JSON fields (reply_markup) parsed.
 */
async function readMultipart(init: RequestInit): Promise<Record<string, any>> {
  const type = new Headers(init.headers).get('content-type') ?? '';
  const boundary = /boundary=("?)([^";]+)\1/.exec(type)?.[2];
  const chunks: Uint8Array[] = [];
  for await (const chunk of init.body as unknown as AsyncIterable<Uint8Array | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const raw = Buffer.concat(chunks);
  const out: Record<string, any> = {};
  if (!boundary) return out;
  // Parts between `--boundary` lines: headers, a blank line, then the content up to the next CRLF--boundary.
  const delimiter = Buffer.from(`--${boundary}`);
  let at = raw.indexOf(delimiter);
  while (at !== -1) {
    const next = raw.indexOf(delimiter, at + delimiter.length);
    if (next === -1) break;
    const part = raw.subarray(at + delimiter.length, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const head = part.subarray(0, headerEnd).toString('utf8');
      let content = part.subarray(headerEnd + 4);
      if (content.subarray(-2).toString() === '\r\n') content = content.subarray(0, -2);
      const name = /name="([^"]*)"/.exec(head)?.[1];
      const filename = /filename="?([^";\r\n]+)"?/i.exec(head)?.[1];
      if (name !== undefined) {
        if (filename !== undefined) out[name] = { filename, bytes: Buffer.from(content) };
        else {
          const value = content.toString('utf8');
          out[name] = value.startsWith('{') ? JSON.parse(value) : value;
        }
      }
    }
    at = next;
  }
  // grammY uploads the file as a part named by a random id and refers to it as attach://<id>.
  for (const [key, value] of Object.entries(out)) {
    if (typeof value === 'string' && value.startsWith('attach://')) out[key] = out[value.slice(9)];
  }
  return out;
}

/** A Bot API call as the fake Telegram received it. */
export interface ApiCall {
  method: string;
  body: Record<string, any>;
  /** The message id Telegram gave a sent message. */
  messageId?: number;
}

export interface Button {
  text: string;
  callback_data?: string;
  request_contact?: boolean;
}

export const BOT_INFO: UserFromGetMe = {
  id: 42,
  is_bot: true,
  first_name: 'chot',
  username: 'chot_test_bot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
} as UserFromGetMe;

/**
 * A fake Bot API behind grammY's `client.fetch`: records every call and answers like Telegram.
 * A chat can be told to fail (403 blocked, 429 rate limited) to test how failures are reported.
 */
export class FakeTelegram {
  readonly calls: ApiCall[] = [];
  private nextMessageId = 1000;
  readonly failures = new Map<string, { error_code: number; description: string; parameters?: Record<string, number> }>();
  /** Files a test put "on Telegram's servers" by file id: getFile and the file URL serve them. */
  readonly files = new Map<string, Buffer>();

  readonly fetch = (async (input: unknown, init?: { body?: unknown }) => {
    const url = String(input);
    const download = /\/file\/bot[^/]+\/files\/([\w-]+)$/.exec(url);
    if (download) {
      this.calls.push({ method: 'downloadFile', body: { file_id: download[1] } });
      const bytes = this.files.get(download[1]);
      return bytes ? new Response(new Uint8Array(bytes), { headers: { 'content-length': String(bytes.length) } }) : new Response('not found', { status: 404 });
    }
    const method = url.slice(url.lastIndexOf('/') + 1);
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : init?.body ? await readMultipart(init as RequestInit) : {};
    const call: ApiCall = { method, body };
    this.calls.push(call);
    const failure = body.chat_id !== undefined ? this.failures.get(String(body.chat_id)) : undefined;
    if (failure && method === 'sendMessage') {
      return new Response(JSON.stringify({ ok: false, ...failure }), { status: failure.error_code, headers: { 'content-type': 'application/json' } });
    }
    let result: unknown = true;
    if (method === 'sendDocument') {
      call.messageId = this.nextMessageId++;
      result = { message_id: call.messageId, date: Math.floor(Date.now() / 1000), chat: { id: Number(body.chat_id), type: 'private' }, document: { file_id: `doc${call.messageId}` } };
    } else if (method === 'sendMessage') {
      call.messageId = this.nextMessageId++;
      result = { message_id: call.messageId, date: Math.floor(Date.now() / 1000), chat: { id: Number(body.chat_id), type: 'private' }, text: body.text };
    } else if (method === 'getMe') {
      result = BOT_INFO;
    } else if (method === 'getFile') {
      const bytes = this.files.get(String(body.file_id));
      if (!bytes) return new Response(JSON.stringify({ ok: false, error_code: 400, description: 'Bad Request: invalid file_id' }), { status: 400, headers: { 'content-type': 'application/json' } });
      result = { file_id: body.file_id, file_unique_id: `u${body.file_id}`, file_size: bytes.length, file_path: `files/${body.file_id}` };
    }
    return new Response(JSON.stringify({ ok: true, result }), { headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;

  /** The messages sent to a chat, oldest first. */
  messages(chatId: string | number): ApiCall['body'][] {
    // A document's caption is its text: a chat reads it like a message, buttons included.
    return this.calls
      .filter((c) => (c.method === 'sendMessage' || c.method === 'sendDocument') && String(c.body.chat_id) === String(chatId))
      .map((c) => (c.method === 'sendDocument' ? { ...c.body, text: c.body.caption } : c.body));
  }

  /** The files sent to a chat (sendDocument), oldest first. */
  documents(chatId: string | number): { filename: string; bytes: Buffer; caption?: string }[] {
    return this.calls
      .filter((c) => c.method === 'sendDocument' && String(c.body.chat_id) === String(chatId))
      .map((c) => ({ ...c.body.document, caption: c.body.caption }));
  }

  /** The id Telegram gave the last message sent to a chat (what a reply refers to). */
  lastMessageId(chatId: string | number): number {
    const sent = this.calls.filter((c) => c.method === 'sendMessage' && String(c.body.chat_id) === String(chatId));
    return sent[sent.length - 1].messageId!;
  }

  texts(chatId: string | number): string[] {
    return this.messages(chatId).map((m) => m.text as string);
  }

  lastMessage(chatId: string | number): ApiCall['body'] {
    const all = this.messages(chatId);
    if (!all.length) throw new Error(`nothing was sent to chat ${chatId}`);
    return all[all.length - 1];
  }

  lastText(chatId: string | number): string {
    return this.lastMessage(chatId).text as string;
  }

  /** The inline (or reply-keyboard) buttons of a message, flattened. */
  buttons(message: ApiCall['body']): Button[] {
    const markup = message.reply_markup ?? {};
    return ((markup.inline_keyboard ?? markup.keyboard ?? []) as Button[][]).flat();
  }

  lastButtons(chatId: string | number): Button[] {
    return this.buttons(this.lastMessage(chatId));
  }

  /** The data of the last message's button whose label contains `label`. */
  buttonData(chatId: string | number, label: string): string {
    const button = this.lastButtons(chatId).find((b) => b.text.includes(label));
    if (!button?.callback_data) throw new Error(`no button "${label}" in: ${JSON.stringify(this.lastButtons(chatId).map((b) => b.text))}`);
    return button.callback_data;
  }

  clear(): void {
    this.calls.length = 0;
  }
}

export interface TgUser {
  id: number;
  first_name: string;
  last_name?: string;
  language_code?: string;
}

let updateCounter = 1;
let messageCounter = 1;

function chatOf(user: TgUser) {
  return { id: user.id, type: 'private' as const, first_name: user.first_name };
}

function fromOf(user: TgUser) {
  return { id: user.id, is_bot: false, first_name: user.first_name, last_name: user.last_name, language_code: user.language_code ?? 'vi' };
}

export function textUpdate(user: TgUser, text: string, extra: Record<string, unknown> = {}): Update {
  return {
    update_id: updateCounter++,
    message: { message_id: messageCounter++, date: Math.floor(Date.now() / 1000), chat: chatOf(user), from: fromOf(user), text, ...extra },
  } as unknown as Update;
}

export function replyUpdate(user: TgUser, text: string, replyToMessageId: number): Update {
  return textUpdate(user, text, { reply_to_message: { message_id: replyToMessageId, date: 0, chat: chatOf(user), text: '…' } });
}

export function contactUpdate(user: TgUser, phone: string, ownNumber = true): Update {
  return {
    update_id: updateCounter++,
    message: {
      message_id: messageCounter++,
      date: Math.floor(Date.now() / 1000),
      chat: chatOf(user),
      from: fromOf(user),
      contact: { phone_number: phone, first_name: user.first_name, user_id: ownNumber ? user.id : user.id + 1 },
    },
  } as unknown as Update;
}

/** A message with a photo (in Telegram's several sizes), a document or a location. */
export function mediaUpdate(user: TgUser, media: Record<string, unknown>): Update {
  return {
    update_id: updateCounter++,
    message: { message_id: messageCounter++, date: Math.floor(Date.now() / 1000), chat: chatOf(user), from: fromOf(user), ...media },
  } as unknown as Update;
}

export function buttonUpdate(user: TgUser, data: string, messageId = 1): Update {
  return {
    update_id: updateCounter++,
    callback_query: {
      id: `cq${updateCounter}`,
      from: fromOf(user),
      chat_instance: 'ci',
      data,
      message: { message_id: messageId, date: 0, chat: chatOf(user), text: '…' },
    },
  } as unknown as Update;
}

/** The chat core and a Telegram bot wired together as the app wires them, on a fake Bot API. */
export function createTelegramTestBot(opts: { clock?: () => Date } = {}): { bot: Bot; tg: FakeTelegram; core: ChatCore; notifier: Notifier } {
  const tg = new FakeTelegram();
  const logger = createLogger('silent');
  const notifier = new Notifier(logger);
  const core = new ChatCore({ notifier, logger, clock: opts.clock });
  const { bot, sender } = createTelegramBot({ token: '123456:TEST-token', core, logger, botInfo: BOT_INFO, fetch: tg.fetch });
  notifier.register(sender);
  return { bot, tg, core, notifier };
}
