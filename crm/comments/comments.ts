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
  const followed = mentions.length ? ((await Customer.findById(customer._id).select('owner followers').lean()) ?? customer) : customer;
  await countNewComment({ ...followed, _id: customer._id }, author, now);
  return { comment: { _id: created._id, text: created.text, createdAt: created.createdAt }, customer, mentioned: mentioned.filter((m) => !sameId(m._id, author)) };
}

/** The panel's one-step comment: an @name that fits several colleagues is refused, naming them, so it can be written longer. */
export async function addCommentResolvingMentions(actor: Actor, customerId: unknown, text: unknown, now: Date = new Date()): Promise<PostedComment & { unknown: string[] }> {
  const clean = cleanCommentText(text);
  const resolved = await resolveMentions(clean, actorUserId(actor));
  const first = resolved.ambiguous[0];
  if (first) throw new CrmError('comment.mentionAmbiguous', { name: first.name, candidates: first.candidates.map((c) => c.name).join(', ') });
  return { ...(await addComment(actor, customerId, clean, resolved.mentioned, now)), unknown: resolved.unknown };
}

/** Loads one's own comment still inside the edit window, or says why not (the chat asks this before asking the new text). */
export async function ownEditableComment(actor: Actor, commentId: unknown, now: Date) {
  const comment = await Comment.findOne({ _id: toObjectId(commentId, 'comment.notFound'), deletedAt: null }).lean();
  if (!comment) throw new CrmError('comment.notFound');
  if (!sameId(comment.author, actorUserId(actor))) throw new CrmError('comment.notAuthor');
  if (!withinEditWindow(comment.createdAt, now)) throw new CrmError('comment.editWindowOver');
  // Still someone who may read the customer (a removed follower keeps no hold on it).
  if (comment.target.kind === 'customer') await getCustomerForReader(actor, comment.target.id);
  return comment;
}

export async function editComment(actor: Actor, commentId: unknown, text: unknown, now: Date = new Date()): Promise<{ _id: Types.ObjectId; text: string; customerId: Types.ObjectId }> {
  const comment = await ownEditableComment(actor, commentId, now);
  const clean = cleanCommentText(text);
  // The window is checked again in the write itself, so an edit racing the deadline cannot land after it.
  const res = await Comment.updateOne({ _id: comment._id, deletedAt: null, createdAt: { $gte: new Date(now.getTime() - COMMENT_EDIT_WINDOW_MS) } }, { $set: { text: clean, editedAt: now } });
  if (!res.modifiedCount) throw new CrmError('comment.editWindowOver');
  return { _id: comment._id, text: clean, customerId: comment.target.id };
}

export async function deleteComment(actor: Actor, commentId: unknown, now: Date = new Date()): Promise<{ customerId: Types.ObjectId }> {
  const comment = await ownEditableComment(actor, commentId, now);
  const res = await Comment.updateOne({ _id: comment._id, deletedAt: null }, { $set: { deletedAt: now } });
  if (res.modifiedCount && comment.target.kind === 'customer') await uncountDeletedComment(comment.target.id, comment.author, comment.createdAt);
  return { customerId: comment.target.id };
}

/** A customer's comments, newest first, with their authors' names, for someone who may read it. */
export async function listComments(actor: Actor, customerId: unknown, opts: { limit?: number; now?: Date } = {}): Promise<CommentView[]> {
  const customer = await getCustomerForReader(actor, customerId);
  return commentsOf(customer._id, actor, opts);
}

/** The same list when the customer is already checked (the card loads it once). */
export async function commentsOf(customerId: Types.ObjectId, actor: Actor, opts: { limit?: number; now?: Date } = {}): Promise<CommentView[]> {
  const now = opts.now ?? new Date();
  const limit = Math.min(Math.max(opts.limit ?? 10, 1), 200);
  const rows = await Comment.find({ 'target.kind': 'customer', 'target.id': customerId, deletedAt: null }).sort({ createdAt: -1 }).limit(limit).lean();
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
