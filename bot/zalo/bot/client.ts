import { callJson, type FetchLike } from '../shared/http.js';

/**
 * The Zalo Bot Platform API (Telegram-like): `POST {root}/bot<TOKEN>/<method>` with a JSON body,
 * answers `{ ok: true, result }` or `{ ok: false, error_code, description }`. Methods and fields as
 * in the platform docs (bot.zaloplatforms.com/docs, read through a copy in a public repository):
 * getMe, getUpdates `{ timeout }`, setWebhook `{ url, secret_token }` (secret 8–256 characters, sent
 * back in `X-Bot-Api-Secret-Token`), deleteWebhook, getWebhookInfo, sendMessage `{ chat_id, text }`
 * (1–2,000 characters), sendChatAction `{ chat_id, action: 'typing' }`.
 *
 * UNCONFIRMED: the docs show getUpdates returning ONE update object (not an array) and no
 * `update_id`; both shapes are accepted here. What getUpdates answers when nothing arrived within the
 * timeout is not documented; an error code 408 is treated as "no updates".
 */
export interface ZaloBotUser {
  id: string;
  display_name?: string;
  first_name?: string;
  is_bot?: boolean;
}

export interface ZaloBotMessage {
  message_id: string;
  date?: number;
  text?: string;
  from?: ZaloBotUser;
  chat: { id: string; chat_type?: 'PRIVATE' | 'GROUP' | string };
  photo_url?: string;
  sticker?: string;
}

export interface ZaloBotUpdate {
  event_name?: string;
  message?: ZaloBotMessage;
}

export interface ZaloBotInfo {
  id: string;
  account_name?: string;
  account_type?: string;
  can_join_groups?: boolean;
}

export interface ZaloWebhookInfo {
  url: string;
  updated_at?: number;
}

export interface ZaloSentMessage {
  message_id: string;
  date?: number;
}

export class ZaloBotApiError extends Error {
  constructor(
    readonly method: string,
    readonly errorCode: number,
    readonly description: string,
  ) {
    super(`Zalo Bot API ${method} failed: ${errorCode} ${description}`);
    this.name = 'ZaloBotApiError';
  }
}

export class ZaloBotClient {
  constructor(private readonly opts: { token: string; apiRoot: string; fetch?: FetchLike; timeoutMs?: number }) {}

  getMe(): Promise<ZaloBotInfo> {
    return this.call('getMe', {});
  }

  /** Long polling: waits up to `timeoutSeconds` for updates. Returns them as a list (possibly empty). */
  async getUpdates(timeoutSeconds = 30, signal?: AbortSignal): Promise<ZaloBotUpdate[]> {
    try {
      const result = await this.call<ZaloBotUpdate | ZaloBotUpdate[] | null>('getUpdates', { timeout: String(timeoutSeconds) }, {
        timeoutMs: (timeoutSeconds + 10) * 1000,
        signal,
      });
      if (!result) return [];
      return Array.isArray(result) ? result : [result];
    } catch (err) {
      if (err instanceof ZaloBotApiError && err.errorCode === 408) return [];
      throw err;
    }
  }

  setWebhook(url: string, secretToken: string): Promise<ZaloWebhookInfo> {
    return this.call('setWebhook', { url, secret_token: secretToken });
  }

  deleteWebhook(): Promise<ZaloWebhookInfo> {
    return this.call('deleteWebhook', {});
  }

  getWebhookInfo(): Promise<ZaloWebhookInfo> {
    return this.call('getWebhookInfo', {});
  }

  sendMessage(chatId: string, text: string): Promise<ZaloSentMessage> {
    return this.call('sendMessage', { chat_id: chatId, text });
  }

  sendChatAction(chatId: string, action: 'typing' = 'typing'): Promise<boolean> {
    return this.call('sendChatAction', { chat_id: chatId, action });
  }

  private async call<T>(method: string, body: Record<string, unknown>, extra: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<T> {
    const { status, body: answer } = await callJson(
      `${this.opts.apiRoot}/bot${this.opts.token}/${method}`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
      { fetch: this.opts.fetch, timeoutMs: extra.timeoutMs ?? this.opts.timeoutMs, signal: extra.signal },
    );
    const a = (answer ?? {}) as { ok?: boolean; result?: unknown; error_code?: unknown; description?: unknown };
    if (a.ok === true) return (a.result ?? true) as T;
    throw new ZaloBotApiError(method, Number(a.error_code ?? status) || status, String(a.description ?? `HTTP ${status}`).slice(0, 300));
  }
}
