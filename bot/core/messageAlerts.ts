import type { Types } from 'mongoose';
import type { Logger } from '../../app/logger.js';
import { t, type Lang } from '../../i18n/index.js';
import { Customer } from '../../models/customer.js';
import { MessageAlert } from '../../models/messageAlert.js';
import type { ChatChannel } from '../../models/channels.js';
import { actionData } from './actions.js';
import type { Notifier } from './notifier.js';
import { notifyStaffAndRemember } from './staffNotify.js';
import type { Reply } from './types.js';

/**
 * "New message from a customer" alerts, at most one per customer, salesperson and window (a
 * minute by default), whatever the channel. The first message of a burst goes out at once, in full;
 * the ones after it within the window are counted, and when the window ends the salesperson gets
 * one summary ("3 tin mới từ KH000215", with the latest text). Nothing is lost on the way: every
 * message is an interaction on the customer's card before its alert is even considered.
 *
 * The window lives in the database (MessageAlert, one row per customer and salesperson), changed
 * only by single-document atomic updates, so another process receiving the next message, or the
 * process started after a crash, continues the same window; whoever claims the summary sends it.
 * A timer in the process that counted a message sends the summary on time; a sweep every few
 * seconds sends the ones whose process died.
 */
export class MessageAlerts {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly notifier: Notifier,
    private readonly logger: Logger,
    private readonly windowMs: number = 60_000,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** A known customer wrote `text`: alert the owner now, or count it for the window's summary. */
  async customerWrote(owner: Types.ObjectId, customer: { _id: Types.ObjectId; code: string; name: string }, text: string, channel: ChatChannel): Promise<void> {
    const now = this.clock();
    const key = { customer: customer._id, owner };
    // The row exists from the first message on (keyed on its natural key, so no duplicate).
    await MessageAlert.updateOne(key, { $setOnInsert: { until: new Date(0), pending: 0 } }, { upsert: true });
    // Nothing held back and the last window over: this message opens a new window and goes out at once.
    const opened = await MessageAlert.findOneAndUpdate({ ...key, pending: 0, until: { $lte: now } }, { $set: { until: new Date(now.getTime() + this.windowMs) } });
    if (opened) {
      await notifyStaffAndRemember(this.notifier, owner, (lang) => [forwardReply(lang, customer, text)], { customer: customer._id, customerChannel: channel });
      return;
    }
    const held = await MessageAlert.findOneAndUpdate(key, { $inc: { pending: 1 }, $set: { lastText: text.slice(0, 1000), lastChannel: channel } }, { returnDocument: 'after' });
    if (held) this.flushAt(customer._id, owner, held.until);
  }

  /** Sends the summaries whose process is gone (a crash, a restart), every few seconds. */
  start(): void {
    const every = Math.min(Math.max(this.windowMs / 2, 1_000), 15_000);
    this.sweeper = setInterval(() => void this.sweep(), every);
    this.sweeper.unref();
  }

  stop(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async sweep(): Promise<void> {
    try {
      const due = await MessageAlert.find({ pending: { $gt: 0 }, until: { $lte: this.clock() } }).select('customer owner').limit(100).lean();
      for (const row of due) await this.flush(row.customer, row.owner);
    } catch (err) {
      this.logger.warn({ err }, 'message alert sweep failed; trying again shortly');
    }
  }

  private flushAt(customer: Types.ObjectId, owner: Types.ObjectId, until: Date): void {
    const id = `${customer}:${owner}`;
    if (this.timers.has(id)) return;
    const timer = setTimeout(() => {
      this.timers.delete(id);
      void this.flush(customer, owner).catch((err: unknown) => this.logger.warn({ err }, 'message alert summary failed; the sweep tries again'));
    }, Math.max(0, until.getTime() - this.clock().getTime()) + 20);
    timer.unref();
    this.timers.set(id, timer);
  }

  /** Claims the window's held messages (once, across processes) and sends their summary. */
  private async flush(customerId: Types.ObjectId, owner: Types.ObjectId): Promise<void> {
    const now = this.clock();
    // The summary opens the next window too: a steady stream gives one alert per window, no more.
    const claimed = await MessageAlert.findOneAndUpdate(
      { customer: customerId, owner, pending: { $gt: 0 }, until: { $lte: now } },
      { $set: { pending: 0, until: new Date(now.getTime() + this.windowMs) } },
      { returnDocument: 'before' },
    ).lean();
    if (!claimed) return;
    const customer = await Customer.findById(customerId).select('code name').lean();
    if (!customer) return;
    const channel = (claimed.lastChannel ?? undefined) as ChatChannel | undefined;
    await notifyStaffAndRemember(this.notifier, owner, (lang) => [summaryReply(lang, customer, claimed.pending, claimed.lastText ?? '')], {
      customer: customerId,
      customerChannel: channel,
    });
  }
}

function actions(lang: Lang, customerId: Types.ObjectId) {
  const id = String(customerId);
  return [
    { label: t(lang, 'chat.action.reply'), data: actionData.reply(id) },
    { label: t(lang, 'chat.action.open'), data: actionData.open(id) },
  ];
}

function forwardReply(lang: Lang, customer: { _id: Types.ObjectId; code: string; name: string }, text: string): Reply {
  return { text: `${t(lang, 'chat.forward', { code: customer.code, name: customer.name, text })}\n${t(lang, 'chat.forward.hint')}`, choices: actions(lang, customer._id) };
}

function summaryReply(lang: Lang, customer: { _id: Types.ObjectId; code: string; name: string }, count: number, lastText: string): Reply {
  return {
    text: `${t(lang, 'chat.forward.more', { count, code: customer.code, name: customer.name, text: lastText })}\n${t(lang, 'chat.forward.hint')}`,
    choices: actions(lang, customer._id),
  };
}
