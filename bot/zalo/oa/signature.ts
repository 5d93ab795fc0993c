import crypto from 'node:crypto';

/**
 * Zalo OA webhook signature: header `X-ZEvent-Signature: mac=<hex>`, the hex being
 * SHA-256(app_id + raw body + timestamp + OA secret key), where the timestamp is the event's own
 * `timestamp` field (milliseconds). Confirmed by Vietnamese integration write-ups of Zalo's docs
 * (the key is the OA secret key, not the app secret); the exact header layout (`mac=` prefix) comes
 * from STACK.md and SDKs, not from Zalo's page itself.
 *
 * The check runs on the raw bytes before any JSON parsing: the timestamp is read from the raw text
 * (a top-level `"timestamp":` can only appear unescaped outside string values), and after parsing the
 * caller confirms the parsed timestamp is the signed one.
 */
export function oaSignature(appId: string, rawBody: string, timestamp: string, secretKey: string): string {
  return crypto.createHash('sha256').update(appId + rawBody + timestamp + secretKey, 'utf8').digest('hex');
}

export function readRawTimestamp(rawBody: string): string | null {
  const match = /"timestamp"\s*:\s*"?(\d{10,16})"?/.exec(rawBody);
  return match ? match[1]! : null;
}

export type SignatureCheck = { ok: true; timestamp: string } | { ok: false; why: 'missing' | 'malformed' | 'mismatch' };

export function verifyOaSignature(opts: { appId: string; secretKey: string; rawBody: string; header: string | undefined }): SignatureCheck {
  const header = opts.header?.trim();
  if (!header) return { ok: false, why: 'missing' };
  const given = /^mac=([0-9a-fA-F]{64})$/.exec(header)?.[1];
  const timestamp = readRawTimestamp(opts.rawBody);
  if (!given || !timestamp) return { ok: false, why: 'malformed' };
  const expected = Buffer.from(oaSignature(opts.appId, opts.rawBody, timestamp, opts.secretKey), 'hex');
  const actual = Buffer.from(given.toLowerCase(), 'hex');
  // Same length by construction (both 32 bytes), so timingSafeEqual cannot throw.
  if (actual.length !== expected.length || !crypto.timingSafeEqual(actual, expected)) return { ok: false, why: 'mismatch' };
  return { ok: true, timestamp };
}
