import type { Types } from 'mongoose';
import { ChatSession } from '../../models/chatSession.js';
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
  const doc = await ChatSession.findOne({ channel, chatId }).lean();
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

/** One atomic upsert per change, keyed on the natural key (channel, chat id). */
async function update(channel: ChatChannel, chatId: string, change: Record<string, unknown>): Promise<void> {
  await ChatSession.updateOne({ channel, chatId }, { ...change, $setOnInsert: { channel, chatId } }, { upsert: true });
}

/** Starts or advances a flow; `data` replaces the flow's answers so far. */
export async function setFlow(session: Session, flow: string, step: string, data: Record<string, unknown> = {}): Promise<void> {
  session.flow = flow;
  session.step = step;
  session.data = data;
  await update(session.channel, session.chatId, { $set: { flow, step, data } });
}

export async function clearFlow(session: Session): Promise<void> {
  const hadFlow = Boolean(session.flow);
  session.flow = undefined;
  session.step = undefined;
  session.data = {};
  if (hadFlow) await update(session.channel, session.chatId, { $set: { data: {} }, $unset: { flow: 1, step: 1 } });
}

export async function setSessionLanguage(session: Session, language: Lang): Promise<void> {
  session.language = language;
  await update(session.channel, session.chatId, { $set: { language } });
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
