import type { SendResult } from '../../core/types.js';

/**
 * What a Zalo OA error code means for a send. The codes come from Zalo's OA API error table as
 * reproduced by integrators (doc.caresoft.vn and SDK sources); Zalo's own page could not be read
 * from here, so the groupings below are UNCONFIRMED beyond -216 (token) and are kept in one place
 * to be corrected easily. An unknown code is reported as `error` with the code in the detail.
 */
export const OA_TOKEN_ERRORS = new Set([-216, -220, -124]);
/** The user cannot be written to at all: not a follower, blocked the OA, unknown id. */
const UNREACHABLE = new Set([-213, -217, -207]);
/** Out of the free-reply window, or out of message quota: may work later or with a paid type. */
const QUOTA = new Set([-211, -218, -230, -232, -233, -234, -320]);

export function isTokenError(code: number): boolean {
  return OA_TOKEN_ERRORS.has(code);
}

export function classifyOaError(code: number, message: string): Extract<SendResult, { ok: false }> {
  // The code goes into the detail so the salesperson (and the log) sees exactly what Zalo said.
  const detail = `Zalo OA error ${code}: ${message}`;
  if (UNREACHABLE.has(code)) return { ok: false, reason: 'blocked', detail };
  if (QUOTA.has(code)) return { ok: false, reason: 'quota', detail };
  return { ok: false, reason: 'error', detail };
}
