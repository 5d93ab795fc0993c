import { completeFollowUp, getFollowUpForActor, rescheduleFollowUp, snoozeFollowUp } from '../../crm/followups/followups.js';
import { getCustomerForActor } from '../../crm/customers/customers.js';
import { t } from '../../i18n/index.js';
import { actionData } from './actions.js';
import { formatWhen } from './card.js';
import { parseWhen } from './parseWhen.js';
import { clearFlow, setFlow } from './session.js';
import type { StaffTurn } from './turn.js';
import type { Reply } from './types.js';
import { cancelChoice } from './choices.js';

/**
 * The buttons of a follow-up reminder (the jobs send it, the core answers it): done, snooze one
 * hour, or move to a time typed like any other follow-up time.
 */

const SNOOZE_MINUTES = 60;

export async function followUpDone(turn: StaffTurn, followUpId: string): Promise<Reply[]> {
  const { followUp, next } = await completeFollowUp(turn.actor, followUpId, { now: turn.now });
  const customer = await getCustomerForActor(turn.actor, followUp.customer);
  const lines = [t(turn.lang, 'chat.followUp.completed', { name: customer.name })];
  if (next) lines.push(t(turn.lang, 'chat.followUp.nextOccurrence', { when: formatWhen(next.dueAt, turn.lang, turn.timezone) }));
  return [{ text: lines.join('\n'), choices: [{ label: t(turn.lang, 'chat.action.open'), data: actionData.open(customer._id) }] }];
}

export async function followUpSnooze(turn: StaffTurn, followUpId: string): Promise<Reply[]> {
  const moved = await snoozeFollowUp(turn.actor, followUpId, SNOOZE_MINUTES, turn.now);
  const customer = await getCustomerForActor(turn.actor, moved.customer);
  return [{ text: t(turn.lang, 'chat.followUp.snoozed', { name: customer.name, when: formatWhen(moved.dueAt, turn.lang, turn.timezone) }) }];
}

export async function askNewFollowUpTime(turn: StaffTurn, followUpId: string): Promise<Reply[]> {
  const followUp = await getFollowUpForActor(turn.actor, followUpId);
  const customer = await getCustomerForActor(turn.actor, followUp.customer);
  await setFlow(turn.session, 'reschedule', 'when', { followUpId: String(followUp._id) });
  return [
    {
      text: t(turn.lang, 'chat.followUp.askNewTime', { name: customer.name, when: formatWhen(followUp.dueAt, turn.lang, turn.timezone) }),
      choices: [cancelChoice(turn.lang)],
    },
  ];
}

/** The typed answer to askNewFollowUpTime. */
export async function rescheduleFromText(turn: StaffTurn): Promise<Reply[]> {
  const cancel = [cancelChoice(turn.lang)];
  const dueAt = parseWhen(turn.text, { now: turn.now, timezone: turn.timezone });
  if (!dueAt) return [{ text: t(turn.lang, 'chat.followUp.notUnderstood', { input: turn.text.slice(0, 60) }), choices: cancel }];
  const when = formatWhen(dueAt, turn.lang, turn.timezone);
  if (dueAt.getTime() <= turn.now.getTime()) return [{ text: t(turn.lang, 'chat.followUp.past', { when }), choices: cancel }];
  const moved = await rescheduleFollowUp(turn.actor, turn.session.data.followUpId, dueAt, turn.now);
  await clearFlow(turn.session);
  const customer = await getCustomerForActor(turn.actor, moved.customer);
  return [{ text: t(turn.lang, 'chat.followUp.snoozed', { name: customer.name, when: formatWhen(moved.dueAt, turn.lang, turn.timezone) }) }];
}
