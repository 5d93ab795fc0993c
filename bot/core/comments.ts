import { addCommentOn, cleanCommentText, deleteComment, editComment, listCommentsOn, ownEditableComment } from '../../crm/comments/comments.js';
import { isCommentTargetKind } from '../../crm/comments/targets.js';
import { getOpportunityCard } from '../../crm/opportunities/opportunityCard.js';
import type { CommentTargetKind } from '../../models/comment.js';
import { resolveMentions } from '../../crm/comments/mentions.js';
import { listFollowers, removeFollower } from '../../crm/comments/followers.js';
import { customerHistory, isHistoryFilter, HISTORY_FILTERS, type HistoryEntry, type HistoryFilter } from '../../crm/comments/history.js';
import { unreadComments, type UnreadSummary } from '../../crm/comments/unread.js';
import { getCustomerForReader } from '../../crm/customers/customers.js';
import { actorUserId, canActOnCustomer } from '../../crm/users/actor.js';
import { getUser, listActiveStaff, type StaffUser } from '../../crm/users/users.js';
import { sameId, toObjectId } from '../../crm/shared/ids.js';
import { t, type Lang, type MessageKey } from '../../i18n/index.js';
import { actionData, type Action } from './actions.js';
import { clip, formatWhen, typeLabel } from './card.js';
import { notifyMentionedOn } from './commentNotify.js';
import { clearFlow, setFlow } from './session.js';
import { openCard } from './staff.js';
import { openOrganizationCard } from './orgActions.js';
import { opportunityCardReply } from './opportunityCard.js';
import type { StaffTurn } from './turn.js';
import type { Choice, Reply } from './types.js';
import { cancelChoice } from './choices.js';

/**
 * The team's talk about a customer in the chat, the same on every channel: "💬 Trao đổi" lists the
 * latest comments and takes the next text as a new one (an @name that fits several colleagues is
 * asked about), "📜 Lịch sử" filters the card's history, "👥" lists followers for the owner or a
 * manager to remove. Every read and write goes through crm/comments, which checks who may do it.
 */

export type CommentAction = Extract<Action, { kind: 'comments' | 'followers' | 'history' | 'commentEdit' | 'commentDelete' | 'mentionPick' | 'removeFollower' | 'targetComments' }>;
const KINDS: string[] = ['comments', 'followers', 'history', 'commentEdit', 'commentDelete', 'mentionPick', 'removeFollower', 'targetComments'];

export function isCommentAction(action: Action): action is CommentAction {
  return KINDS.includes(action.kind);
}

/** The flows this module owns, as `flow` names in the chat session. */
export const COMMENT_FLOWS = ['comment', 'commentEdit'];

/** How many comments "💬 Trao đổi" shows; the panel shows more. */
const SHOWN = 5;

/** The card's buttons for the team's talk; followers get only these (and the organization link). */
export function commentCardChoices(customerId: unknown, lang: Lang, mayChange: boolean): Choice[] {
  const choices = [
    { label: t(lang, 'comment.action.comments'), data: actionData.comments(customerId) },
    { label: t(lang, 'comment.action.history'), data: actionData.history(customerId, 'all') },
  ];
  if (mayChange) choices.push({ label: t(lang, 'comment.action.followers'), data: actionData.followers(customerId) });
  return choices;
}

export async function runCommentAction(turn: StaffTurn, action: CommentAction): Promise<Reply[]> {
  switch (action.kind) {
    case 'comments':
      return showComments(turn, 'customer', action.customerId);
    case 'targetComments':
      return showComments(turn, action.target, action.id);
    case 'history':
      return showHistory(turn, action.customerId, isHistoryFilter(action.filter) ? action.filter : 'all');
    case 'followers':
      return showFollowers(turn, action.customerId);
    case 'removeFollower': {
      const { customer, removed } = await removeFollower(turn.actor, action.customerId, action.userId);
      const user = (await getUser(toObjectId(action.userId, 'notFound.user')))?.name ?? '—';
      const text = removed ? t(turn.lang, 'comment.followers.removed', { name: customer.name, user }) : t(turn.lang, 'comment.followers.notFollowing', { user });
      return [{ text }, ...(await showFollowers(turn, customer._id))];
    }
    case 'commentEdit': {
      const comment = await ownEditableComment(turn.actor, action.commentId, turn.now);
      await setFlow(turn.session, 'commentEdit', 'text', { commentId: String(comment._id) });
      return [{ text: t(turn.lang, 'comment.editAsk', { text: clip(comment.text, 200) }), choices: [cancelChoice(turn.lang)] }];
    }
    case 'commentDelete': {
      const { target } = await deleteComment(turn.actor, action.commentId, turn.now);
      await clearFlow(turn.session);
      return [{ text: t(turn.lang, 'comment.deleteDone') }, ...(await showComments(turn, target.kind, target.id))];
    }
    case 'mentionPick':
      if (turn.session.flow === 'comment' && turn.session.step === 'pick') return continueCommentFlow(turn, action);
      return [{ text: t(turn.lang, 'chat.staffUnknownChoice') }];
  }
}

