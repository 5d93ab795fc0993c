import type { Logger } from '../../../app/logger.js';
import type { ChannelSender, Reply, SendResult } from '../../core/types.js';
import { ZaloNetworkError } from '../shared/http.js';
import { readerLanguage, replyMessages } from '../shared/render.js';
import type { ZaloOaClient } from './client.js';
import { classifyOaError, isTokenError } from './errors.js';
import type { OaTokenManager } from './tokens.js';

/**
 * The outbound side of the Zalo OA adapter, used for replies and for everything the notifier
 * relays to a follower. Every refusal comes back classified (`quota`, `blocked`, `error`) with
 * Zalo's code and reason in `detail`, so whoever tried is told exactly why; nothing is dropped.
 */
export class OaSender implements ChannelSender {
  readonly channel = 'zalo_oa' as const;

  /** `onPlatform` is told after each call: undefined when Zalo answered, else the network error (the channel's health). */
  constructor(private readonly deps: { client: ZaloOaClient; tokens: OaTokenManager; logger: Logger; onPlatform?(failure?: unknown): void }) {}

  async send(chatId: string, replies: Reply[]): Promise<SendResult> {
    const messageIds: string[] = [];
    for (const text of replyMessages(replies, await readerLanguage(this.channel, chatId))) {
      const result = await this.sendText(chatId, text);
      if (!result.ok) return result;
      messageIds.push(...result.messageIds);
    }
    return { ok: true, messageIds };
  }

  private async sendText(userId: string, text: string): Promise<SendResult> {
    const { client, tokens, logger } = this.deps;
    const token = await tokens.accessToken();
    if (!token) return unavailable();
    try {
      let answer = await client.sendCsText(token, userId, text);
      if (!answer.ok && isTokenError(answer.code)) {
        // Expired or revoked access token: refresh (once, across processes) and retry once.
        const fresh = await tokens.refresh(token);
        if (!fresh) return unavailable();
        answer = await client.sendCsText(fresh, userId, text);
      }
      this.deps.onPlatform?.();
      if (answer.ok) return { ok: true, messageIds: answer.data.message_id ? [String(answer.data.message_id)] : [] };
      const refused = classifyOaError(answer.code, answer.message);
      logger.warn({ channel: 'zalo_oa', userId, code: answer.code, reason: refused.reason, detail: refused.detail }, 'Zalo OA refused a message');
      return refused;
    } catch (err) {
      if (err instanceof ZaloNetworkError) {
        this.deps.onPlatform?.(err);
        return { ok: false, reason: 'error', detail: err.message };
      }
      throw err;
    }
  }
}

function unavailable(): SendResult {
  return { ok: false, reason: 'not_configured', detail: 'Zalo OA access token unavailable (token refresh failed: see the admin panel)' };
}
