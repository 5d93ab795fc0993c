import type { ActionContext } from 'adminjs';
import { addCommentOnResolvingMentions, deleteComment, editComment, listCommentsOn } from '../../crm/comments/comments.js';
import type { Actor } from '../../crm/users/actor.js';
import { notifyMentionedOn } from '../../bot/core/commentNotify.js';
import type { ReplyDeps } from '../../bot/core/relay.js';
import { optional } from '../respond.js';
import { isCrmError } from '../../crm/shared/errors.js';
import { pageAction } from './customerPage.js';

type Access = (context: ActionContext) => boolean;
type TargetKind = 'organization' | 'opportunity';
/** The customer page's section adds followers too (customerComments.ts); its comments post the same way. */
type CommentPage = TargetKind | 'customer';

/**
 * The comment section of the organization and opportunity show pages: the same crm/comments calls
 * as the chat, with the target kind the page is about. crm checks who may see the record on every
 * call, so a refused page action stores nothing even when a route's own check lets it through.
 */

/** What the section reads, put into the show record as JSON (AdminJS params are flat strings). */
export async function commentsJson(actor: Actor, kind: TargetKind, id: unknown): Promise<string> {
  try {
    const { comments } = await listCommentsOn(actor, kind, id, { limit: 50 });
    return JSON.stringify(comments);
  } catch (e) {
    // A deleted record still has a page for managers; it shows no talk rather than failing.
    if (isCrmError(e)) return '[]';
    throw e;
  }
}

/** The record actions behind the section's forms, the same on the customer, organization and opportunity pages. */
export function targetCommentActions(kind: CommentPage, canOpen: Access, reply: ReplyDeps | undefined) {
  return {
    addComment: pageAction(canOpen, async (actor, id, p) => {
      const posted = await addCommentOnResolvingMentions(actor, kind, id, p.text);
      if (reply) await notifyMentionedOn(reply.notifier, posted, actor.kind === 'user' ? (actor.name ?? '') : '');
      const names = posted.mentioned.map((m) => m.name).join(', ');
      const unseen = posted.unseen.map((m) => m.name).join(', ');
      const unknown = posted.unknown.map((n) => `@${n}`).join(', ');
      const message = unseen ? `commentSavedUnseen_${kind}` : unknown ? 'commentSavedUnknown' : names ? 'commentSavedNotified' : 'commentSaved';
      return { message, options: { names, unknown, unseen } };
    }),
    ...ownCommentActions(canOpen),
  };
}

/** Editing and deleting one's own comment, the same on every page (crm checks the author, the 2 hours and who may see it). */
export function ownCommentActions(canOpen: Access) {
  return {
    editComment: pageAction(canOpen, async (actor, _id, p) => {
      await editComment(actor, optional(p.comment), p.text);
      return { message: 'commentEdited' };
    }),
    deleteComment: pageAction(canOpen, async (actor, _id, p) => {
      await deleteComment(actor, optional(p.comment));
      return { message: 'commentDeleted' };
    }),
  };
}
