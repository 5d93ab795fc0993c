import type { Logger } from '../../../app/logger.js';
import type { ChannelSender, Reply, SendResult } from '../../core/types.js';
import { ZaloNetworkError } from '../shared/http.js';
import { readerLanguage, replyMessages } from '../shared/render.js';
import { ZaloBotApiError, type ZaloBotClient } from './client.js';

/**
 * The outbound side of the Zalo Bot adapter. Text only: each reply becomes one or more messages
 * under 2,000 characters, choices as a numbered list. Error codes are not documented by the platform;
 * they are read Telegram-style (403 blocked, 429 too many requests), UNCONFIRMED.
 */
export class ZaloBotSender implements ChannelSender {
  readonly channel = 'zalo_bot' as const;

  constructor(private readonly deps: { client: ZaloBotClient; logger: Logger }) {}

  async send(chatId: string, replies: Reply[]): Promise<SendResult> {
    const messageIds: string[] = [];
    for (const text of replyMessages(replies, await readerLanguage(this.channel, chatId))) {
      try {
        const sent = await this.deps.client.sendMessage(chatId, text);
        if (sent?.message_id) messageIds.push(String(sent.message_id));
      } catch (err) {
        const refused = classifyBotError(err);
        this.deps.logger.warn({ channel: 'zalo_bot', chatId, reason: refused.reason, detail: refused.detail }, 'Zalo Bot message not sent');
        return refused;
      }
    }
    return { ok: true, messageIds };
  }
}

export function classifyBotError(err: unknown): Extract<SendResult, { ok: false }> {
  if (err instanceof ZaloBotApiError) {
    const detail = `Zalo Bot error ${err.errorCode}: ${err.description}`;
    if (err.errorCode === 403) return { ok: false, reason: 'blocked', detail };
    if (err.errorCode === 429) return { ok: false, reason: 'rate_limited', detail, retryAfterSeconds: 1 };
    return { ok: false, reason: 'error', detail };
  }
  if (err instanceof ZaloNetworkError) return { ok: false, reason: 'error', detail: err.message };
  return { ok: false, reason: 'error', detail: err instanceof Error ? err.message : String(err) };
}
