import type { Types } from 'mongoose';
import { Customer } from '../../models/customer.js';
import { CommentRead } from '../../models/commentRead.js';
import { getCustomerForActor, type CustomerRecord } from '../customers/customers.js';
import { toObjectId, sameId } from '../shared/ids.js';
import type { Actor } from '../users/actor.js';
import { User } from '../../models/user.js';

/**
 * Followers of a customer: colleagues named in its comments, who may read the card and comment.
 * The list lives on the customer, so the access check that loads the customer needs no second read.
 */

/** Adds each user not yet following (nor owning) the customer; one conditional update per user, so a race never adds one twice. */
export async function addFollowers(customer: Pick<CustomerRecord, '_id' | 'owner'>, userIds: Types.ObjectId[], addedBy: Types.ObjectId | undefined, now: Date): Promise<Types.ObjectId[]> {
  const added: Types.ObjectId[] = [];
  for (const user of userIds) {
    if (sameId(customer.owner, user)) continue;
    const res = await Customer.updateOne({ _id: customer._id, 'followers.user': { $ne: user } }, { $push: { followers: { user, addedBy, at: now } } });
    if (res.modifiedCount) added.push(user);
  }
  return added;
}

/** The owner or a manager takes a follower's access away; their unread count for it goes too. */
export async function removeFollower(actor: Actor, customerId: unknown, userId: unknown): Promise<{ customer: CustomerRecord; removed: boolean }> {
  const customer = await getCustomerForActor(actor, customerId);
  const user = toObjectId(userId, 'notFound.user');
  const res = await Customer.updateOne({ _id: customer._id }, { $pull: { followers: { user } } });
  await CommentRead.deleteOne({ user, customer: customer._id });
  return { customer, removed: res.modifiedCount > 0 };
}

export interface FollowerView {
  _id: Types.ObjectId;
  name: string;
  at: Date;
}

/** The followers with their names, in the order they were added. */
export async function listFollowers(customer: Pick<CustomerRecord, 'followers'>): Promise<FollowerView[]> {
  const followers = (customer.followers ?? []) as { user: Types.ObjectId; at: Date }[];
  if (!followers.length) return [];
  const users = await User.find({ _id: { $in: followers.map((f) => f.user) } }).select('name').lean();
  return followers.map((f) => ({ _id: f.user, name: users.find((u) => sameId(u._id, f.user))?.name ?? '—', at: f.at }));
}
