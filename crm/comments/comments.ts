import type { Types } from 'mongoose';
import { Comment, COMMENT_MAX_LENGTH } from '../../models/comment.js';
import { Customer } from '../../models/customer.js';
import { User } from '../../models/user.js';
import { getCustomerForReader, type CustomerRecord } from '../customers/customers.js';
import { INVISIBLE_CHARS } from '../customers/searchText.js';
import { CrmError } from '../shared/errors.js';
import { sameId, toObjectId } from '../shared/ids.js';
import { actorUserId, type Actor } from '../users/actor.js';
import type { StaffUser } from '../users/users.js';
import { addFollowers } from './followers.js';
import { resolveMentions } from './mentions.js';
import { countNewComment, uncountDeletedComment } from './unread.js';
import { splitByVisibility, subjectForReader, type CommentSubject } from './targets.js';
import type { CommentTargetKind } from '../../models/comment.js';

/** Authors may edit or delete their own comment this long after writing it (Getfly's rule). */
export const COMMENT_EDIT_WINDOW_MS = 2 * 60 * 60 * 1000;

export interface CommentView {
  _id: Types.ObjectId;
  text: string;
  author: { _id: Types.ObjectId; name: string };
  mentions: Types.ObjectId[];
  createdAt: Date;
  editedAt?: Date | null;
  /** The reader wrote it and may still edit or delete it. */
  editable: boolean;
}

/** A comment's text as stored: control and invisible characters dropped, within the limit, never empty. */
export function cleanCommentText(text: unknown): string {
  const cleaned = String(text ?? '')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(INVISIBLE_CHARS, '')
    .normalize('NFC')
    .trim();
  if (!cleaned) throw new CrmError('comment.empty');
  if (cleaned.length > COMMENT_MAX_LENGTH) throw new CrmError('comment.tooLong', { max: COMMENT_MAX_LENGTH, length: cleaned.length });
  return cleaned;
}

export function withinEditWindow(createdAt: Date, now: Date): boolean {
  return now.getTime() - new Date(createdAt).getTime() <= COMMENT_EDIT_WINDOW_MS;
}

export interface PostedComment {
  comment: { _id: Types.ObjectId; text: string; createdAt: Date };
  customer: CustomerRecord;
  /** The colleagues named, to be told (they now follow the customer if they did not own it). */
  mentioned: StaffUser[];
}

/**
 * Adds a comment to a customer the actor may read (followers comment too). The named colleagues
 * become followers, and the comment counts as unread for everyone who owns or follows the customer
 * but the author. Telling the named colleagues is the caller's job (chat or panel, same notifier).
 */
export async function addComment(actor: Actor, customerId: unknown, text: unknown, mentioned: StaffUser[], now: Date = new Date()): Promise<PostedComment> {
  const author = actorUserId(actor);
  if (!author) throw new CrmError('forbidden');
  const customer = await getCustomerForReader(actor, customerId);
  const clean = cleanCommentText(text);
  const mentions = mentioned.map((m) => m._id).filter((id) => !sameId(id, author));
  const created = await Comment.create({ author, target: { kind: 'customer', id: customer._id }, text: clean, mentions, createdAt: now });
  await addFollowers(customer, mentions, author, now);
  // The named are followers now (or were, or own it): counted with the ones read above, without reading the customer again.
  const followers = [...(customer.followers ?? []), ...mentions.map((user) => ({ user }))];
  await countNewComment({ _id: customer._id, owner: customer.owner, followers }, author, now);
  return { comment: { _id: created._id, text: created.text, createdAt: created.createdAt }, customer, mentioned: mentioned.filter((m) => !sameId(m._id, author)) };
}

async function panelMentions(actor: Actor, text: unknown) {
  const clean = cleanCommentText(text);
  const resolved = await resolveMentions(clean, actorUserId(actor));
  const first = resolved.ambiguous[0];
  if (first) throw new CrmError('comment.mentionAmbiguous', { name: first.name, candidates: first.candidates.map((c) => c.name).join(', ') });
  return { clean, mentioned: resolved.mentioned, unknown: resolved.unknown };
}

export interface PostedCommentOn {
  comment: PostedComment['comment'];
  subject: CommentSubject;
  /** The colleagues named who may see it, to be told. */
  mentioned: StaffUser[];
  /** Named colleagues who may not see that organization or opportunity: left out of the comment, and the author told. */
  unseen: StaffUser[];
}

/**
 * A comment on a customer, an organization or an opportunity, by someone who may see it. On a
 * customer the named colleagues become followers (addComment). Organizations and opportunities
 * have no followers: a mention there grants no access, so a colleague who may not see it is not
 * mentioned at all (the comment is saved without them) and the caller names them to the author.
 */
export async function addCommentOn(actor: Actor, kind: CommentTargetKind, id: unknown, text: unknown, mentioned: StaffUser[], now: Date = new Date()): Promise<PostedCommentOn> {
  if (kind === 'customer') {
    const posted = await addComment(actor, id, text, mentioned, now);
    const c = posted.customer;
    return { comment: posted.comment, subject: { kind, _id: c._id, code: c.code, name: c.name }, mentioned: posted.mentioned, unseen: [] };
  }
  const author = actorUserId(actor);
  if (!author) throw new CrmError('forbidden');
  const subject = await subjectForReader(actor, kind, id);
  const clean = cleanCommentText(text);
  const { visible, unseen } = await splitByVisibility(subject, mentioned.filter((m) => !sameId(m._id, author)));
  const created = await Comment.create({ author, target: { kind, id: subject._id }, text: clean, mentions: visible.map((m) => m._id), createdAt: now });
  return { comment: { _id: created._id, text: created.text, createdAt: created.createdAt }, subject, mentioned: visible, unseen };
}

