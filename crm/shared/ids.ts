import { Types } from 'mongoose';
import { CrmError, type CrmErrorCode } from './errors.js';

export type Id = Types.ObjectId | string;

/**
 * Turns an id from outside (chat button, URL, form) into an ObjectId, or refuses as "not found":
 * a malformed id never reaches a query, so `{"$gt": ""}` and friends cannot either.
 */
export function toObjectId(id: unknown, notFound: CrmErrorCode): Types.ObjectId {
  if (id instanceof Types.ObjectId) return id;
  if (typeof id === 'string' && /^[0-9a-fA-F]{24}$/.test(id)) return new Types.ObjectId(id);
  throw new CrmError(notFound);
}

export function sameId(a: Id | null | undefined, b: Id | null | undefined): boolean {
  return a != null && b != null && String(a) === String(b);
}