/**
 * The latest comments on a customer, organization or opportunity, one's own with edit/delete while
 * the 2 hours last; the next text is a new comment on the same target.
 */
async function showComments(turn: StaffTurn, kind: CommentTargetKind, id: unknown): Promise<Reply[]> {
  const { lang } = turn;
  const { subject, comments } = await listCommentsOn(turn.actor, kind, id, { limit: SHOWN, now: turn.now });
  const lines = [t(lang, 'comment.list.title', { code: subject.code, name: subject.name })];
  const choices: Choice[] = [];
  if (!comments.length) lines.push(t(lang, 'comment.list.empty'));
  // Oldest of the shown first, as a chat reads; numbered so the edit buttons say which one.
  [...comments].reverse().forEach((c, i) => {
    const n = i + 1;
    lines.push(`#${n} ${formatWhen(c.createdAt, lang, turn.timezone, turn.now)} · ${c.author.name}: ${clip(c.text, 300)}${c.editedAt ? ` ${t(lang, 'comment.edited')}` : ''}`);
    if (c.editable) choices.push({ label: t(lang, 'comment.editButton', { n }), data: actionData.commentEdit(c._id) }, { label: t(lang, 'comment.deleteButton', { n }), data: actionData.commentDelete(c._id) });
  });
  // `customerId` names the target of any kind (kept for flows saved before organizations had comments).
  await setFlow(turn.session, 'comment', 'text', { customerId: String(subject._id), targetKind: subject.kind });
  lines.push('', t(lang, 'comment.ask'));
  return [{ text: lines.join('\n'), choices: [...choices, cancelChoice(lang)] }];
}

export async function continueCommentFlow(turn: StaffTurn, action?: Action): Promise<Reply[]> {
  const { session, lang, text } = turn;
  const data = session.data as Record<string, any>;
  switch (`${session.flow}:${session.step}`) {
    case 'comment:text': {
      if (!text) return [{ text: t(lang, 'comment.ask'), choices: [cancelChoice(lang)] }];
      const clean = cleanCommentText(text);
      const resolved = await resolveMentions(clean, actorUserId(turn.actor));
      const pending = {
        customerId: data.customerId,
        targetKind: data.targetKind,
        text: clean,
        mentioned: resolved.mentioned.map((m) => String(m._id)),
        unknown: resolved.unknown,
        ambiguous: resolved.ambiguous.map((a) => ({ name: a.name, candidates: a.candidates.map((c) => ({ id: String(c._id), name: c.name })) })),
      };
      if (pending.ambiguous.length) return askWhom(turn, pending);
      return saveComment(turn, pending);
    }
    case 'comment:pick': {
      const [first, ...rest] = data.ambiguous as { name: string; candidates: { id: string; name: string }[] }[];
      const picked = action?.kind === 'mentionPick' ? action.userId : undefined;
      if (!first || !picked || (picked !== 'none' && !first.candidates.some((c) => c.id === picked))) return askWhom(turn, data);
      const pending = { ...data, ambiguous: rest, mentioned: picked === 'none' ? data.mentioned : [...data.mentioned, picked] };
      if (rest.length) return askWhom(turn, pending);
      return saveComment(turn, pending);
    }
    case 'commentEdit:text': {
      if (!text) return [{ text: t(lang, 'comment.ask'), choices: [cancelChoice(lang)] }];
      const edited = await editComment(turn.actor, data.commentId, text, turn.now);
      await clearFlow(session);
      return [{ text: t(lang, 'comment.editDone') }, ...(await showComments(turn, edited.target.kind, edited.target.id))];
    }
    default:
      await clearFlow(session);
      return [{ text: t(lang, 'chat.staffUnknownChoice') }];
  }
}

/** The first @name still in doubt: one button per matching colleague, and "nobody". */
async function askWhom(turn: StaffTurn, pending: Record<string, any>): Promise<Reply[]> {
  await setFlow(turn.session, 'comment', 'pick', pending);
  const first = pending.ambiguous[0] as { name: string; candidates: { id: string; name: string }[] };
  const choices: Choice[] = first.candidates.slice(0, 10).map((c) => ({ label: c.name, data: actionData.mentionPick(c.id) }));
  choices.push({ label: t(turn.lang, 'comment.pickNone'), data: actionData.mentionPick('none') }, cancelChoice(turn.lang));
  return [{ text: t(turn.lang, 'comment.pick', { name: first.name }), choices }];
}

async function saveComment(turn: StaffTurn, pending: Record<string, any>): Promise<Reply[]> {
  const ids = [...new Set(pending.mentioned as string[])];
  const staff: StaffUser[] = ids.length ? (await listActiveStaff()).filter((s) => ids.some((id) => sameId(s._id, id))) : [];
  const kind: CommentTargetKind = isCommentTargetKind(pending.targetKind) ? pending.targetKind : 'customer';
  const posted = await addCommentOn(turn.actor, kind, pending.customerId, pending.text, staff, turn.now);
  await clearFlow(turn.session);
  await notifyMentionedOn(turn.deps.notifier, posted, turn.staff.name);
  const header = [t(turn.lang, 'comment.saved', { name: posted.subject.name })];
  if (posted.mentioned.length) header.push(t(turn.lang, 'comment.notified', { names: posted.mentioned.map((m) => m.name).join(', ') }));
  if (posted.unseen.length && kind !== 'customer') header.push(t(turn.lang, `comment.unseen.${kind}`, { names: posted.unseen.map((m) => m.name).join(', ') }));
  if (pending.unknown?.length) header.push(t(turn.lang, 'comment.unknown', { names: (pending.unknown as string[]).map((n) => `@${n}`).join(', ') }));
  return openCommentTarget(turn, kind, posted.subject._id, header.join('\n'));
}

