import type { Types } from 'mongoose';
import { Customer } from '../../models/customer.js';
import { Interaction } from '../../models/interaction.js';
import { CHAT_CHANNELS, type ChatChannel } from '../../models/channels.js';
import type { ChannelSender, SendResult } from '../../bot/core/types.js';
import { notReachableReason, RECIPIENT_PROJECTION, unreachableReason, type RecipientFields } from '../campaigns/segment.js';
import { lastInboundChannel } from '../interactions/lastInboundChannel.js';
import { markUnreachable } from '../customers/customers.js';
import type { OutreachChannel, OutreachSender } from '../outreach/types.js';
import type { Actor } from '../users/actor.js';
import { configuredFallbacks, fallbackChannel, sendByFallback, type FallbackChannel, type FallbackRecipient } from './fallback.js';

/** What the send path needs from the running process: the registered senders (the Notifier has them). */
export interface ChannelSenders {
  sender(channel: ChatChannel): ChannelSender | undefined;
  /** Email and SMS, when configured here; absent or undefined means chat only. */
  outreach?(channel: OutreachChannel): OutreachSender | undefined;
}

/** Where the message went: a chat channel, or the email/SMS fallback. */
export type SentChannel = ChatChannel | FallbackChannel;

/**
 * How one send went. `sent` names the channel; a refusal says why, in the words recorded on the
 * message and shown to its author: the campaigns' reasons (`opted_out`, `unreachable`, `no_chat_id`,
 * `deleted`, `channel_not_configured`) and the platform's (`blocked`, `quota`, `rate_limited`, `error`),
 * plus `outside_window` (Zalo OA only answers within 7 days of the customer's last message) and
 * `no_address` (no chat account, and no email or mobile for the channels configured here). An email
 * or SMS is already on the customer's history: `interactionId` says where.
 */
export type CustomerSendOutcome =
  | { ok: true; channel: SentChannel; messageIds: string[]; interactionId?: Types.ObjectId }
  | { ok: false; channel?: SentChannel; reason: string; detail?: string; retryLater?: boolean; interactionId?: Types.ObjectId };

/** What an email/SMS fallback needs besides the text: who logs it, its tracking id, its subject. */
export interface FallbackContext {
  actor: Actor;
  trackingId: string;
  /** The email subject; a short default from the company name when absent. */
  subject?: string;
  /** Automatic messages to many customers (care greetings) carry the email's unsubscribe link. */
  bulk?: boolean;
}

/** Zalo OA's free customer-service messages: only within this long after the customer last wrote. */
export const ZALO_OA_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * The one way a message chot composed (scheduled by a salesperson, or a care greeting) reaches a
 * customer: on the chat channel they last wrote on, else the first chat that reaches them; when no
 * chat does (none, opted out, blocked before, Zalo OA's window closed), by SMS, then by email
 * (crm/scheduledMessages/fallback.ts). The same opt-out and unreachable rules as campaigns; sent at
 * most once (a request whose outcome is unknown is not repeated, and a refusal is not retried on
 * another channel: only what is known before sending moves the choice along).
 */
export async function sendTextToCustomer(senders: ChannelSenders, customerId: Types.ObjectId, text: string, now: Date, fallback?: FallbackContext): Promise<CustomerSendOutcome> {
  const customer = (await Customer.findById(customerId).select({ ...RECIPIENT_PROJECTION, deletedAt: 1, language: 1 }).lean()) as FallbackRecipient | null;
  if (!customer || customer.deletedAt) return { ok: false, reason: 'deleted' };
  const channel = await chooseChannel(customer, senders);
  const closedWindow = channel === 'zalo_oa' && (await outsideZaloWindow(customer._id, now));
  if (channel && !closedWindow) return sendOnChat(senders, customer, channel, text);
  const other = fallback ? fallbackChannel(customer, configuredFallbacks(senders)) : undefined;
  if (other) return sendByFallback(other, senders.outreach!(other)!, customer, text, now, fallback!);
  if (closedWindow) return { ok: false, channel: 'zalo_oa', reason: 'outside_window' };
  return whyNotReached(customer, senders);
}

/** The reason when neither a chat nor a configured email/SMS reaches the customer. */
function whyNotReached(customer: FallbackRecipient, senders: ChannelSenders): CustomerSendOutcome {
  // Reachable on a channel whose adapter is not running here: a setup problem, not the customer's.
  if (CHAT_CHANNELS.some((c) => !unreachableReason(customer, c))) return { ok: false, reason: 'channel_not_configured' };
  const configured = configuredFallbacks(senders);
  const reason = notReachableReason(customer, [...CHAT_CHANNELS, ...configured]);
  return { ok: false, reason: reason === 'no_chat_id' && configured.length ? 'no_address' : reason };
}

async function sendOnChat(senders: ChannelSenders, customer: FallbackRecipient, channel: ChatChannel, text: string): Promise<CustomerSendOutcome> {
  let result: SendResult;
  try {
    result = await senders.sender(channel)!.send(customer.chatIds![channel]!, [{ text }], { atMostOnce: true });
  } catch (err) {
    result = { ok: false, reason: 'error', detail: err instanceof Error ? err.message : String(err) };
  }
  if (result.ok) return { ok: true, channel, messageIds: result.messageIds };
  if (result.reason === 'blocked') await markUnreachable(customer._id, channel);
  const detail = result.detail?.slice(0, 200);
  // A 429 still refused after the sender's wait: nothing went out, so it may be tried again later.
  return { ok: false, channel, reason: result.reason === 'not_configured' ? 'channel_not_configured' : result.reason, detail, retryLater: result.reason === 'rate_limited' };
}

async function chooseChannel(customer: RecipientFields, senders: ChannelSenders): Promise<ChatChannel | undefined> {
  const usable = (c: ChatChannel) => !unreachableReason(customer, c) && Boolean(senders.sender(c));
  const last = await lastInboundChannel(customer._id);
  if (last && usable(last)) return last;
  return CHAT_CHANNELS.find(usable);
}

async function outsideZaloWindow(customerId: Types.ObjectId, now: Date): Promise<boolean> {
  const last = await Interaction.findOne({ customer: customerId, type: 'message_in', channel: 'zalo_oa' }).sort({ occurredAt: -1 }).select('occurredAt').lean();
  return !last || now.getTime() - last.occurredAt.getTime() > ZALO_OA_WINDOW_MS;
}
