/**
 * One HTTP call to a Zalo API with a deadline. Zalo answers JSON even for errors, so the body is
 * returned parsed whatever the status; a network failure or timeout becomes a ZaloNetworkError,
 * which callers treat as "try later", never as a refusal.
 */
import { maskSecrets } from '../../../app/logger.js';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export class ZaloNetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZaloNetworkError';
  }
}

export async function callJson(
  url: string,
  init: RequestInit,
  opts: { fetch?: FetchLike; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<{ status: number; body: unknown }> {
  const doFetch = opts.fetch ?? fetch;
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? 15_000);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  let res: Response;
  try {
    res = await doFetch(url, { ...init, signal });
  } catch (err) {
    // The URL may carry a bot token: never put it in the message.
    throw new ZaloNetworkError(maskSecrets(`Zalo API unreachable: ${err instanceof Error ? `${err.name} ${err.message}` : String(err)}`));
  }
  const text = await res.text().catch(() => '');
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { raw: text.slice(0, 200) };
  }
  return { status: res.status, body };
}
