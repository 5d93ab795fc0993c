import { cardRecipient, CARD_EMAIL_MAX, CARD_SMS_MAX, sendFromCard } from '../../crm/outreach/sendFromCard.js';
import { smsPreview } from '../../crm/outreach/sms/preview.js';
import type { SmsSender } from '../../crm/outreach/sms/smsSender.js';
import { formatPhone } from '../../crm/customers/phone.js';
import { formatVnd } from '../../crm/shared/money.js';
import { t, type Lang, type MessageKey } from '../../i18n/index.js';
import { actionData, type Action } from './actions.js';
import { typeLabel } from './card.js';
import { clearFlow, setFlow } from './session.js';
import { openCard } from './staff.js';
import type { StaffTurn } from './turn.js';
import type { Reply } from './types.js';
import { cancelChoice } from './choices.js';

/**
 * The card's ✉ Email and 💬 SMS when chot can send them: ask (subject and) text, show a preview (an
 * SMS as it will go out, without marks, with its parts and cost), send on confirmation, and log it
 * with the delivery status (crm/outreach/sendFromCard.ts). With the channel not configured, or no
 * address on the customer, the card keeps its old "log that one was sent" flow.
 */
export const OUTREACH_FLOW = 'outreach';

interface FlowData {
  customerId: string;
  channel: 'email' | 'sms';
  name: string;
  address: string;
  subject?: string;
  text?: string;
}

function shownAddress(channel: 'email' | 'sms', address: string): string {
  return channel === 'sms' ? formatPhone(address) : address;
}

/** Starts the sending flow, or undefined when the old log-only flow applies. */
export async function startOutreachSend(turn: StaffTurn, type: string, customerId: string): Promise<Reply[] | undefined> {
  if (type !== 'email' && type !== 'sms') return undefined;
  if (!turn.deps.notifier.outreach(type)) return undefined;
  const { customer, address } = await cardRecipient(turn.actor, customerId, type);
  if (!address) return undefined;
  const data: FlowData = { customerId: String(customer._id), channel: type, name: customer.name, address };
  const { lang } = turn;
  await setFlow(turn.session, OUTREACH_FLOW, type === 'email' ? 'subject' : 'text', { ...data });
  const ask = t(lang, type === 'email' ? 'outreach.card.askSubject' : 'outreach.card.askSms', { name: customer.name, address: shownAddress(type, address) });
  return [{ text: ask, choices: [{ label: t(lang, 'outreach.card.logOnly'), data: actionData.logOnly(type, customer._id) }, cancelChoice(lang)] }];
}

export async function continueOutreachSend(turn: StaffTurn, action: Action | undefined): Promise<Reply[]> {
  const { session, lang, text } = turn;
  const data = session.data as unknown as FlowData;
  if (action?.kind === 'outreachSend' && session.step === 'confirm') return send(turn, data);
  switch (session.step) {
    case 'subject':
      if (!text) return [{ text: t(lang, 'outreach.card.askSubject', { name: data.name, address: data.address }), choices: [cancelChoice(lang)] }];
      await setFlow(session, OUTREACH_FLOW, 'text', { ...data, subject: text.replace(/\s+/g, ' ').slice(0, 200) });
      return [{ text: t(lang, 'outreach.card.askBody'), choices: [cancelChoice(lang)] }];
    case 'text':
    case 'confirm': {
      // At the preview, a new text replaces the old one: the person corrected it.
      if (!text) return [preview(turn, data)];
      const max = data.channel === 'email' ? CARD_EMAIL_MAX : CARD_SMS_MAX;
      if (text.length > max) return [{ text: t(lang, 'outreach.card.tooLong', { length: text.length, max }), choices: [cancelChoice(lang)] }];
      const next = { ...data, text };
      await setFlow(session, OUTREACH_FLOW, 'confirm', { ...next });
      return [preview(turn, next)];
    }
    default:
      await clearFlow(session);
      return [{ text: t(lang, 'chat.staffUnknownChoice') }];
  }
}

function preview(turn: StaffTurn, data: FlowData): Reply {
  const { lang } = turn;
  const choices = [{ label: t(lang, 'outreach.card.send'), data: actionData.outreachSend }, cancelChoice(lang)];
  const to = shownAddress(data.channel, data.address);
  if (data.channel === 'email') return { text: t(lang, 'outreach.card.previewEmail', { address: to, subject: data.subject ?? '', text: data.text ?? '' }), choices };
  const price = (turn.deps.notifier.outreach('sms') as SmsSender | undefined)?.pricePerSegmentVnd ?? 0;
  const { asWritten, unaccented } = smsPreview(data.text ?? '', price);
  return {
    text: t(lang, 'outreach.card.previewSms', {
      address: to,
      segments: unaccented.segments,
      cost: formatVnd(unaccented.costVnd, lang),
      accentedSegments: asWritten.segments,
      accentedCost: formatVnd(asWritten.costVnd, lang),
      text: unaccented.text,
    }),
    choices,
  };
}

async function send(turn: StaffTurn, data: FlowData): Promise<Reply[]> {
  const { lang } = turn;
  // The flow ends before the send: a second press of an old "Send" button sends nothing twice.
  await clearFlow(turn.session);
  const { result, customer } = await sendFromCard(turn.actor, data.customerId, turn.deps.notifier.outreach(data.channel), { subject: data.subject, text: data.text ?? '' }, turn.now);
  const type = typeLabel(lang, data.channel);
  const header = result.ok
    ? t(lang, 'outreach.card.sent', { type, name: customer.name })
    : t(lang, 'outreach.card.failed', { type, name: customer.name, why: t(lang, `outreach.why.${result.reason}` as MessageKey) });
  return openCard(turn, customer._id, header);
}
