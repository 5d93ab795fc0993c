import crypto from 'node:crypto';
import { SigningKey } from '../../models/signingKey.js';

/**
 * Signs the links chot puts in messages to customers (unsubscribe, open pixel) so that they work
 * without logging in yet cannot be made up for somebody else. One key per process, derived per
 * purpose so a pixel signature can never pass as an unsubscribe one.
 */
let baseKey: Buffer | undefined;

/**
 * The key comes from UNSUBSCRIBE_SECRET, else SESSION_SECRET, else one generated once and stored in
 * the database (a random per-process key would break links signed by the worker and opened on the
 * web process, or sent before a restart).
 */
export async function loadSigningKey(configured: string | undefined): Promise<void> {
  if (configured) {
    baseKey = Buffer.from(configured, 'utf8');
    return;
  }
  const doc = await SigningKey.findOneAndUpdate(
    { name: 'outreach-links' },
    { $setOnInsert: { name: 'outreach-links', key: crypto.randomBytes(32).toString('hex') } },
    { upsert: true, returnDocument: 'after', lean: true },
  );
  baseKey = Buffer.from(doc!.key, 'utf8');
}

function keyFor(purpose: string): Buffer {
  if (!baseKey) throw new Error('outreach signing key not loaded (loadSigningKey at start-up)');
  return crypto.createHmac('sha256', baseKey).update(`chot-outreach:${purpose}`).digest();
}

/** 128 bits of HMAC-SHA256, base64url: short enough for a URL, far beyond guessing. */
export function sign(purpose: string, data: string): string {
  return crypto.createHmac('sha256', keyFor(purpose)).update(data).digest().subarray(0, 16).toString('base64url');
}

export function verifySignature(purpose: string, data: string, signature: string): boolean {
  const expected = Buffer.from(sign(purpose, data));
  const given = Buffer.from(signature);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}
