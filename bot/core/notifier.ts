import type { Types } from 'mongoose';
import type { Logger } from '../../app/logger.js';
import { CHAT_CHANNELS, type ChatChannel } from '../../models/channels.js';
import { Customer } from '../../models/customer.js';
import { getUser, type StaffUser } from '../../crm/users/users.js';
import { markUnreachable } from '../../crm/customers/customers.js';
import type { Lang } from '../../i18n/index.js';
import type { ChannelSender, Reply, SendResult } from './types.js';
import type { OutreachChannel, OutreachSender } from '../../crm/outreach/types.js';
import { collectChoices } from './choices.js';
import { setLastChoices } from './session.js';
import { MessageAlerts } from './messageAlerts.js';

export interface ChannelOutcome {
  channel: ChatChannel;
  result: SendResult;
}

/**
 * The one way chot sends anything it starts itself (new-lead alerts, reminders, digests, replies
 * relayed to customers). Adapters register their outbound side; callers never know the platforms.
 */
export class Notifier {
  private readonly senders = new Map<ChatChannel, ChannelSender>();
  private readonly outreachSenders = new Map<OutreachChannel, OutreachSender>();
  /** "New message" alerts to a customer's owner, coalesced per customer and window, for every channel. */
  readonly messageAlerts: MessageAlerts;

  constructor(
    private readonly logger: Logger,
    opts: { messageAlertWindowMs?: number; clock?: () => Date } = {},
  ) {
    this.messageAlerts = new MessageAlerts(this, logger, opts.messageAlertWindowMs, opts.clock);
  }

  register(sender: ChannelSender): void {
    this.senders.set(sender.channel, sender);
  }

  sender(channel: ChatChannel): ChannelSender | undefined {
    return this.senders.get(channel);
  }

  get channels(): ChatChannel[] {
    return [...this.senders.keys()];
  }

  /** Email, ZNS, SMS: registered by app/outreach.ts only when their configuration is complete. */
  registerOutreach(sender: OutreachSender): void {
    this.outreachSenders.set(sender.channel, sender);
  }

  /** The sender of an outreach channel, or undefined when that channel is not configured here. */
  outreach(channel: OutreachChannel): OutreachSender | undefined {
    return this.outreachSenders.get(channel);
  }

  get outreachChannels(): OutreachChannel[] {
    return [...this.outreachSenders.keys()];
  }

  /**
   * Tells a staff user something on every channel they have linked, in their language. Returns one
   * outcome per linked channel (none when they have linked nothing that is running).
   */
  async notifyStaff(user: StaffUser | Types.ObjectId, build: (lang: Lang) => Reply[]): Promise<ChannelOutcome[]> {
    const staff = 'email' in user ? user : await getUser(user);
    if (!staff || !staff.active) return [];
    const replies = build((staff.language as Lang) ?? 'vi');
    const outcomes: ChannelOutcome[] = [];
    for (const channel of CHAT_CHANNELS) {
      const chatId = staff.chatIds?.[channel];
      const sender = this.senders.get(channel);
      if (!chatId || !sender) continue;
      const result = await this.safeSend(sender, chatId, replies);
      // The staff chat now shows these choices: a number typed next (no buttons) means one of them.
      if (result.ok) await setLastChoices(channel, chatId, collectChoices(replies));
      if (!result.ok) this.logger.warn({ userId: String(staff._id), channel, reason: result.reason, detail: result.detail }, 'staff notification not delivered');
      outcomes.push({ channel, result });
    }
    return outcomes;
  }

  /**
   * Sends to a customer on one of their channels: the one asked for, else the first they can be
   * reached on. A send the platform refuses for good (blocked, unfollowed) marks the customer
   * unreachable there, so nobody retries it forever.
   */
  async sendToCustomer(
    customerId: Types.ObjectId,
    replies: Reply[],
    opts: { channel?: ChatChannel } = {},
  ): Promise<ChannelOutcome | { channel: null; result: SendResult }> {
    const customer = await Customer.findById(customerId).select('chatIds unreachable').lean();
    const chatIds = (customer?.chatIds ?? {}) as Partial<Record<ChatChannel, string>>;
    const unreachable = (customer?.unreachable ?? {}) as Partial<Record<ChatChannel, boolean>>;
    const candidates = opts.channel ? [opts.channel] : CHAT_CHANNELS.filter((c) => chatIds[c] && !unreachable[c]);
    const channel = candidates.find((c) => chatIds[c] && this.senders.has(c));
    if (!channel) return { channel: null, result: { ok: false, reason: 'not_configured', detail: 'no reachable channel' } };
    const result = await this.safeSend(this.senders.get(channel)!, chatIds[channel]!, replies);
    if (!result.ok && result.reason === 'blocked') await markUnreachable(customerId, channel);
    return { channel, result };
  }

  private async safeSend(sender: ChannelSender, chatId: string, replies: Reply[]): Promise<SendResult> {
    try {
      return await sender.send(chatId, replies);
    } catch (err) {
      this.logger.error({ err, channel: sender.channel }, 'send failed');
      return { ok: false, reason: 'error', detail: err instanceof Error ? err.message : String(err) };
    }
  }
}
