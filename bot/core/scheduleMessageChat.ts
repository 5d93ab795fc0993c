import { DateTime } from 'luxon';
import type { CustomerCard } from '../../crm/customers/customerCard.js';
import { getCustomerForActor } from '../../crm/customers/customers.js';
import { cancelScheduledMessage, cleanMessageText, mayCancel, scheduleMessage } from '../../crm/scheduledMessages/schedule.js';
import { formatBirthday, setBirthday } from '../../crm/care/birthday.js';
import { CHAT_CHANNELS } from '../../models/channels.js';
import { fallbackChannel } from '../../crm/scheduledMessages/fallback.js';
import type { RecipientFields } from '../../crm/campaigns/segment.js';
import { canActOnCustomer, type Actor } from '../../crm/users/actor.js';
import { isCrmError } from '../../crm/shared/errors.js';
import { errorMessage, t, type Lang } from '../../i18n/index.js';
import { actionData, type Action } from './actions.js';
import { clip, formatWhen } from './card.js';
import { parseWhen } from './parseWhen.js';
import { clearFlow, setFlow } from './session.js';
import { openCard } from './staff.js';
import type { StaffTurn } from './turn.js';
import type { Choice, Reply } from './types.js';
import { cancelChoice } from './choices.js';

/**
 * "⏰ Hẹn gửi tin" and "🎂 Sinh nhật" from the customer card: the text, then the time (read in the
 * company's time zone, refused when past or more than a year ahead), confirmed in local time; the
 * card lists what is still to go out, each with a cancel button; and the birthday typed as 12/5 or
 * 12/05/1990. The rules themselves live in crm/scheduledMessages and crm/care.
 */

type ScheduleAction = Extract<Action, { kind: 'schedMsg' | 'birthday' | 'schedCancel' }>;

export const SCHEDULE_FLOWS = ['schedMsg', 'birthday'];

export function isScheduleAction(action: Action): action is ScheduleAction {
  return action.kind === 'schedMsg' || action.kind === 'birthday' || action.kind === 'schedCancel';
}

export async function runScheduleAction(turn: StaffTurn, action: ScheduleAction): Promise<Reply[]> {
  const { lang } = turn;
  if (action.kind === 'schedCancel') {
    await clearFlow(turn.session);
    const message = await cancelScheduledMessage(turn.actor, action.messageId);
    return openCard(turn, message.customer, t(lang, 'sched.cancelled', { name: (await getCustomerForActor(turn.actor, message.customer)).name, when: formatWhen(message.sendAt, lang, turn.timezone) }));
  }
  const customer = await getCustomerForActor(turn.actor, action.customerId);
  const data = { customerId: String(customer._id), name: customer.name };
  if (action.kind === 'birthday') {
    await setFlow(turn.session, 'birthday', 'day', data);
    return [{ text: t(lang, 'bday.ask', { name: customer.name }), choices: [cancelChoice(lang)] }];
  }
  await setFlow(turn.session, 'schedMsg', 'text', data);
  return [{ text: t(lang, 'sched.ask.text', { name: customer.name }), choices: [cancelChoice(lang)] }];
}

export async function continueScheduleFlow(turn: StaffTurn): Promise<Reply[]> {
  const { session, lang, text } = turn;
  const data = session.data as Record<string, string | undefined>;
  const again = (message: string): Reply[] => [{ text: message, choices: [cancelChoice(lang)] }];
  try {
    switch (`${session.flow}:${session.step}`) {
      case 'schedMsg:text': {
        const clean = cleanMessageText(text);
        await setFlow(session, 'schedMsg', 'when', { ...data, text: clean });
        return again(t(lang, 'sched.ask.when'));
      }
      case 'schedMsg:when': {
        const sendAt = parseWhen(text, { now: turn.now, timezone: turn.timezone });
        if (!sendAt) return again(t(lang, 'sched.notUnderstood', { input: text.slice(0, 60) }));
        const message = await scheduleMessage(turn.actor, data.customerId, { text: data.text ?? '', sendAt }, turn.now);
        await clearFlow(session);
        const when = formatWhen(message.sendAt, lang, turn.timezone, turn.now);
        return openCard(turn, message.customer, t(lang, 'sched.done', { name: data.name ?? '', when, zone: turn.timezone, text: message.text }));
      }
      case 'birthday:day': {
        const birthday = await setBirthday(turn.actor, data.customerId, text || '-');
        await clearFlow(session);
        return openCard(turn, data.customerId, t(lang, 'bday.done', { name: data.name ?? '', day: formatBirthday(birthday) }));
      }
      default:
        await clearFlow(session);
        return [];
    }
  } catch (e) {
    // A refusal (too long, past, unreadable) keeps the flow: the person types it again or cancels.
    if (isCrmError(e) && e.code !== 'forbidden' && e.code !== 'notFound.customer') return again(errorMessage(lang, e));
    throw e;
  }
}

/** The card's lines: the birthday, and the messages still to go out. */
export function scheduleCardLines(card: CustomerCard, lang: Lang, timezone: string): string[] {
  const lines: string[] = [];
  const birthday = formatBirthday(card.customer.birthday as { day?: number; month?: number; year?: number } | undefined);
  if (birthday) lines.push(t(lang, 'bday.card', { day: birthday }));
  const pending = card.scheduledMessages ?? [];
  if (pending.length) {
    lines.push('', t(lang, 'sched.card.title'));
    for (const m of pending) lines.push(`• ${formatWhen(m.sendAt, lang, timezone)} — ${clip(m.text, 60)}`);
  }
  return lines;
}

/**
 * Only for those who may change the customer, and only when the message has a way to go: a chat
 * account, or an email/mobile on a channel configured here (the card carries which are).
 */
export function scheduleCardChoices(card: CustomerCard, lang: Lang, actor: Actor, timezone: string): Choice[] {
  const customer = card.customer;
  if (!canActOnCustomer(actor, customer)) return [];
  const id = String(customer._id);
  const choices: Choice[] = [];
  const chatIds = (customer.chatIds ?? {}) as Record<string, string | undefined>;
  const byFallback = () => Boolean(fallbackChannel(customer as unknown as RecipientFields, card.fallbackChannels ?? []));
  if (CHAT_CHANNELS.some((c) => chatIds[c]) || byFallback()) choices.push({ label: t(lang, 'sched.action.schedule'), data: actionData.schedMsg(id) });
  choices.push({ label: t(lang, 'sched.action.birthday'), data: actionData.birthday(id) });
  for (const m of card.scheduledMessages ?? []) {
    if (m.status !== 'scheduled' || !mayCancel(actor, m, customer)) continue;
    const when = DateTime.fromJSDate(m.sendAt, { zone: timezone }).toFormat('dd/MM HH:mm');
    choices.push({ label: t(lang, 'sched.action.cancel', { when }), data: actionData.schedCancel(m._id) });
  }
  return choices;
}