/** The panel's one-step comment on any target (ambiguous @names refused, as on the customer page). */
export async function addCommentOnResolvingMentions(actor: Actor, kind: CommentTargetKind, id: unknown, text: unknown, now: Date = new Date()): Promise<PostedCommentOn & { unknown: string[] }> {
  const { clean, mentioned, unknown } = await panelMentions(actor, text);
  return { ...(await addCommentOn(actor, kind, id, clean, mentioned, now)), unknown };
}

/** Loads one's own comment still inside the edit window, or says why not (the chat asks this before asking the new text). */
export async function ownEditableComment(actor: Actor, commentId: unknown, now: Date) {
  const comment = await Comment.findOne({ _id: toObjectId(commentId, 'comment.notFound'), deletedAt: null }).lean();
  if (!comment) throw new CrmError('comment.notFound');
  if (!sameId(comment.author, actorUserId(actor))) throw new CrmError('comment.notAuthor');
  if (!withinEditWindow(comment.createdAt, now)) throw new CrmError('comment.editWindowOver');
  // Still someone who may see what it is about (a removed follower keeps no hold on a customer).
  await subjectForReader(actor, comment.target.kind, comment.target.id);
  return comment;
}

export async function editComment(actor: Actor, commentId: unknown, text: unknown, now: Date = new Date()): Promise<{ _id: Types.ObjectId; text: string; customerId: Types.ObjectId; target: { kind: CommentTargetKind; id: Types.ObjectId } }> {
  const comment = await ownEditableComment(actor, commentId, now);
  const clean = cleanCommentText(text);
  // The window is checked again in the write itself, so an edit racing the deadline cannot land after it.
  const res = await Comment.updateOne({ _id: comment._id, deletedAt: null, createdAt: { $gte: new Date(now.getTime() - COMMENT_EDIT_WINDOW_MS) } }, { $set: { text: clean, editedAt: now } });
  if (!res.modifiedCount) throw new CrmError('comment.editWindowOver');
  return { _id: comment._id, text: clean, customerId: comment.target.id, target: comment.target };
}

export async function deleteComment(actor: Actor, commentId: unknown, now: Date = new Date()): Promise<{ customerId: Types.ObjectId; target: { kind: CommentTargetKind; id: Types.ObjectId } }> {
  const comment = await ownEditableComment(actor, commentId, now);
  const res = await Comment.updateOne({ _id: comment._id, deletedAt: null }, { $set: { deletedAt: now } });
  if (res.modifiedCount && comment.target.kind === 'customer') await uncountDeletedComment(comment.target.id, comment.author, comment.createdAt);
  return { customerId: comment.target.id, target: comment.target };
}

/** A customer's comments, newest first, with their authors' names, for someone who may read it. */
export async function listComments(actor: Actor, customerId: unknown, opts: { limit?: number; now?: Date } = {}): Promise<CommentView[]> {
  const customer = await getCustomerForReader(actor, customerId);
  return commentsOf(customer._id, actor, opts);
}

/** The comments on an organization or opportunity (or a customer), for someone who may see it, with what it is. */
export async function listCommentsOn(actor: Actor, kind: CommentTargetKind, id: unknown, opts: { limit?: number; now?: Date } = {}): Promise<{ subject: CommentSubject; comments: CommentView[] }> {
  const subject = await subjectForReader(actor, kind, id);
  return { subject, comments: await commentsAbout(subject, actor, opts) };
}

/** The same list when the customer is already checked (the card loads it once). */
export async function commentsOf(customerId: Types.ObjectId, actor: Actor, opts: { limit?: number; now?: Date } = {}): Promise<CommentView[]> {
  return commentsAbout({ kind: 'customer', _id: customerId }, actor, opts);
}

async function commentsAbout(target: Pick<CommentSubject, 'kind' | '_id'>, actor: Actor, opts: { limit?: number; now?: Date }): Promise<CommentView[]> {
  const now = opts.now ?? new Date();
  const limit = Math.min(Math.max(opts.limit ?? 10, 1), 200);
  const rows = await Comment.find({ 'target.kind': target.kind, 'target.id': target._id, deletedAt: null }).sort({ createdAt: -1 }).limit(limit).lean();
  const authors = rows.length ? await User.find({ _id: { $in: [...new Set(rows.map((r) => String(r.author)))] } }).select('name').lean() : [];
  const me = actorUserId(actor);
  return rows.map((r) => ({
    _id: r._id,
    text: r.text,
    author: { _id: r.author, name: authors.find((a) => sameId(a._id, r.author))?.name ?? '—' },
    mentions: r.mentions ?? [],
    createdAt: r.createdAt,
    editedAt: r.editedAt ?? null,
    editable: sameId(r.author, me) && withinEditWindow(r.createdAt, now),
  }));
}
