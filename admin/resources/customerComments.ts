import type { ActionContext } from 'adminjs';
import type { CustomerCard } from '../../crm/customers/customerCard.js';
import { commentsOf } from '../../crm/comments/comments.js';
import { targetCommentActions } from './targetComments.js';
import { listFollowers, removeFollower } from '../../crm/comments/followers.js';
import { historyOf, type HistoryRows } from '../../crm/comments/history.js';
import { markCommentsRead, unreadComments } from '../../crm/comments/unread.js';
import { actorUserId, canActOnCustomer, type Actor } from '../../crm/users/actor.js';
import { recordAudit } from '../../crm/audit/audit.js';
import type { ReplyDeps } from '../../bot/core/relay.js';
import { adminOf } from '../access.js';
import { optional } from '../respond.js';
import { pageAction } from './customerPage.js';

type Access = (context: ActionContext) => boolean;

/**
 * The panel's half of the team's talk about a customer: who may open the page (a follower too),
 * what the comment section reads, and the actions its forms post to. Each is one crm/comments call
 * made as the logged-in person, the same the chat makes.
 */

/** The ids stored in the record's flattened `followers.N.user` params. */
function followerIds(params: Record<string, unknown> | undefined): string[] {
  return Object.entries(params ?? {})
    .filter(([key]) => /^followers\.\d+\.user$/.test(key))
    .map(([, value]) => String(value));
}

/** A salesperson opens their own customers and those they follow (read and comment only); managers and admins all. */
export const canReadCustomerPage = (context: { currentAdmin?: unknown; record?: { param(name: string): unknown; params?: Record<string, unknown> } }): boolean => {
  const admin = adminOf(context);
  if (!admin) return false;
  if (admin.role !== 'sales' || !context.record) return true;
  return String(context.record.param('owner')) === admin.id || followerIds(context.record.params).includes(admin.id);
};

/** How many entries the page's filtered history shows. */
export const TIMELINE_ENTRIES = 40;

/**
 * What the comment section shows. Opening the page reads the customer's comments, so the person's
 * "Mới cập nhật" count drops here as it does when the chat card opens. The history is made of what
 * the page has read already (the card's interactions, the stage changes, the comments shown here),
 * at least TIMELINE_ENTRIES of each, so nothing is read twice.
 */
export async function commentsPageData(actor: Actor, card: CustomerCard, read: Omit<HistoryRows, 'comments'>) {
  const id = card.customer._id;
  await markCommentsRead(actor, id);
  const user = actorUserId(actor);
  const [comments, followers, unread] = await Promise.all([
    commentsOf(id, actor, { limit: 50 }),
    listFollowers(card.customer),
    user ? unreadComments(user, 5) : { total: 0, customers: [] },
  ]);
  const timeline = await historyOf({ ...read, comments }, TIMELINE_ENTRIES);
  const mayChange = canActOnCustomer(actor, card.customer);
  return { comments, followers, timeline, unread, canChange: mayChange, canRemoveFollowers: mayChange };
}

/** The record actions behind the comment section's forms. */
export function customerCommentActions(canRead: Access, reply: ReplyDeps) {
  return {
    ...targetCommentActions('customer', canRead, reply),
    removeFollower: pageAction(canRead, async (actor, id, p) => {
      const { customer } = await removeFollower(actor, id, optional(p.user));
      await recordAudit(actor, { subject: 'customer', action: 'removeFollower', recordId: id, details: customer.code });
      return { message: 'followerRemoved' };
    }),
  };
}
