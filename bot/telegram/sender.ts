import { GrammyError, HttpError, InputFile, type Api } from 'grammy';
import type { InlineKeyboardButton, KeyboardButton, ReplyKeyboardMarkup, InlineKeyboardMarkup, ReplyKeyboardRemove } from 'grammy/types';
import type { Logger } from '../../app/logger.js';
import type { ChannelSender, Reply, SendOptions, SendResult } from '../core/types.js';

/** Telegram's limit for one message's text. */
const MAX_MESSAGE = 4096;
/** Telegram's limit for a document's caption. */
const MAX_CAPTION = 1024;
/**
 * How long one message may take, retries included. @grammyjs/auto-retry waits out 429s and 5xx a few
 * times but retries network errors without limit; past this the send is reported as failed.
 */
const SEND_DEADLINE_MS = 30_000;
/** Buttons this short sit two to a row; longer ones get a row each so they stay readable. */
const SHORT_LABEL = 18;

/**
 * Core replies → Bot API calls. Texts go out as plain text (no parse mode), so nothing a customer
 * or salesperson typed can turn into markup. Choices become inline buttons; a phone request
 * becomes a reply keyboard with the share-contact button (its choices become text buttons, which
 * the core matches by label).
 */
export class TelegramSender implements ChannelSender {
  readonly channel = 'telegram' as const;

  readonly sendsDocuments = true;

  private readonly deadlineMs: number;

  private readonly onceApi: Api;

  /** `onceApi`: the same Bot API without the retries of 5xx and network errors (SendOptions.atMostOnce). */
  constructor(
    private readonly api: Api,
    private readonly logger?: Logger,
    opts: { deadlineMs?: number; onceApi?: Api } = {},
  ) {
    this.deadlineMs = opts.deadlineMs ?? SEND_DEADLINE_MS;
    this.onceApi = opts.onceApi ?? api;
  }

  async send(chatId: string, replies: Reply[], opts: SendOptions = {}): Promise<SendResult> {
    const messageIds: string[] = [];
    const api = opts.atMostOnce ? this.onceApi : this.api;
    try {
      for (const reply of replies) {
        if (reply.document) {
          // A file goes up as multipart (sendDocument), its text as the caption, its choices as buttons.
          const doc = await api.sendDocument(
            chatId,
            new InputFile(reply.document.bytes, reply.document.filename),
            { caption: clip(reply.text, MAX_CAPTION), reply_markup: markupFor(reply) },
            AbortSignal.timeout(this.deadlineMs) as Parameters<Api['sendDocument']>[3],
          );
          messageIds.push(String(doc.message_id));
          continue;
        }
        // The deadline ends auto-retry's waits too: without it a network error is retried forever.
        const sent = await api.sendMessage(
          chatId,
          clip(reply.text),
          { reply_markup: markupFor(reply), link_preview_options: { is_disabled: true } },
          AbortSignal.timeout(this.deadlineMs) as Parameters<Api['sendMessage']>[3],
        );
        messageIds.push(String(sent.message_id));
      }
      return { ok: true, messageIds };
    } catch (err) {
      const result = classifySendError(err);
      this.logger?.debug({ chatId, reason: result.ok ? undefined : result.reason }, 'telegram send failed');
      return result;
    }
  }
}

function clip(text: string, max = MAX_MESSAGE): string {
  const safe = text || '…';
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}

export function markupFor(reply: Reply): InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove {
  const choices = reply.choices ?? [];
  if (reply.requestPhone) {
    const keyboard: KeyboardButton[][] = [[{ text: reply.requestPhoneLabel ?? '📱', request_contact: true }], ...choices.map((c) => [{ text: c.label }])];
    return { keyboard, one_time_keyboard: true, resize_keyboard: true };
  }
  if (!choices.length) return { remove_keyboard: true };
  const rows: InlineKeyboardButton[][] = [];
  for (const choice of choices) {
    const button = { text: choice.label, callback_data: choice.data };
    const last = rows[rows.length - 1];
    if (last && last.length === 1 && last[0].text.length <= SHORT_LABEL && choice.label.length <= SHORT_LABEL) last.push(button);
    else rows.push([button]);
  }
  return { inline_keyboard: rows };
}

/** A failed Bot API call, in the terms every channel shares. */
export function classifySendError(err: unknown): SendResult {
  if (err instanceof GrammyError) {
    if (err.error_code === 403) return { ok: false, reason: 'blocked', detail: err.description };
    if (err.error_code === 429) return { ok: false, reason: 'rate_limited', retryAfterSeconds: err.parameters?.retry_after ?? 30, detail: err.description };
    return { ok: false, reason: 'error', detail: `${err.error_code} ${err.description}` };
  }
  if (err instanceof HttpError) return { ok: false, reason: 'error', detail: 'network error reaching Telegram' };
  return { ok: false, reason: 'error', detail: err instanceof Error ? err.message : String(err) };
}
