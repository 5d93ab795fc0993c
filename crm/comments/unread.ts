import type { Types } from 'mongoose';
import { CommentRead } from '../../models/commentRead.js';
import { Customer } from '../../models/customer.js';
import { actorUserId, type Actor } from '../users/actor.js';
import { sameId } from '../shared/ids.js';
import type { FindSpec } from '../shared/readTogether.js';

/**
 * "Mới cập nhật": how many comments each person has not read, per customer they own or follow.
 * Kept as a counter per person and customer (models/commentRead.ts), moved by the comment writes,
 * so /today, the digest and the panel read it with one query.
 */

/** A new comment counts as unread for the owner and followers, never for its author. */
export async function countNewComment(customer: { _id: Types.ObjectId; owner?: Types.ObjectId | null; followers?: { user?: Types.ObjectId | null }[] | null }, author: Types.ObjectId, at: Date): Promise<void> {
  const readers = [customer.owner, ...(customer.followers ?? []).map((f) => f.user)].filter((u): u is Types.ObjectId => Boolean(u) && !sameId(u, author));
  const unique = readers.filter((u, i) => readers.findIndex((x) => sameId(x, u)) === i);
  await Promise.all(
    unique.map((user) =>
      CommentRead.updateOne({ user, customer: customer._id }, { $inc: { unread: 1 }, $set: { lastAt: at }, $setOnInsert: { user, customer: customer._id } }, { upsert: true }),
    ),
  );
}

/** A deleted comment stops counting for whoever had not read the customer since it was written. */
export async function uncountDeletedComment(customerId: Types.ObjectId, author: Types.ObjectId, writtenAt: Date): Promise<void> {
  await CommentRead.updateMany(
    { customer: customerId, user: { $ne: author }, unread: { $gt: 0 }, $or: [{ readAt: null }, { readAt: { $lt: writtenAt } }] },
    { $inc: { unread: -1 } },
  );
}

/** Opening the card reads its comments. No write when there was nothing unread. */
export async function markCommentsRead(actor: Actor, customerId: Types.ObjectId, now: Date = new Date()): Promise<void> {
  const user = actorUserId(actor);
  if (!user) return;
  await CommentRead.updateOne(unreadMarkFilter(user, customerId), { $set: { unread: 0, readAt: now } });
}

function unreadMarkFilter(user: Types.ObjectId, customerId: Types.ObjectId) {
  return { user, customer: customerId, unread: { $gt: 0 } };
}

/**
 * The read state markCommentsRead would change, if any: a card reads it with its other reads and
 * writes only when there is something unread, which is seldom.
 */
export function unreadMarkFind(user: Types.ObjectId, customerId: Types.ObjectId): FindSpec {
  return { model: CommentRead, filter: unreadMarkFilter(user, customerId), limit: 1 };
}

export interface UnreadSummary {
  total: number;
  /** The customers with unread comments, latest first (at most `limit`). */
  customers: { _id: Types.ObjectId; code: string; name: string; unread: number }[];
}

export async function unreadComments(userId: Types.ObjectId, limit = 5): Promise<UnreadSummary> {
  const marks = await CommentRead.find({ user: userId, unread: { $gt: 0 } }).sort({ lastAt: -1 }).select('customer unread').lean();
  const total = marks.reduce((sum, m) => sum + m.unread, 0);
  const top = marks.slice(0, limit);
  if (!top.length) return { total, customers: [] };
  const customers = await Customer.find({ _id: { $in: top.map((m) => m.customer) }, deletedAt: null }).select('code name').lean();
  return {
    total,
    customers: top.flatMap((m) => {
      const c = customers.find((x) => sameId(x._id, m.customer));
      return c ? [{ _id: c._id, code: c.code, name: c.name, unread: m.unread }] : [];
    }),
  };
}
