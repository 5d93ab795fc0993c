import type { OutreachResult } from '../types.js';

type Refusal = Extract<OutreachResult, { ok: false }>;

/*
 * Zalo ZNS error codes. What is CONFIRMED and what is ASSUMED (checked 2026-12 with the search tool;
 * Zalo's developer site itself could not be opened from here):
 * - Confirmed from Zalo's own guide "Cách xử lý mã lỗi" (zalo.cloud/zns/guidelines/handle-error-code):
 *   0 success, -100 unknown error, -101..-105 application problems, -108 phone number invalid,
 *   -109 template id invalid, -110 Zalo version unsupported, -111 template data empty,
 *   -112 template data invalid.
 * - Assumed (the same guide's later rows, whose numbers did not show in the excerpt; the names come
 *   from Getfly's copy of the table, the numbers from integrators' SDKs): -114 user inactive or
 *   refusing ZNS, -115 out of quota, -117 OA/app has no permission for the template (not approved
 *   for it), -118 Zalo account does not exist (phone not on Zalo), -119 account cannot receive,
 *   -124 access token invalid, -131 template not approved/disabled, -133 outside the hours ZNS may
 *   be sent, -144 daily quota exceeded.
 * Unknown codes fall back to words in Zalo's message, then to `error` with the code kept.
 */
const INVALID_ADDRESS = new Set([-108, -118, -119]);
const TEMPLATE = new Set([-109, -111, -112, -117, -131]);
const QUOTA = new Set([-115, -144]);
const OUT_OF_HOURS = new Set([-133]);
const REFUSED = new Set([-114]);
/** Token expired or revoked (-124 assumed for ZNS; -216 is the OA API's, confirmed there). */
export const ZNS_TOKEN_ERRORS = new Set([-124, -216]);

/** ZNS may not reach people at night; the quiet hours end at 06:00 Vietnam time (assumed 22:00-06:00). */
function secondsUntilSixInVietnam(now: Date): number {
  const vietnam = new Date(now.getTime() + 7 * 3600_000);
  const six = Date.UTC(vietnam.getUTCFullYear(), vietnam.getUTCMonth(), vietnam.getUTCDate(), 6);
  const next = six > vietnam.getTime() ? six : six + 86_400_000;
  return Math.ceil((next - vietnam.getTime()) / 1000);
}

export function classifyZnsError(code: number, message: string, now: Date = new Date()): Refusal {
  const detail = `Zalo ZNS ${code}: ${message}`.slice(0, 300);
  const base = { code: String(code), detail };
  if (INVALID_ADDRESS.has(code)) return { ok: false, reason: 'invalid_address', ...base };
  if (TEMPLATE.has(code)) return { ok: false, reason: 'template_rejected', ...base };
  if (QUOTA.has(code)) return { ok: false, reason: 'quota', ...base };
  if (OUT_OF_HOURS.has(code)) return { ok: false, reason: 'out_of_hours', retryAfterSeconds: secondsUntilSixInVietnam(now), ...base };
  if (REFUSED.has(code)) return { ok: false, reason: 'refused', ...base };
  if (/quota/i.test(message)) return { ok: false, reason: 'quota', ...base };
  if (/template/i.test(message)) return { ok: false, reason: 'template_rejected', ...base };
  if (/phone|zalo account/i.test(message)) return { ok: false, reason: 'invalid_address', ...base };
  if (/time|hour/i.test(message)) return { ok: false, reason: 'out_of_hours', retryAfterSeconds: secondsUntilSixInVietnam(now), ...base };
  return { ok: false, reason: 'error', ...base };
}
