import type { Types } from 'mongoose';
import { FollowUp } from '../models/followUp.js';
import { openDueFollowUps } from '../crm/followups/followups.js';
import { getCustomerCard, type CustomerCard } from '../crm/customers/customerCard.js';
import { getSettings } from '../crm/settings/settings.js';
import { SYSTEM } from '../crm/users/actor.js';
import { isCrmError } from '../crm/shared/errors.js';
import { formatPhone } from '../crm/customers/phone.js';
import { t, type Lang } from '../i18n/index.js';
import type { Choice, Reply } from '../bot/core/types.js';
import { closingSoonUntil } from '../crm/opportunities/opportunityAlerts.js';
import { MINUTE } from './clock.js';
import { opportunityLine } from './opportunityLines.js';
import { formatLocal, followUpTypeLabel } from './format.js';
import type { JobDefinition, JobDeps } from './types.js';

/**
 * Choice data of a reminder's buttons. The chat core routes them: `fu:done:<followUpId>`,
 * `fu:snooze:<followUpId>` (one hour), `fu:resched:<followUpId>` (ask for a new time), and the
 * core's own `c:<customerId>` to open the card.
 */
export const reminderChoiceData = {
  done: (id: unknown) => `fu:done:${id}`,
  snooze: (id: unknown) => `fu:snooze:${id}`,
  reschedule: (id: unknown) => `fu:resched:${id}`,
  openCustomer: (customerId: unknown) => `c:${customerId}`,
};

/** Follow-ups missed by longer than this (worker down for a week) are left to the digest's overdue list. */
const LOOKBACK_MS = 7 * 24 * 60 * MINUTE;

interface DueFollowUp {
  _id: Types.ObjectId;
  customer: Types.ObjectId;
  owner: Types.ObjectId;
  type: string;
  dueAt: Date;
  note?: string | null;
  recurrence?: string | null;
  remindedFor?: Date | null;
}

/**
 * The reminder of one occurrence is claimed before it is sent: the follow-up's `remindedFor` is set
 * to its `dueAt` in one conditional update, and only the worker whose update matched sends. Two
 * workers, or a restart right after sending, therefore never remind twice. A snooze or reschedule
 * changes `dueAt` (and clears `remindedFor`), which makes a new occurrence to remind.
 */
export async function claimReminder(followUp: Pick<DueFollowUp, '_id' | 'dueAt'>): Promise<DueFollowUp | null> {
  return (await FollowUp.findOneAndUpdate(
    { _id: followUp._id, dueAt: followUp.dueAt, status: { $in: ['scheduled', 'open'] }, remindedFor: { $ne: followUp.dueAt } },
    { $set: { remindedFor: followUp.dueAt } },
    { returnDocument: 'after', lean: true },
  )) as DueFollowUp | null;
}

/** Sends the reminders that have fallen due; returns how many this worker claimed. */
export async function sendDueReminders(deps: Pick<JobDeps, 'clock' | 'notifier' | 'logger'>): Promise<number> {
  const now = deps.clock.now();
  await openDueFollowUps(now);
  const candidates = (await FollowUp.find({ status: 'open', dueAt: { $lte: now, $gte: new Date(now.getTime() - LOOKBACK_MS) } })
    .select('dueAt remindedFor')
    .sort({ dueAt: 1 })
    .lean()) as Pick<DueFollowUp, '_id' | 'dueAt' | 'remindedFor'>[];
  const { timezone } = await getSettings();
  let claimed = 0;
  for (const candidate of candidates) {
    if (candidate.remindedFor && candidate.remindedFor.getTime() === candidate.dueAt.getTime()) continue;
    const followUp = await claimReminder(candidate);
    if (!followUp) continue;
    claimed += 1;
    let card: CustomerCard | null = null;
    try {
      card = await getCustomerCard(SYSTEM, followUp.customer, { interactions: 1 });
    } catch (e) {
      // A deleted customer: nothing to remind about.
      if (!isCrmError(e)) throw e;
    }
    if (!card) continue;
    await deps.notifier.notifyStaff(followUp.owner, (lang) => [reminderReply(followUp, card!, lang, timezone, now)]);
  }
  return claimed;
}

export function reminderReply(followUp: DueFollowUp, card: CustomerCard, lang: Lang, timezone: string, now: Date = followUp.dueAt): Reply {
  const c = card.customer;
  const lines = [
    t(lang, 'jobs.reminder.title', { type: followUpTypeLabel(lang, followUp.type), name: c.name, code: c.code }),
    t(lang, 'jobs.reminder.when', { when: formatLocal(followUp.dueAt, lang, timezone) }),
  ];
  if (followUp.note) lines.push(t(lang, 'jobs.reminder.note', { note: followUp.note }));
  if (c.phones?.length) lines.push(t(lang, 'jobs.reminder.phones', { phones: c.phones.map(formatPhone).join(', ') }));
  if (card.stage) lines.push(t(lang, 'jobs.reminder.stage', { stage: card.stage.name }));
  if (c.need) lines.push(t(lang, 'jobs.reminder.need', { need: c.need.slice(0, 300) }));
  if (c.lastContactAt) lines.push(t(lang, 'jobs.reminder.lastContact', { when: formatLocal(c.lastContactAt, lang, timezone) }));
  if (followUp.recurrence && followUp.recurrence !== 'none') lines.push(t(lang, 'jobs.reminder.recurring'));
  // The call is the moment to push a deal that should close now: its opportunities due within 3 days or overdue.
  const until = closingSoonUntil(now, timezone);
  const closing = (card.openOpportunities ?? []).filter((o) => o.expectedCloseAt && o.expectedCloseAt <= until);
  if (closing.length) {
    lines.push(t(lang, 'jobs.reminder.opportunities'), ...closing.map((o) => opportunityLine({ ...o, withName: c.name }, lang, timezone, now, 'close')));
  }
  const choices: Choice[] = [
    { label: t(lang, 'jobs.reminder.done'), data: reminderChoiceData.done(followUp._id) },
    { label: t(lang, 'jobs.reminder.snooze'), data: reminderChoiceData.snooze(followUp._id) },
    { label: t(lang, 'jobs.reminder.reschedule'), data: reminderChoiceData.reschedule(followUp._id) },
    { label: t(lang, 'jobs.reminder.open'), data: reminderChoiceData.openCustomer(c._id) },
  ];
  return { text: lines.join('\n'), choices };
}

export const followUpReminders: JobDefinition = {
  name: 'follow-up reminders',
  every: '1 minute',
  run: (deps) => sendDueReminders(deps).then(() => undefined),
};
