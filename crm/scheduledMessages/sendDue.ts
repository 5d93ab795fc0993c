import { ScheduledMessage, type ScheduledMessageRecord } from '../../models/scheduledMessage.js';
import { User } from '../../models/user.js';
import { Customer } from '../../models/customer.js';
import { logInteraction } from '../interactions/interactions.js';
import { canActOnCustomer, SYSTEM, userActor, type Actor } from '../users/actor.js';
import type { Role } from '../../models/user.js';
import type { ChatChannel } from '../../models/channels.js';
import { sendTextToCustomer, type ChannelSenders, type CustomerSendOutcome } from './sendToCustomer.js';

/**
 * A message left in `sending` longer than this was cut off by a crash (no send takes that long,
 * even one waiting out Telegram's 429): it is marked failed, never sent again.
 */
export const INTERRUPTED_AFTER_MS = 10 * 60_000;
/** Messages missed by longer than this (a worker down for days) are failed as `expired`, not sent late. */
export const LATE_LIMIT_MS = 24 * 60 * 60_000;
/** At most this many sends per run: the next run (a minute later) takes the rest. */
const BATCH = 200;

/** What happened to one message in this run, for the job to tell its author. */
export interface MessageOutcome {
  message: ScheduledMessageRecord;
  outcome: CustomerSendOutcome | { ok: false; reason: 'unknown_delivery' | 'expired' };
}

/**
 * Sends every due scheduled message exactly once, however many workers run this at the same time
 * and across restarts: each message is claimed `scheduled → sending` in one conditional update
 * before the platform call, so only one worker ever sends it; a message found in `sending` after a
 * crash is failed as `unknown_delivery` instead of being sent a second time.
 */
export async function sendDueMessages(senders: ChannelSenders, now: Date, onOutcome: (o: MessageOutcome) => Promise<void> = async () => {}): Promise<MessageOutcome[]> {
  const outcomes: MessageOutcome[] = [];
  const report = async (o: MessageOutcome) => {
    outcomes.push(o);
    await onOutcome(o);
  };
  for (const message of await failInterrupted(now)) await report({ message, outcome: { ok: false, reason: 'unknown_delivery' } });
  for (const message of await expireMissed(now)) await report({ message, outcome: { ok: false, reason: 'expired' } });
  for (let i = 0; i < BATCH; i++) {
    const message = await claimNext(now);
    if (!message) break;
    const actor = await loggingActor(message);
    // The tracking id names the message: a provider's receipt or a bounce finds its way back to it.
    const fallback = { actor, trackingId: `sched:${message._id}`, bulk: Boolean(message.careTemplate) };
    const outcome = await sendTextToCustomer(senders, message.customer, message.text, now, fallback);
    await record(message, outcome, actor, now);
    await report({ message, outcome });
  }
  return outcomes;
}

async function claimNext(now: Date): Promise<ScheduledMessageRecord | null> {
  return (await ScheduledMessage.findOneAndUpdate(
    { status: 'scheduled', sendAt: { $lte: now, $gt: new Date(now.getTime() - LATE_LIMIT_MS) } },
    { $set: { status: 'sending', claimedAt: now } },
    { sort: { sendAt: 1, _id: 1 }, returnDocument: 'after', lean: true },
  )) as ScheduledMessageRecord | null;
}

async function record(message: ScheduledMessageRecord, outcome: CustomerSendOutcome, actor: Actor, now: Date): Promise<void> {
  if (outcome.ok) {
    // An email or SMS was logged with its delivery status as it went; a chat message is logged here.
    const interaction = outcome.interactionId ?? (await logInteraction(actor, message.customer, { type: 'message_out', text: message.text, channel: outcome.channel as ChatChannel, occurredAt: now })).interactionId;
    await ScheduledMessage.updateOne(
      { _id: message._id, status: 'sending' },
      { $set: { status: 'sent', sentAt: now, channel: outcome.channel, interaction }, $unset: { reason: 1 } },
    );
    return;
  }
  // Refused before anything went out (a 429 still standing): back in the queue for the next run.
  if (outcome.retryLater) return void (await ScheduledMessage.updateOne({ _id: message._id, status: 'sending' }, { $set: { status: 'scheduled' }, $unset: { claimedAt: 1 } }));
  const reason = outcome.detail ? `${outcome.reason}: ${outcome.detail}`.slice(0, 300) : outcome.reason;
  await ScheduledMessage.updateOne({ _id: message._id, status: 'sending' }, { $set: { status: 'failed', reason, ...(outcome.channel ? { channel: outcome.channel } : {}), ...(outcome.interactionId ? { interaction: outcome.interactionId } : {}) } });
}

/** The author, when they may still act on the customer (the history says who sent it); else chot itself. */
async function loggingActor(message: ScheduledMessageRecord): Promise<Actor> {
  if (!message.author) return SYSTEM;
  const [author, customer] = await Promise.all([
    User.findById(message.author).select('name role active').lean(),
    Customer.findById(message.customer).select('owner').lean(),
  ]);
  if (!author || !customer) return SYSTEM;
  const actor = userActor({ _id: author._id, role: author.role as Role, name: author.name });
  return canActOnCustomer(actor, customer) ? actor : SYSTEM;
}

/** Each message is failed by one conditional update, so one worker alone reports it. */
async function failOneByOne(filter: Record<string, unknown>, reason: string): Promise<ScheduledMessageRecord[]> {
  const candidates = await ScheduledMessage.find(filter).select('_id').limit(BATCH).lean();
  const failed: ScheduledMessageRecord[] = [];
  for (const { _id } of candidates) {
    const doc = await ScheduledMessage.findOneAndUpdate({ ...filter, _id }, { $set: { status: 'failed', reason } }, { returnDocument: 'after', lean: true });
    if (doc) failed.push(doc as ScheduledMessageRecord);
  }
  return failed;
}

function failInterrupted(now: Date): Promise<ScheduledMessageRecord[]> {
  return failOneByOne({ status: 'sending', claimedAt: { $lte: new Date(now.getTime() - INTERRUPTED_AFTER_MS) } }, 'unknown_delivery');
}

function expireMissed(now: Date): Promise<ScheduledMessageRecord[]> {
  return failOneByOne({ status: 'scheduled', sendAt: { $lte: new Date(now.getTime() - LATE_LIMIT_MS) } }, 'expired');
}
