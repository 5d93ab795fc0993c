import type { Types } from 'mongoose';
import { Interaction } from '../../models/interaction.js';
import { WebMessage } from '../../models/webMessage.js';
import { User } from '../../models/user.js';
import type { Actor } from '../users/actor.js';
import { getCustomerForReader } from '../customers/customers.js';

/** One bubble of a customer's conversation, whatever channel it went through. */
export interface ConversationMessage {
  at: Date;
  /** `in`: the customer wrote; `out`: chot or a staff member answered. */
  direction: 'in' | 'out';
  channel: string | null;
  text: string;
  /** The staff member who sent an `out` message by hand; absent for chot's own replies. */
  by?: string;
}

const DEFAULT_LIMIT = 100;

/**
 * The customer's messages and the team's replies across channels, oldest first (newest last, as a
 * chat reads). Chat channels are recorded as `message_in` / `message_out` interactions; the web
 * chat also keeps every bubble of its own (chot's intake questions included), so for a customer
 * with a web chat its store is read instead of its interactions, which would repeat the same texts.
 */
export async function getConversation(actor: Actor, customerId: unknown, limit = DEFAULT_LIMIT): Promise<ConversationMessage[]> {
  const customer = await getCustomerForReader(actor, customerId);
  const cap = Math.min(Math.max(limit, 1), 500);
  const webChatId = (customer.chatIds as { web?: string | null } | undefined)?.web ?? undefined;
  const [interactions, webBubbles] = await Promise.all([
    Interaction.find({ customer: customer._id, type: { $in: ['message_in', 'message_out'] } })
      .sort({ occurredAt: -1 })
      .limit(cap)
      .select('type channel text occurredAt user')
      .lean(),
    webChatId ? WebMessage.find({ chatId: webChatId }).sort({ seq: -1 }).limit(cap).select('from text createdAt').lean() : [],
  ]);
  const senders = await staffNames(interactions.map((i) => i.user).filter((u): u is Types.ObjectId => Boolean(u)));
  // Web bubbles expire (crm/maintenance/retention.ts) while interactions stay: before the oldest
  // bubble still kept, the web chat's messages come from the interactions.
  const storeSince = webBubbles.length ? Math.min(...webBubbles.map((b) => b.createdAt.getTime())) : Infinity;
  const fromStore = (i: { channel?: string | null; occurredAt: Date }) => Boolean(webChatId) && i.channel === 'web' && i.occurredAt.getTime() >= storeSince;
  // A web bubble a staff member sent carries no sender: its message_out record (same text, sent
  // the same moment) says who.
  const webSender = (b: { text?: string | null; createdAt: Date }) => {
    const sent = interactions.find((i) => fromStore(i) && i.user && i.text === b.text && Math.abs(i.occurredAt.getTime() - b.createdAt.getTime()) < 60_000);
    return sent ? senders.get(String(sent.user)) : undefined;
  };
  const messages: ConversationMessage[] = [
    ...interactions.filter((i) => !fromStore(i)).map((i) => ({
      at: i.occurredAt,
      direction: i.type === 'message_in' ? ('in' as const) : ('out' as const),
      channel: i.channel ?? null,
      text: i.text ?? '',
      ...(i.user && senders.has(String(i.user)) ? { by: senders.get(String(i.user)) } : {}),
    })),
    ...webBubbles.map((b) => {
      const by = b.from === 'chot' ? webSender(b) : undefined;
      return { at: b.createdAt, direction: b.from === 'visitor' ? ('in' as const) : ('out' as const), channel: 'web', text: b.text ?? '', ...(by ? { by } : {}) };
    }),
  ];
  return messages.sort((a, b) => a.at.getTime() - b.at.getTime()).slice(-cap);
}

async function staffNames(ids: Types.ObjectId[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const users = await User.find({ _id: { $in: [...new Set(ids.map(String))] } }).select('name').lean();
  return new Map(users.map((u) => [String(u._id), u.name]));
}
