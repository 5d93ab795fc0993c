import type { Types } from 'mongoose';
import crypto from 'node:crypto';
import { ChatSession, type ChatSessionFields } from '../../models/chatSession.js';
import { isDuplicateKey } from '../../crm/shared/errors.js';
import type { ChatChannel } from '../../models/channels.js';
import type { Lang } from '../../i18n/index.js';
import type { Choice } from './types.js';

/** A forwarded message that stands for a customer: replying to it answers that customer. */
export interface Relay {
  messageId: string;
  customer: Types.ObjectId;
  customerChannel?: ChatChannel;
}

/** The conversation state of one chat, as the flows read it. */
export interface Session {
  channel: ChatChannel;
  chatId: string;
  language?: Lang;
  flow?: string;
  step?: string;
  data: Record<string, unknown>;
  lastChoices: Choice[];
  relays: Relay[];
}

/** How many forwarded messages per chat can still be replied to. */
const RELAYS_KEPT = 100;

export async function loadSession(channel: ChatChannel, chatId: string): Promise<Session> {
  return toSession(channel, chatId, await ChatSession.findOne({ channel, chatId }).lean());
}

function toSession(channel: ChatChannel, chatId: string, doc: Partial<ChatSessionFields> | null | undefined): Session {
  return {
    channel,
    chatId,
    language: (doc?.language ?? undefined) as Lang | undefined,
    flow: doc?.flow ?? undefined,
    step: doc?.step ?? undefined,
    data: (doc?.data as Record<string, unknown>) ?? {},
    lastChoices: (doc?.lastChoices ?? []).map((c) => ({ label: c.label, data: c.data })),
    relays: (doc?.relays ?? []) as Relay[],
  };
}

/** How long a chat stays reserved for the process handling one of its updates, if it dies meanwhile. */
export const CHAT_LEASE_MS = 15_000;
/** Update ids remembered per chat: far more than a platform redelivers. */
const SEEN_KEPT = 50;

interface Held {
  holder: string;
  seen: string[];
  flowChanged: boolean;
  languageChanged: boolean;
}

/** Sessions claimed for a turn: their changes are written once, when the turn ends (`releaseSession`). */
const heldSessions = new WeakMap<Session, Held>();

/**
 * Starts a turn in one database write: reserves the chat for this process (so its updates are
 * handled one at a time even across processes), records the update id, and returns the session as
 * it was. `duplicate` is true when the update id was already seen (a redelivery): the chat is then
 * released at once. While another process holds the chat, waits for it (or for its lease to lapse,
 * when that process died).
 */
