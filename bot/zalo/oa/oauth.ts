import { callJson, type FetchLike } from '../shared/http.js';

/**
 * Zalo's OAuth v4 for Official Accounts: trading the (single-use) refresh token for a new pair.
 * `POST {oauthRoot}/v4/oa/access_token`, header `secret_key` (the APP's secret), form `app_id`,
 * `grant_type=refresh_token`, `refresh_token`; confirmed by several integration guides. The answer is
 * `{ access_token, refresh_token, expires_in }` with `expires_in` in seconds as a string ("90000");
 * an error is `{ error: <negative>, error_name, error_description }` (shape confirmed by guides,
 * codes not).
 */
export interface OaTokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token lives. */
  expiresIn: number;
}

export type RefreshOutcome = { ok: true; pair: OaTokenPair } | { ok: false; code: string; message: string };

export class ZaloOauthClient {
  constructor(private readonly opts: { oauthRoot: string; appId: string; secretKey: string; fetch?: FetchLike; timeoutMs?: number }) {}

  /** Throws ZaloNetworkError when Zalo cannot be reached (the refresh token is then NOT known to be spent). */
  async refresh(refreshToken: string): Promise<RefreshOutcome> {
    const form = new URLSearchParams({ app_id: this.opts.appId, grant_type: 'refresh_token', refresh_token: refreshToken });
    const { status, body } = await callJson(
      `${this.opts.oauthRoot}/v4/oa/access_token`,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: this.opts.secretKey }, body: form.toString() },
      { fetch: this.opts.fetch, timeoutMs: this.opts.timeoutMs },
    );
    const a = (body ?? {}) as Record<string, unknown>;
    if (typeof a.access_token === 'string' && a.access_token && typeof a.refresh_token === 'string' && a.refresh_token) {
      const expiresIn = Number(a.expires_in);
      return { ok: true, pair: { accessToken: a.access_token, refreshToken: a.refresh_token, expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 90_000 } };
    }
    const code = a.error !== undefined ? String(a.error) : `http_${status}`;
    const message = String(a.error_description ?? a.error_name ?? a.message ?? 'no token in answer').slice(0, 300);
    return { ok: false, code, message };
  }
}
