import type { Types } from 'mongoose';
import { DateTime } from 'luxon';
import { ScheduledMessage, type ScheduledMessageRecord } from '../../models/scheduledMessage.js';
import { Customer } from '../../models/customer.js';
import { CAMPAIGN_TEXT_MAX } from '../campaigns/template.js';
import { getCustomerForActor } from '../customers/customers.js';
import { CrmError } from '../shared/errors.js';
import { sameId, toObjectId } from '../shared/ids.js';
import type { FindSpec } from '../shared/readTogether.js';
import { actorUserId, canActOnCustomer, seesAllCustomers, type Actor } from '../users/actor.js';

/** The same cap as a campaign message: the smallest any chat channel accepts (Zalo Bot's 2,000). */
export const SCHEDULED_TEXT_MAX = CAMPAIGN_TEXT_MAX;
/** The furthest ahead a message may be set: beyond that it is more likely a typo than a plan. */
export const SCHEDULE_AHEAD_YEARS = 1;

/** Refuses a time already past or more than a year ahead, with the reason the person is told. */
function assertSendTimeAllowed(sendAt: Date, now: Date): void {
  if (Number.isNaN(sendAt.getTime())) throw new CrmError('invalid', { field: 'sendAt' });
  if (sendAt.getTime() <= now.getTime()) throw new CrmError('scheduledMessage.past');
  if (sendAt > DateTime.fromJSDate(now).plus({ years: SCHEDULE_AHEAD_YEARS }).toJSDate()) throw new CrmError('scheduledMessage.tooFar');
}

/** The text as it will be sent; empty or too long is refused (never cut: the author would not know). */
export function cleanMessageText(text: unknown): string {
  const clean = typeof text === 'string' ? text.trim() : '';
  if (!clean || Array.from(clean).length > SCHEDULED_TEXT_MAX) throw new CrmError('scheduledMessage.textInvalid', { max: SCHEDULED_TEXT_MAX });
  return clean;
}

/** A salesperson schedules a text to one of their customers (a manager to anyone's). */
export async function scheduleMessage(actor: Actor, customerId: unknown, input: { text: string; sendAt: Date }, now = new Date()): Promise<ScheduledMessageRecord> {
  const customer = await getCustomerForActor(actor, customerId);
  const text = cleanMessageText(input.text);
  assertSendTimeAllowed(input.sendAt, now);
  const created = await ScheduledMessage.create({ customer: customer._id, author: actorUserId(actor), text, sendAt: input.sendAt, status: 'scheduled' });
  return created.toObject() as ScheduledMessageRecord;
}

/** The card's list: what is still to go out to this customer, soonest first (the card sends it with its other reads). */
export function pendingMessagesFind(customerId: Types.ObjectId, limit = 5): FindSpec {
  return { model: ScheduledMessage, filter: { customer: customerId, status: { $in: ['scheduled', 'sending'] } }, sort: { sendAt: 1 }, limit };
}

/** Its author, the customer's owner, or a manager/admin. */
export function mayCancel(actor: Actor, message: { author?: Types.ObjectId | null }, customer: { owner?: Types.ObjectId | null }): boolean {
  if (seesAllCustomers(actor)) return true;
  return canActOnCustomer(actor, customer) || sameId(message.author, actorUserId(actor));
}

/** Cancels a message not yet taken for sending; one already being sent (or sent) cannot be. */
export async function cancelScheduledMessage(actor: Actor, messageId: unknown): Promise<ScheduledMessageRecord> {
  const id = toObjectId(messageId, 'notFound.scheduledMessage');
  const message = await ScheduledMessage.findById(id).lean();
  if (!message) throw new CrmError('notFound.scheduledMessage');
  const customer = await Customer.findById(message.customer).select('owner').lean();
  if (!mayCancel(actor, message, customer ?? {})) throw new CrmError('forbidden');
  // Conditional on `scheduled`: a worker that claimed it a moment ago wins, and the person is told so.
  const cancelled = await ScheduledMessage.findOneAndUpdate(
    { _id: id, status: 'scheduled' },
    { $set: { status: 'cancelled', cancelledBy: actorUserId(actor) } },
    { returnDocument: 'after', lean: true },
  );
  if (!cancelled) throw new CrmError('scheduledMessage.notCancellable', { status: message.status });
  return cancelled as ScheduledMessageRecord;
}