export async function claimSession(channel: ChatChannel, chatId: string, updateId: string): Promise<{ session: Session; duplicate: boolean }> {
  const holder = crypto.randomUUID();
  const id = String(updateId);
  const giveUpAt = Date.now() + CHAT_LEASE_MS * 2;
  for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
    const now = new Date();
    try {
      const before = await ChatSession.collection.findOneAndUpdate(
        { channel, chatId, $or: [{ leaseUntil: null }, { leaseUntil: { $lte: now } }] },
        {
          $set: { leaseHolder: holder, leaseUntil: new Date(now.getTime() + CHAT_LEASE_MS), updatedAt: now },
          $addToSet: { seenUpdates: id },
          $setOnInsert: { channel, chatId, data: {}, lastChoices: [], relays: [], createdAt: now },
        },
        { upsert: true, returnDocument: 'before' },
      );
      const seen = ((before?.seenUpdates ?? []) as string[]).filter((u) => u !== id);
      const session = toSession(channel, chatId, before as Partial<ChatSessionFields> | null);
      const duplicate = Boolean(before?.seenUpdates?.includes(id));
      heldSessions.set(session, { holder, seen: [...seen, id].slice(-SEEN_KEPT), flowChanged: false, languageChanged: false });
      if (duplicate) await releaseSession(session, session.lastChoices);
      return { session, duplicate };
    } catch (err) {
      // The chat exists and another process holds it: the upsert then collides with the unique index.
      if (!isDuplicateKey(err) || Date.now() > giveUpAt) throw err;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/**
 * Ends a turn: writes what the turn changed (its flow, language, the choices it offered) and the
 * update ids, and frees the chat, in one write. Only while this process still holds the chat: a
 * turn that outlived its lease does not overwrite the newer turn's session.
 */
export async function releaseSession(session: Session, offered: Choice[]): Promise<boolean> {
  const held = heldSessions.get(session);
  if (!held) return false;
  heldSessions.delete(session);
  const $set: Record<string, unknown> = { lastChoices: offered.map((c) => ({ label: c.label, data: c.data })), seenUpdates: held.seen, updatedAt: new Date() };
  const $unset: Record<string, 1> = { leaseHolder: 1, leaseUntil: 1 };
  if (held.flowChanged) {
    $set.data = session.flow ? session.data : {};
    if (session.flow) Object.assign($set, { flow: session.flow, step: session.step });
    else Object.assign($unset, { flow: 1, step: 1 });
  }
  if (held.languageChanged) $set.language = session.language;
  const res = await ChatSession.collection.updateOne({ channel: session.channel, chatId: session.chatId, leaseHolder: held.holder }, { $set, $unset });
  return res.matchedCount === 1;
}

/**
 * Gives a claimed chat back without recording the update, for a turn that could not start: the
 * platform's redelivery of the same update is then handled, not ignored as a duplicate.
 */
export async function abandonSession(session: Session): Promise<void> {
  const held = heldSessions.get(session);
  if (!held) return;
  heldSessions.delete(session);
  await ChatSession.collection.updateOne(
    { channel: session.channel, chatId: session.chatId, leaseHolder: held.holder },
    { $set: { seenUpdates: held.seen.slice(0, -1) }, $unset: { leaseHolder: 1, leaseUntil: 1 } },
  );
}

/** One atomic upsert per change, keyed on the natural key (channel, chat id). */
async function update(channel: ChatChannel, chatId: string, change: Record<string, unknown>): Promise<void> {
  await ChatSession.updateOne({ channel, chatId }, { ...change, $setOnInsert: { channel, chatId } }, { upsert: true });
}

/** Starts or advances a flow; `data` replaces the flow's answers so far. */
export async function setFlow(session: Session, flow: string, step: string, data: Record<string, unknown> = {}): Promise<void> {
  session.flow = flow;
  session.step = step;
  session.data = data;
  const held = heldSessions.get(session);
  if (held) held.flowChanged = true;
  else await update(session.channel, session.chatId, { $set: { flow, step, data } });
}

export async function clearFlow(session: Session): Promise<void> {
  const hadFlow = Boolean(session.flow);
  session.flow = undefined;
  session.step = undefined;
  session.data = {};
  const held = heldSessions.get(session);
  if (held) held.flowChanged ||= hadFlow;
  else if (hadFlow) await update(session.channel, session.chatId, { $set: { data: {} }, $unset: { flow: 1, step: 1 } });
}

export async function setSessionLanguage(session: Session, language: Lang): Promise<void> {
  session.language = language;
  const held = heldSessions.get(session);
  if (held) held.languageChanged = true;
  else await update(session.channel, session.chatId, { $set: { language } });
}

/** Remembers the choices a chat was last shown, so a typed number can be matched to one. */
export async function setLastChoices(channel: ChatChannel, chatId: string, choices: Choice[]): Promise<void> {
  await update(channel, chatId, { $set: { lastChoices: choices.map((c) => ({ label: c.label, data: c.data })) } });
}

/** Records forwarded messages of a chat; only the latest RELAYS_KEPT are kept. */
export async function addRelays(channel: ChatChannel, chatId: string, relays: Relay[]): Promise<void> {
  if (!relays.length) return;
  // Read-modify-write instead of `$push` with `$slice`: the embedded server lacks `$slice`, and a
  // lost entry under a race only means a reply falls back to the card's reply action.
  const current = await ChatSession.findOne({ channel, chatId }).select('relays').lean();
  const kept = [...((current?.relays ?? []) as Relay[]), ...relays].slice(-RELAYS_KEPT);
  await update(channel, chatId, { $set: { relays: kept } });
}

export function findRelay(session: Session, messageId: string | undefined): Relay | undefined {
  if (!messageId) return undefined;
  return session.relays.find((r) => r.messageId === String(messageId));
}
