import type { Types } from 'mongoose';
import { getCustomerCard } from '../../crm/customers/customerCard.js';
import { findCustomerByChat, getCustomerForActor, type CustomerRecord } from '../../crm/customers/customers.js';
import { formatPhone } from '../../crm/customers/phone.js';
import { logInteraction } from '../../crm/interactions/interactions.js';
import { lastInboundChannel } from '../../crm/interactions/lastInboundChannel.js';
import { SYSTEM, userActor, type Actor } from '../../crm/users/actor.js';
import type { StaffUser } from '../../crm/users/users.js';
import { CHAT_CHANNELS, type ChatChannel } from '../../models/channels.js';
import { t, type MessageKey } from '../../i18n/index.js';
import { cardReply } from './card.js';
import { notifyStaffAndRemember } from './staffNotify.js';
import type { CoreDeps, StaffTurn, Turn } from './turn.js';
import type { Reply } from './types.js';

const CHANNEL_NAMES: Record<ChatChannel, string> = { telegram: 'Telegram', zalo_oa: 'Zalo OA', zalo_bot: 'Zalo Bot', web: 'Website' };

/**
 * Tells the owner about a lead that just finished the intake: the card with its actions, on every
 * channel they linked. Replying to the card answers the lead, like replying to a forwarded message.
 * A new lead is announced by its source, the one recorded on the customer (a Zalo OA menu link
 * opens the web chat with `src=zalo_oa`: the lead is from Zalo OA, written on the website), with
 * the channel added when it differs; a returning customer by the channel they wrote on now.
 */
export async function notifyOwnerOfLead(deps: CoreDeps, owner: StaffUser, customerId: Types.ObjectId, channel: ChatChannel, isNew: boolean, timezone: string): Promise<void> {
  const card = await getCustomerCard(SYSTEM, customerId);
  const actor = userActor(owner);
  const channelName = CHANNEL_NAMES[channel];
  const source = card.source?.name;
  const header = (lang: 'vi' | 'en') => {
    if (!isNew) return t(lang, 'chat.lead.returning', { channel: channelName });
    if (source && source !== channelName) return t(lang, 'chat.lead.newVia', { source, channel: channelName });
    return t(lang, 'chat.lead.new', { channel: source ?? channelName });
  };
  await notifyStaffAndRemember(deps.notifier, owner, (lang) => [cardReply(card, lang, actor, timezone, header(lang))], {
    customer: customerId,
    customerChannel: channel,
  });
}

/**
 * A message from a known customer: logged as `message_in` first (so nothing is lost whatever the
 * alert does), then the owner is told, coalesced per customer and window (bot/core/messageAlerts.ts).
 */
export async function receiveCustomerMessage(turn: Turn, customer: CustomerRecord, text: string): Promise<void> {
  await logInteraction(SYSTEM, customer._id, { type: 'message_in', text, channel: turn.event.channel });
  if (!customer.owner) return;
  await turn.deps.notifier.messageAlerts.customerWrote(customer.owner as Types.ObjectId, customer, text, turn.event.channel);
}

export async function customerOfChat(turn: Turn): Promise<CustomerRecord | null> {
  return findCustomerByChat(turn.event.channel, turn.event.chatId);
}

/** How a reply to a customer went; the chat and the panel each say it in their own words. */
export type ReplyOutcome =
  | { status: 'sent'; name: string; channel: ChatChannel }
  | { status: 'noChannel'; name: string; phones: string }
  | { status: 'blocked' | 'rate_limited' | 'quota' | 'not_configured' | 'error'; name: string; seconds: number; detail?: string };

/** What sending on a customer's behalf needs from the running process, wherever it is called from. */
export type ReplyDeps = Pick<CoreDeps, 'notifier' | 'logger'>;

/**
 * Sends a staff member's text to the customer on the customer's own channel (the one they wrote
 * from, or last wrote on) and logs it as `message_out`. The one way chot answers a customer for a
 * person: a chat reply and the panel's reply box both come here.
 */
export async function sendReplyToCustomer(deps: ReplyDeps, actor: Actor, customerId: unknown, text: string, channel?: ChatChannel): Promise<ReplyOutcome> {
  const customer = await getCustomerForActor(actor, customerId);
  const chatIds = (customer.chatIds ?? {}) as Partial<Record<ChatChannel, string | null>>;
  const unreachable = (customer.unreachable ?? {}) as Partial<Record<ChatChannel, boolean | null>>;
  const name = customer.name;
  if (!CHAT_CHANNELS.some((c) => chatIds[c])) return { status: 'noChannel', name, phones: customer.phones.map(formatPhone).join(', ') || '—' };
  if (CHAT_CHANNELS.every((c) => !chatIds[c] || unreachable[c])) return { status: 'blocked', name, seconds: 0 };
  // The channel of the message being answered, else the one the customer last wrote on.
  const wanted = channel ?? (await lastInboundChannel(customer._id));
  const target = wanted && chatIds[wanted] && !unreachable[wanted] ? wanted : undefined;
  const { channel: used, result } = await deps.notifier.sendToCustomer(customer._id, [{ text }], target ? { channel: target } : {});
  if (!result.ok) {
    deps.logger.warn({ customerId: String(customer._id), channel: used, reason: result.reason }, 'reply to customer not delivered');
    // The platform's own code and reason (e.g. Zalo's quota error) help the salesperson decide what next.
    const detail = result.detail && (result.reason === 'quota' || result.reason === 'error') ? result.detail.slice(0, 200) : undefined;
    return { status: result.reason, name, seconds: result.retryAfterSeconds ?? 30, detail };
  }
  await logInteraction(actor, customer._id, { type: 'message_out', text, channel: used ?? undefined });
  return { status: 'sent', name, channel: used! };
}

/** The chat's reply: sends as the staff member of this turn and answers in their language. */
export async function relayToCustomer(turn: StaffTurn, customerId: unknown, text: string, channel?: ChatChannel): Promise<Reply[]> {
  const outcome = await sendReplyToCustomer(turn.deps, turn.actor, customerId, text, channel);
  switch (outcome.status) {
    case 'sent':
      return [{ text: t(turn.lang, 'chat.reply.sent', { name: outcome.name }) }];
    case 'noChannel':
      return [{ text: t(turn.lang, 'chat.reply.noChannel', { name: outcome.name, phones: outcome.phones }) }];
    default: {
      const key = `chat.reply.failed.${outcome.status}` as MessageKey;
      return [{ text: t(turn.lang, key, { name: outcome.name, seconds: outcome.seconds }) + (outcome.detail ? `\n(${outcome.detail})` : '') }];
    }
  }
}