/** Back to the card the comment was written on. */
async function openCommentTarget(turn: StaffTurn, kind: CommentTargetKind, id: unknown, header: string): Promise<Reply[]> {
  if (kind === 'organization') return openOrganizationCard(turn, id, header);
  if (kind === 'opportunity') return [opportunityCardReply(await getOpportunityCard(turn.actor, id), turn.lang, turn.timezone, turn.now, header)];
  return openCard(turn, id, header);
}

/** The card's history with one button per filter (the one shown marked). */
async function showHistory(turn: StaffTurn, customerId: unknown, filter: HistoryFilter): Promise<Reply[]> {
  const { lang } = turn;
  const customer = await getCustomerForReader(turn.actor, customerId);
  const entries = await customerHistory(customer, filter, 15);
  const lines = [t(lang, 'comment.history.title', { code: customer.code, name: customer.name, filter: t(lang, `comment.history.${filter}` as MessageKey) })];
  if (!entries.length) lines.push(t(lang, 'comment.history.empty'));
  for (const e of entries) lines.push(`• ${formatWhen(e.at, lang, turn.timezone, turn.now)} ${historyLine(e, lang)}`);
  const choices = HISTORY_FILTERS.map((f) => ({ label: `${f === filter ? '• ' : ''}${t(lang, `comment.history.${f}` as MessageKey)}`, data: actionData.history(customer._id, f) }));
  choices.push({ label: `👤 ${customer.code}`, data: actionData.open(customer._id) });
  return [{ text: lines.join('\n'), choices }];
}

function historyLine(e: HistoryEntry, lang: Lang): string {
  if (e.kind === 'comment') return `💬 ${e.who ?? '—'}: ${clip(e.text ?? '', 120)}`;
  if (e.kind === 'stage') return `🔀 ${e.from ?? '—'} → ${e.to ?? '—'} (${e.who ?? t(lang, 'comment.history.system')})`;
  const who = e.who ?? (e.type === 'message_in' ? t(lang, 'comment.history.customer') : t(lang, 'comment.history.system'));
  const detail = [e.outcome, e.text ? clip(e.text, 100) : ''].filter(Boolean).join(': ');
  return `${typeLabel(lang, e.type ?? '')} · ${who}${detail ? ` — ${detail}` : ''}`;
}

/** Followers by name; the owner or a manager gets a button per follower to remove them. */
async function showFollowers(turn: StaffTurn, customerId: unknown): Promise<Reply[]> {
  const customer = await getCustomerForReader(turn.actor, customerId);
  const followers = await listFollowers(customer);
  const mayRemove = canActOnCustomer(turn.actor, customer);
  const lines = [t(turn.lang, 'comment.followers.title', { code: customer.code, name: customer.name })];
  if (!followers.length) lines.push(t(turn.lang, 'comment.followers.none'));
  for (const f of followers) lines.push(`• ${f.name}`);
  if (followers.length && mayRemove) lines.push('', t(turn.lang, 'comment.followers.removeHint'));
  const choices = mayRemove ? followers.map((f) => ({ label: t(turn.lang, 'comment.followers.remove', { name: f.name }), data: actionData.removeFollower(customer._id, f._id) })) : [];
  choices.push({ label: `👤 ${customer.code}`, data: actionData.open(customer._id) });
  return [{ text: lines.join('\n'), choices }];
}

/** "Mới cập nhật" for /today: the count and the customers to open (empty when nothing is unread). */
export async function unreadSection(turn: StaffTurn): Promise<{ lines: string[]; choices: Choice[] }> {
  const user = actorUserId(turn.actor);
  if (!user) return { lines: [], choices: [] };
  const unread = await unreadComments(user, 5);
  return { lines: unreadLines(unread, turn.lang), choices: unread.customers.map((c) => ({ label: `${c.code} · ${c.name}`, data: actionData.open(c._id) })) };
}

/** The count and the freshest customers, as /today and the morning digest show them (nothing when all is read). */
export function unreadLines(unread: UnreadSummary, lang: Lang): string[] {
  if (!unread.total) return [];
  return [t(lang, 'comment.unread.line', { count: unread.total }), ...unread.customers.map((c) => `💬 ${c.code} ${c.name} (${c.unread})`)];
}

/** A digest with the unread comments right under its title. */
export function withUnreadLines(reply: Reply, lines: string[]): Reply {
  if (!lines.length) return reply;
  const [title, ...rest] = reply.text.split('\n');
  return { ...reply, text: [title, '', ...lines, ...rest].join('\n') };
}
