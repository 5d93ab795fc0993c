import { Types } from 'mongoose';
import { Comment } from '../../models/comment.js';
import { Interaction } from '../../models/interaction.js';
import { StageChange } from '../../models/stageChange.js';
import { User } from '../../models/user.js';
import { Stage } from '../../models/stage.js';
import { sameId } from '../shared/ids.js';

/** The card's history, filtered: the team's comments, interactions, stage changes, or all of them. */
export const HISTORY_FILTERS = ['all', 'comments', 'interactions', 'stages'] as const;
export type HistoryFilter = (typeof HISTORY_FILTERS)[number];

export interface HistoryEntry {
  kind: 'comment' | 'interaction' | 'stage';
  at: Date;
  /** Who did it (none: the customer's own message, or chot itself). */
  who: string | null;
  /** Interaction type (`call`, `message_in`…) for interactions. */
  type?: string;
  text?: string | null;
  outcome?: string | null;
  from?: string | null;
  to?: string | null;
}

export function isHistoryFilter(value: unknown): value is HistoryFilter {
  return HISTORY_FILTERS.includes(value as HistoryFilter);
}

/** A reference as stored (an id) or as already read with its name (populated, or a comment view's author). */
type Ref = Types.ObjectId | { _id: Types.ObjectId; name?: string | null } | null | undefined;

/** The records a history is made of, as their queries return them. */
export interface HistoryRows {
  comments: { author?: Ref; createdAt: Date; text?: string | null }[];
  interactions: { user?: Ref; occurredAt: Date; type: string; text?: string | null; outcome?: string | null }[];
  stages: { by?: Ref; from?: Ref; to?: Ref; at: Date }[];
}

/**
 * Newest first; each kind is read with its own indexed query, at most `limit` of each. The caller
 * has read the customer already (as a reader: a follower sees the history too).
 */
export async function customerHistory(customer: { _id: Types.ObjectId }, filter: HistoryFilter = 'all', limit = 20): Promise<HistoryEntry[]> {
  const want = (k: HistoryFilter) => filter === 'all' || filter === k;
  const cap = historyCap(limit);
  const [comments, interactions, stages] = await Promise.all([
    want('comments') ? Comment.find({ 'target.kind': 'customer', 'target.id': customer._id, deletedAt: null }).sort({ createdAt: -1 }).limit(cap).lean() : [],
    want('interactions') ? Interaction.find({ customer: customer._id }).sort({ occurredAt: -1 }).limit(cap).lean() : [],
    want('stages') ? StageChange.find({ customer: customer._id }).sort({ at: -1 }).limit(cap).lean() : [],
  ]);
  return historyOf({ comments, interactions, stages }, limit);
}

function historyCap(limit: number): number {
  return Math.min(Math.max(limit, 1), 100);
}

const isId = (ref: Ref): ref is Types.ObjectId => ref instanceof Types.ObjectId;
const refId = (ref: Ref): Types.ObjectId | null => (!ref ? null : isId(ref) ? ref : ref._id);
/** The name read with the reference; undefined when it is a bare id still to be looked up. */
const refName = (ref: Ref): string | null | undefined => (!ref ? null : isId(ref) ? undefined : (ref.name ?? null));

/**
 * The history made of records already read (the newest `limit` of each kind, newest first), as
 * the customer page has them: only the names not read with them are looked up.
 */
export async function historyOf(rows: HistoryRows, limit = 20): Promise<HistoryEntry[]> {
  const cap = historyCap(limit);
  const comments = rows.comments.slice(0, cap);
  const interactions = rows.interactions.slice(0, cap);
  const stages = rows.stages.slice(0, cap);
  const unnamed = (refs: Ref[]) => refs.filter(isId);
  const userIds = unnamed([...comments.map((c) => c.author), ...interactions.map((i) => i.user), ...stages.map((s) => s.by)]);
  const stageIds = unnamed(stages.flatMap((s) => [s.from, s.to]));
  const [users, stageNames] = await Promise.all([
    userIds.length ? User.find({ _id: { $in: userIds } }).select('name').lean() : [],
    stageIds.length ? Stage.find({ _id: { $in: stageIds } }).select('name').lean() : [],
  ]);
  const named = (found: { _id: Types.ObjectId; name?: string | null }[]) => (ref: Ref) => {
    const known = refName(ref);
    if (known !== undefined) return known;
    const id = refId(ref);
    return id ? (found.find((f) => sameId(f._id, id))?.name ?? null) : null;
  };
  const name = named(users);
  const stageName = named(stageNames);
  const entries: HistoryEntry[] = [
    ...comments.map((c) => ({ kind: 'comment' as const, at: c.createdAt, who: name(c.author), text: c.text })),
    ...interactions.map((i) => ({ kind: 'interaction' as const, at: i.occurredAt, who: name(i.user), type: i.type, text: i.text ?? null, outcome: i.outcome ?? null })),
    ...stages.map((s) => ({ kind: 'stage' as const, at: s.at, who: name(s.by), from: stageName(s.from), to: stageName(s.to) })),
  ];
  return entries.sort((a, b) => new Date(b.at).getTime() - new Date(a.at).getTime()).slice(0, cap);
}
