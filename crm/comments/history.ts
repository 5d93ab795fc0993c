import type { Types } from 'mongoose';
import { Comment } from '../../models/comment.js';
import { Interaction } from '../../models/interaction.js';
import { StageChange } from '../../models/stageChange.js';
import { User } from '../../models/user.js';
import { Stage } from '../../models/stage.js';
import { getCustomerForReader } from '../customers/customers.js';
import { sameId } from '../shared/ids.js';
import type { Actor } from '../users/actor.js';

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

/** Newest first; each kind is read with its own indexed query, at most `limit` of each. */
export async function customerHistory(actor: Actor, customerId: unknown, filter: HistoryFilter = 'all', limit = 20): Promise<HistoryEntry[]> {
  const customer = await getCustomerForReader(actor, customerId);
  const want = (k: HistoryFilter) => filter === 'all' || filter === k;
  const cap = Math.min(Math.max(limit, 1), 100);
  const [comments, interactions, stages] = await Promise.all([
    want('comments') ? Comment.find({ 'target.kind': 'customer', 'target.id': customer._id, deletedAt: null }).sort({ createdAt: -1 }).limit(cap).lean() : [],
    want('interactions') ? Interaction.find({ customer: customer._id }).sort({ occurredAt: -1 }).limit(cap).lean() : [],
    want('stages') ? StageChange.find({ customer: customer._id }).sort({ at: -1 }).limit(cap).lean() : [],
  ]);
  const userIds = [...comments.map((c) => c.author), ...interactions.map((i) => i.user), ...stages.map((s) => s.by)].filter(Boolean) as Types.ObjectId[];
  const stageIds = stages.flatMap((s) => [s.from, s.to]).filter(Boolean) as Types.ObjectId[];
  const [users, stageNames] = await Promise.all([
    userIds.length ? User.find({ _id: { $in: userIds } }).select('name').lean() : [],
    stageIds.length ? Stage.find({ _id: { $in: stageIds } }).select('name').lean() : [],
  ]);
  const name = (id: unknown) => (id ? (users.find((u) => sameId(u._id, id as Types.ObjectId))?.name ?? null) : null);
  const stageName = (id: unknown) => (id ? (stageNames.find((s) => sameId(s._id, id as Types.ObjectId))?.name ?? null) : null);
  const entries: HistoryEntry[] = [
    ...comments.map((c) => ({ kind: 'comment' as const, at: c.createdAt, who: name(c.author), text: c.text })),
    ...interactions.map((i) => ({ kind: 'interaction' as const, at: i.occurredAt, who: name(i.user), type: i.type, text: i.text ?? null, outcome: i.outcome ?? null })),
    ...stages.map((s) => ({ kind: 'stage' as const, at: s.at, who: name(s.by), from: stageName(s.from), to: stageName(s.to) })),
  ];
  return entries.sort((a, b) => new Date(b.at).getTime() - new Date(a.at).getTime()).slice(0, cap);
}
