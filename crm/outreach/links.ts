import { Types } from 'mongoose';
import { sign, verifySignature } from './signing.js';

/** Paths of the public pages the links lead to (mounted by app/outreachRoutes.ts). */
export const UNSUBSCRIBE_PATH = '/unsubscribe';
export const OPEN_PIXEL_PATH = '/email/open';

/**
 * An unsubscribe token: `<customer id>.<expiry, unix seconds in base 36>.<signature>`. It names the
 * customer, not an address, so the opt-out lands on the record whichever address it was sent to.
 */
export function unsubscribeToken(customerId: Types.ObjectId | string, expiresAt: Date): string {
  const data = `${String(customerId)}.${Math.floor(expiresAt.getTime() / 1000).toString(36)}`;
  return `${data}.${sign('unsubscribe', data)}`;
}

export type TokenCheck = { ok: true; customerId: Types.ObjectId } | { ok: false; why: 'malformed' | 'forged' | 'expired' };

export function readUnsubscribeToken(token: unknown, now: Date = new Date()): TokenCheck {
  if (typeof token !== 'string' || token.length > 100) return { ok: false, why: 'malformed' };
  const m = /^([0-9a-f]{24})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return { ok: false, why: 'malformed' };
  const [, id, exp, signature] = m;
  if (!verifySignature('unsubscribe', `${id}.${exp}`, signature!)) return { ok: false, why: 'forged' };
  // Checked after the signature, so only chot's own links are told they expired.
  if (parseInt(exp!, 36) * 1000 < now.getTime()) return { ok: false, why: 'expired' };
  return { ok: true, customerId: new Types.ObjectId(id) };
}

export function unsubscribeUrl(baseUrl: string, customerId: Types.ObjectId | string, expiresAt: Date): string {
  return `${baseUrl}${UNSUBSCRIBE_PATH}/${unsubscribeToken(customerId, expiresAt)}`;
}

/** The open pixel's token: the tracking id (any text the caller chose) and customer, signed. */
export function openPixelUrl(baseUrl: string, customerId: Types.ObjectId | string, trackingId: string): string {
  const data = Buffer.from(`${String(customerId)}:${trackingId}`, 'utf8').toString('base64url');
  return `${baseUrl}${OPEN_PIXEL_PATH}/${data}.${sign('open', data)}.gif`;
}

export function readOpenPixel(token: unknown): { customerId: Types.ObjectId; trackingId: string } | undefined {
  if (typeof token !== 'string' || token.length > 400) return undefined;
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{22})(?:\.gif)?$/.exec(token);
  if (!m || !verifySignature('open', m[1]!, m[2]!)) return undefined;
  const text = Buffer.from(m[1]!, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  const id = text.slice(0, colon);
  if (colon < 0 || !Types.ObjectId.isValid(id) || id.length !== 24) return undefined;
  return { customerId: new Types.ObjectId(id), trackingId: text.slice(colon + 1) };
}
