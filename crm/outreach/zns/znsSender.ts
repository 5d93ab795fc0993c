import { callJson, ZaloNetworkError, type FetchLike } from '../../../bot/zalo/shared/http.js';
import { vietnameseMobile } from '../address.js';
import type { OutreachMessage, OutreachResult, OutreachSender } from '../types.js';
import { classifyZnsError, ZNS_TOKEN_ERRORS } from './znsErrors.js';

/** The OA's access token, kept fresh by the Zalo OA channel (bot/zalo/oa/tokens.ts). */
export interface ZnsTokenSource {
  accessToken(): Promise<string | null>;
  /** A refresh after Zalo refused `staleToken`: once across processes, the new token or null. */
  refresh(staleToken?: string): Promise<string | null>;
}

export interface ZnsSenderOptions {
  /** ZALO_ZNS_API_ROOT: Zalo's business API, or a fake in tests. */
  apiRoot: string;
  /** The running OA's token manager; a function because the OA channel may start after this sender. */
  tokens: () => ZnsTokenSource | undefined;
  /** What one message costs, for reports (ZNS is charged per message sent). */
  priceVnd: number;
  fetch?: FetchLike;
  timeoutMs?: number;
  clock?: () => Date;
}

/**
 * Zalo Notification Service: an approved template sent to a phone number, reaching people who never
 * followed the OA.
 *
 * API facts. CONFIRMED (search tool, 2026-12; integrators' SDK sources and tool schemas, Zalo's own
 * reference could not be opened): `POST https://business.openapi.zalo.me/message/template`, JSON
 * body `{ phone, template_id, template_data, tracking_id }`, phone as 84xxxxxxxxx (no plus, no
 * leading 0), answer `{ error, message, data: { msg_id, sent_time, quota } }` with `error` 0 on
 * success; templates must be approved by Zalo before use. ASSUMED: the OA access token goes in an
 * `access_token` header as for the OA API (bot/zalo/oa/client.ts); the error codes as listed in
 * znsErrors.ts; tracking_id is echoed in Zalo's delivery reports.
 */
export class ZnsSender implements OutreachSender {
  readonly channel = 'zns' as const;

  constructor(private readonly opts: ZnsSenderOptions) {}

  async send(address: string, message: OutreachMessage): Promise<OutreachResult> {
    const mobile = vietnameseMobile([address]);
    if (!mobile) return { ok: false, reason: 'invalid_address', detail: 'not a Vietnamese mobile number' };
    if (!message.zns?.templateId) return { ok: false, reason: 'template_rejected', detail: 'a ZNS message needs a Zalo template id' };
    const tokens = this.opts.tokens();
    let token = await tokens?.accessToken();
    if (!tokens || !token) return { ok: false, reason: 'not_configured', detail: 'no Zalo OA access token: Zalo OA must be connected for ZNS' };
    const body = JSON.stringify({
      phone: mobile.slice(1),
      template_id: message.zns.templateId,
      template_data: message.zns.params,
      tracking_id: message.trackingId,
    });
    try {
      let answer = await this.post(token, body);
      if (ZNS_TOKEN_ERRORS.has(answer.code)) {
        // Refused before sending: safe to try once more with a fresh token.
        const fresh = await tokens.refresh(token);
        if (!fresh) return { ok: false, reason: 'not_configured', code: String(answer.code), detail: 'Zalo OA access token expired and could not be refreshed' };
        token = fresh;
        answer = await this.post(token, body);
      }
      if (answer.httpStatus === 429) return { ok: false, reason: 'rate_limited', code: '429', retryAfterSeconds: 60, detail: 'Zalo ZNS: too many requests' };
      if (answer.code === 0 && answer.httpStatus < 300) return { ok: true, providerId: answer.msgId, costVnd: this.opts.priceVnd };
      if (answer.code === 0) return { ok: false, reason: 'error', code: `http_${answer.httpStatus}`, detail: `Zalo ZNS answered HTTP ${answer.httpStatus}` };
      return classifyZnsError(answer.code, answer.message, this.opts.clock?.() ?? new Date());
    } catch (err) {
      // No answer: Zalo may or may not have sent it, so it is not repeated.
      if (err instanceof ZaloNetworkError) return { ok: false, reason: 'error', detail: err.message };
      throw err;
    }
  }

  private async post(token: string, body: string): Promise<{ httpStatus: number; code: number; message: string; msgId?: string }> {
    const { status, body: answer } = await callJson(
      `${this.opts.apiRoot}/message/template`,
      { method: 'POST', headers: { 'Content-Type': 'application/json', access_token: token }, body },
      { fetch: this.opts.fetch, timeoutMs: this.opts.timeoutMs },
    );
    const a = (answer ?? {}) as { error?: unknown; message?: unknown; data?: { msg_id?: unknown } };
    const code = typeof a.error === 'number' ? a.error : Number(a.error ?? (status < 300 ? 0 : NaN));
    return {
      httpStatus: status,
      code: Number.isFinite(code) ? code : -1,
      message: typeof a.message === 'string' ? a.message : '',
      msgId: a.data?.msg_id !== undefined ? String(a.data.msg_id) : undefined,
    };
  }
}
