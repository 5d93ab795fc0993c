import type { Types } from 'mongoose';
import { Customer } from '../../models/customer.js';
import { Interaction } from '../../models/interaction.js';
import { CHAT_CHANNELS, type ChatChannel } from '../../models/channels.js';
import type { ChannelSender, SendResult } from '../../bot/core/types.js';
import { notReachableReason, RECIPIENT_PROJECTION, unreachableReason, type RecipientFields } from '../campaigns/segment.js';
import { lastInboundChannel } from '../interactions/lastInboundChannel.js';
import { markUnreachable } from '../customers/customers.js';

/** What the send path needs from the running process: the registered senders (the Notifier has them). */
export interface ChannelSenders {
  sender(channel: ChatChannel): ChannelSender | undefined;
}

/**
 * How one send went. `sent` names the channel; a refusal says why, in the words recorded on the
 * message and shown to its author: the campaigns' reasons (`opted_out`, `unreachable`, `no_chat_id`,
 * `deleted`, `channel_not_configured`) and the platform's (`blocked`, `quota`, `rate_limited`, `error`),
 * plus `outside_window` (Zalo OA only answers within 7 days of the customer's last message).
 */
export type CustomerSendOutcome =
  | { ok: true; channel: ChatChannel; messageIds: string[] }
  | { ok: false; channel?: ChatChannel; reason: string; detail?: string; retryLater?: boolean };

/** Zalo OA's free customer-service messages: only within this long after the customer last wrote. */
export const ZALO_OA_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * The one way a message chot composed (scheduled by a salesperson, or a care greeting) reaches a
 * customer: on the channel they last wrote on, else the first that reaches them; the same opt-out
 * and unreachable rules as campaigns; sent at most once (a request whose outcome is unknown is not
 * repeated). Outreach channels (email, ZNS, SMS) plug in here when they exist.
 */
export async function sendTextToCustomer(senders: ChannelSenders, customerId: Types.ObjectId, text: string, now: Date): Promise<CustomerSendOutcome> {
  const customer = (await Customer.findById(customerId).select({ ...RECIPIENT_PROJECTION, deletedAt: 1 }).lean()) as RecipientFields | null;
  if (!customer || customer.deletedAt) return { ok: false, reason: 'deleted' };
  const channel = await chooseChannel(customer, senders);
  if (!channel) {
    const reachable = CHAT_CHANNELS.filter((c) => !unreachableReason(customer, c));
    // Reachable on a channel whose adapter is not running here: a setup problem, not the customer's.
    return { ok: false, reason: reachable.length ? 'channel_not_configured' : notReachableReason(customer, [...CHAT_CHANNELS]) };
  }
  if (channel === 'zalo_oa' && (await outsideZaloWindow(customer._id, now))) return { ok: false, channel, reason: 'outside_window' };
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
