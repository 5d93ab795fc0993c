import type { OutreachResult } from '../types.js';

type Refusal = Extract<OutreachResult, { ok: false }>;

/** How long a temporary refusal (4xx) waits before the next try: mail servers greylist for minutes. */
const TEMPORARY_RETRY_SECONDS = 300;

/** Reply texts that say the mailbox or domain does not exist, when a server gives no 5.1.x code. */
const NO_SUCH_ADDRESS = /no such (user|mailbox|recipient)|user unknown|unknown user|mailbox (unavailable|not found|does not exist)|does not exist|invalid (recipient|address|mailbox)|recipient (address )?rejected|address rejected|bad destination/i;

/**
 * An SMTP failure as an outreach result, keeping the server's code. 5xx is permanent: an address
 * problem (5.1.x, 550 "user unknown", 551, 553) is `invalid_address`, anything else (policy, spam,
 * size) `refused`. 4xx is temporary and may be tried again later. No answer at all (connection
 * lost, timeout) is an `error`: whether the message went out is unknown, so it is not repeated.
 */
export function classifySmtpError(err: unknown): Refusal {
  const e = (err ?? {}) as { responseCode?: unknown; response?: unknown; code?: unknown; message?: unknown };
  const response = typeof e.response === 'string' ? e.response.slice(0, 300) : undefined;
  const detail = response ?? (typeof e.message === 'string' ? e.message.slice(0, 300) : String(err));
  const status = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  if (status !== undefined && status >= 500) {
    const enhanced = /\b5\.(\d)\.\d{1,3}\b/.exec(response ?? '')?.[1];
    const addressProblem = enhanced === '1' || status === 551 || status === 553 || (enhanced === undefined && NO_SUCH_ADDRESS.test(response ?? ''));
    if (status === 535 || status === 530) return { ok: false, reason: 'not_configured', code: String(status), detail: `SMTP login refused: ${detail}` };
    return { ok: false, reason: addressProblem ? 'invalid_address' : 'refused', code: String(status), detail };
  }
  if (status !== undefined && status >= 400) return { ok: false, reason: 'rate_limited', code: String(status), detail, retryAfterSeconds: TEMPORARY_RETRY_SECONDS };
  if (e.code === 'EAUTH') return { ok: false, reason: 'not_configured', code: 'EAUTH', detail: `SMTP login refused: ${detail}` };
  return { ok: false, reason: 'error', code: typeof e.code === 'string' ? e.code : undefined, detail };
}
