import { callJson, type FetchLike } from '../shared/http.js';

/**
 * The Zalo Official Account Open API v3, as far as chot uses it. Only transport and Zalo's answer
 * shapes live here; which token to use and what an error means for a send is decided above.
 *
 * Facts (STACK.md, checked against third-party copies of Zalo's docs; the official pages at
 * developers.zalo.me could not be read from here):
 * - `POST {root}/v3.0/oa/message/cs`, header `access_token`, JSON `{ recipient: { user_id }, message: { text } }`:
 *   confirmed by several SDKs.
 * - answer `{ error: 0, message: 'Success', data: { message_id, user_id } }`; on failure `error` is a
 *   negative code and `message` the reason: confirmed by SDK typings, the exact codes are not.
 */
export interface OaApiOk<T> {
  ok: true;
  data: T;
}
export interface OaApiError {
  ok: false;
  /** Zalo's numeric error code (negative), or 0 when the answer was not Zalo's JSON. */
  code: number;
  message: string;
}
export type OaApiResult<T> = OaApiOk<T> | OaApiError;

export interface OaSentMessage {
  message_id: string;
  user_id?: string;
}

export class ZaloOaClient {
  constructor(private readonly opts: { apiRoot: string; fetch?: FetchLike; timeoutMs?: number }) {}

  /** A customer-service (consultation) text: free inside Zalo's window after the user's last message. */
  async sendCsText(accessToken: string, userId: string, text: string): Promise<OaApiResult<OaSentMessage>> {
    return this.post<OaSentMessage>('/v3.0/oa/message/cs', accessToken, { recipient: { user_id: userId }, message: { text } });
  }

  private async post<T>(path: string, accessToken: string, body: unknown): Promise<OaApiResult<T>> {
    const { status, body: answer } = await callJson(
      `${this.opts.apiRoot}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json', access_token: accessToken }, body: JSON.stringify(body) },
      { fetch: this.opts.fetch, timeoutMs: this.opts.timeoutMs },
    );
    return readOaAnswer<T>(status, answer);
  }
}

export function readOaAnswer<T>(status: number, answer: unknown): OaApiResult<T> {
  const a = (answer ?? {}) as { error?: unknown; message?: unknown; data?: unknown };
  const code = Number(a.error);
  if (a.error !== undefined && Number.isFinite(code) && code === 0) return { ok: true, data: (a.data ?? {}) as T };
  if (a.error !== undefined && Number.isFinite(code)) return { ok: false, code, message: String(a.message ?? 'unknown error').slice(0, 300) };
  return { ok: false, code: 0, message: `unexpected answer (HTTP ${status})` };
}
