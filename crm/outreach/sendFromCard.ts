import { Types } from 'mongoose';
import { getCustomerForActor, type CustomerRecord } from '../customers/customers.js';
import { logInteraction } from '../interactions/interactions.js';
import { CrmError } from '../shared/errors.js';
import type { Actor } from '../users/actor.js';
import { outreachAddress } from './address.js';
import { toUnaccented } from './sms/unaccented.js';
import type { OutreachMessage, OutreachResult, OutreachSender } from './types.js';

/** Longest email body and SMS text a salesperson may send from the card. */
export const CARD_EMAIL_MAX = 4000;
export const CARD_SMS_MAX = 600;

export interface CardMessage {
  subject?: string;
  text: string;
}

export interface CardSendOutcome {
  result: OutreachResult;
  customer: CustomerRecord;
  address: string;
  interactionId: Types.ObjectId;
}

/** Where the channel reaches this customer, checking first that the actor may act on them. */
export async function cardRecipient(actor: Actor, customerId: unknown, channel: 'email' | 'sms'): Promise<{ customer: CustomerRecord; address: string | null }> {
  const customer = await getCustomerForActor(actor, customerId);
  return { customer, address: outreachAddress(customer, channel) };
}

/**
 * One email or SMS from a salesperson to their customer: sent through the channel's sender, then
 * logged as an interaction (type email / sms) with what the provider answered, sent or refused and
 * why. A refused message is logged too (nothing the salesperson wrote is lost) but does not count
 * as contact. The chat card calls this; the panel and jobs would call the same.
 */
export async function sendFromCard(actor: Actor, customerId: unknown, sender: OutreachSender | undefined, message: CardMessage, now: Date = new Date()): Promise<CardSendOutcome> {
  if (!sender || (sender.channel !== 'email' && sender.channel !== 'sms')) throw new CrmError('outreach.notConfigured');
  const channel = sender.channel;
  const { customer, address } = await cardRecipient(actor, customerId, channel);
  if (!address) throw new CrmError('outreach.noAddress');
  const text = message.text.trim();
  if (!text || text.length > (channel === 'email' ? CARD_EMAIL_MAX : CARD_SMS_MAX)) throw new CrmError('outreach.textRequired');
  const subject = message.subject?.trim().slice(0, 200);
  const trackingId = `card:${new Types.ObjectId()}`;
  const result = await sendOutreachSafely(sender, address, { customerId: customer._id, text, subject, trackingId, bulk: false });
  const logged = await logOutreachSend(actor, customer._id, { channel, subject, text, result, trackingId, now });
  return { result, customer: logged.customer, address, interactionId: logged.interactionId };
}

/**
 * Records one email or SMS on the customer's history with what the provider answered: the text as it
 * went out (an SMS without marks), sent or refused and why. A refusal is kept too but is no contact.
 * The card and the scheduled/care messages (crm/scheduledMessages) log through here.
 */
export async function logOutreachSend(
  actor: Actor,
  customerId: Types.ObjectId,
  sent: { channel: 'email' | 'sms'; subject?: string; text: string; result: OutreachResult; trackingId: string; now: Date },
): Promise<{ customer: CustomerRecord; interactionId: Types.ObjectId }> {
  const { channel, subject, result, trackingId } = sent;
  const sentText = channel === 'sms' ? toUnaccented(sent.text) : sent.text;
  return logInteraction(actor, customerId, {
    type: channel,
    channel: channel === 'email' ? 'email' : 'phone',
    text: subject ? `${subject}\n\n${sentText}` : sentText,
    outcome: result.ok ? 'sent' : 'failed',
    occurredAt: sent.now,
    countsAsContact: result.ok,
    delivery: result.ok
      ? { status: 'sent', providerId: result.providerId, trackingId, costVnd: result.costVnd }
      : { status: 'failed', reason: result.reason, code: result.code, detail: result.detail?.slice(0, 300), trackingId },
  });
}

/** A sender that throws (a bug, a dropped connection) answers like a refusal whose delivery is unknown. */
export async function sendOutreachSafely(sender: OutreachSender, address: string, message: OutreachMessage): Promise<OutreachResult> {
  try {
    return await sender.send(address, message);
  } catch (err) {
    return { ok: false, reason: 'error', detail: err instanceof Error ? err.message : String(err) };
  }
}
