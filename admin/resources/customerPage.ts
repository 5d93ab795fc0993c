import type { ActionContext, ActionRequest } from 'adminjs';
import { Group } from '../../models/group.js';
import { LOGGED_INTERACTION_TYPES, type LoggedInteractionType } from '../../models/interaction.js';
import { StageChange } from '../../models/stageChange.js';
import { FOLLOW_UP_TYPES, RECURRENCES, type FollowUpType, type Recurrence } from '../../models/followUp.js';
import { getCustomerCard } from '../../crm/customers/customerCard.js';
import { formatPhone } from '../../crm/customers/phone.js';
import { logInteraction } from '../../crm/interactions/interactions.js';
import { getConversation } from '../../crm/interactions/conversation.js';
import { changeStage } from '../../crm/stages/changeStage.js';
import { listAssignableStages } from '../../crm/stages/stages.js';
import { scheduleFollowUp } from '../../crm/followups/followups.js';
import { dueFromLocalTime } from '../../crm/followups/localTime.js';
import { addCustomerToGroup } from '../../crm/bulk/bulkCustomers.js';
import { getSettings } from '../../crm/settings/settings.js';
import { parseVnd } from '../../crm/shared/money.js';
import { CrmError } from '../../crm/shared/errors.js';
import { seesAllCustomers, type Actor } from '../../crm/users/actor.js';
import { listActiveStaff } from '../../crm/users/users.js';
import { recordAudit } from '../../crm/audit/audit.js';
import { sendReplyToCustomer, type ReplyDeps } from '../../bot/core/relay.js';
import { reassignAndTell } from '../../bot/core/reassign.js';
import { MAX_TEXT } from '../../bot/core/turn.js';
import { OUTCOMES } from '../../bot/core/staff.js';
import { actorOf, isManagerOrAdmin } from '../access.js';
import { commentsPageData, TIMELINE_ENTRIES } from './customerComments.js';
import { crmNotice, optional, payloadOf } from '../respond.js';

/**
 * The customer page as a place to work: what the show page reads, and the record actions its
 * forms post to (log, stage, follow-up, reassign, group, reply). Each action is one crm service
 * call made as the logged-in person, so the panel can do exactly what the chat can and no more.
 * The actions are hidden from AdminJS's button row: the card is their form.
 */

type Access = (context: ActionContext) => boolean;

/** The interactions and stage changes the card itself lists. */
const CARD_ENTRIES = 20;

/**
 * Everything the card shows, in one JSON string (AdminJS records carry flat params only). The
 * interactions and stage changes are read once, as many as the comment section's history needs,
 * and the card shows the newest of them.
 */
export async function customerPageData(actor: Actor, customerId: unknown) {
  const [fullCard, conversation, settings, stages, groups, staff] = await Promise.all([
    getCustomerCard(actor, customerId, { interactions: TIMELINE_ENTRIES }),
    getConversation(actor, customerId),
    getSettings(),
    listAssignableStages(),
    Group.find({ active: true }).select('name').sort({ name: 1 }).lean(),
    // Who a manager may hand the customer to, as in the chat's reassign menu.
    seesAllCustomers(actor) ? listActiveStaff(['sales', 'manager']) : [],
  ]);
  const stageChanges = await StageChange.find({ customer: fullCard.customer._id }).sort({ at: -1 }).limit(TIMELINE_ENTRIES).populate('from to by', 'name color').lean();
  const card = { ...fullCard, lastInteractions: fullCard.lastInteractions.slice(0, CARD_ENTRIES) };
  const referrer = (card as { referrer?: unknown }).referrer;
  const teamTalk = await commentsPageData(actor, card, { interactions: fullCard.lastInteractions, stages: stageChanges });
  return {
    ...teamTalk,
    card: { ...card, referrer: referrer ?? null },
    history: stageChanges.slice(0, CARD_ENTRIES),
    conversation,
    timezone: settings.timezone,
    phones: (card.customer.phones ?? []).map(formatPhone),
    choices: {
      stages: stages.map((s) => ({ value: String(s._id), label: s.name, kind: s.kind, color: s.color })),
      groups: groups.map((g) => ({ value: String(g._id), label: g.name })),
      owners: staff.map((u) => ({ value: String(u._id), label: u.name })),
      interactionTypes: LOGGED_INTERACTION_TYPES,
      // The chat's outcome buttons; what a person typed instead is shown as typed.
      outcomes: OUTCOMES,
      followUpTypes: FOLLOW_UP_TYPES,
      recurrences: RECURRENCES,
    },
    canReassign: actor.kind === 'user' && (actor.role === 'admin' || actor.role === 'manager'),
  };
}

/** A hidden record action that runs one service on POST and answers with a notice. */
export function pageAction(isAccessible: Access, run: (actor: Actor, id: string, p: Record<string, any>) => Promise<{ message: string; options?: Record<string, unknown>; type?: 'success' | 'error' }>) {
  return {
    actionType: 'record',
    isVisible: false,
    isAccessible,
    handler: async (request: ActionRequest, _res: unknown, context: ActionContext) => {
      const { record, currentAdmin } = context;
      const json = record!.toJSON(currentAdmin);
      if (request.method !== 'post') return { record: json };
      try {
        const { message, options, type = 'success' } = await run(actorOf(context), String(record!.id()), payloadOf(request));
        return { record: json, notice: { message, type, options } };
      } catch (e) {
        return { record: json, notice: crmNotice(e) };
      }
    },
  };
}

function oneOf<T extends string>(values: readonly T[], value: unknown, field: string): T {
  if (!values.includes(value as T)) throw new CrmError('invalid', { field });
  return value as T;
}

function typedText(value: unknown, field: string, required: boolean): string | undefined {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.length > MAX_TEXT || (required && !text)) throw new CrmError('invalid', { field });
  return text || undefined;
}

/** The actions of the customer page. `canOpen` is the show page's own rule (a salesperson: their customers). */
export function customerPageActions(canOpen: Access, reply: ReplyDeps) {
  return {
    logInteraction: pageAction(canOpen, async (actor, id, p) => {
      const type = oneOf<LoggedInteractionType>(LOGGED_INTERACTION_TYPES, p.type, 'type');
      // A note is only its text; the chat asks for it too.
      const text = typedText(p.text, 'text', type === 'note');
      const logged = await logInteraction(actor, id, { type, outcome: typedText(p.outcome, 'outcome', false)?.slice(0, 500), text });
      return { message: logged.revived ? 'customerPageLoggedRevived' : 'customerPageLogged', options: { name: logged.customer.name } };
    }),
    setStage: pageAction(canOpen, async (actor, id, p) => {
      const amountText = optional(p.amount);
      const dealAmount = amountText === undefined ? undefined : parseVnd(amountText);
      if (amountText !== undefined && dealAmount === undefined) throw new CrmError('deal.amountInvalid');
      const result = await changeStage(actor, id, optional(p.stage), { reason: 'admin', dealAmount });
      if (result.changed) await recordAudit(actor, { subject: 'customer', action: 'changeStage', recordId: id, details: `${result.from?.name ?? '—'} → ${result.to.name}` });
      return { message: result.dealId ? 'customerPageStageWithDeal' : 'customerPageStage', options: { name: result.customer.name, stage: result.to.name } };
    }),
    scheduleFollowUp: pageAction(canOpen, async (actor, id, p) => {
      const followUp = await scheduleFollowUpFromForm(actor, id, p);
      return { message: 'customerPageFollowUp', options: { recurrence: followUp.recurrence } };
    }),
    reassign: pageAction(
      (context) => isManagerOrAdmin(context) && canOpen(context),
      async (actor, id, p) => {
        const { timezone } = await getSettings();
        const { customer, owner } = await reassignAndTell(reply.notifier, actor, actor.kind === 'user' ? (actor.name ?? '') : '', id, optional(p.owner), timezone);
        await recordAudit(actor, { subject: 'customer', action: 'assignOwner', recordId: id, details: owner?.name ?? '' });
        return { message: 'customerPageReassigned', options: { name: customer.name, owner: owner?.name ?? '—' } };
      },
    ),
    addGroup: pageAction(canOpen, async (actor, id, p) => {
      const group = await addCustomerToGroup(actor, id, optional(p.group));
      await recordAudit(actor, { subject: 'customer', action: 'addToGroup', recordId: id, details: group.name });
      return { message: 'customerPageGrouped', options: { group: group.name } };
    }),
    reply: pageAction(canOpen, async (actor, id, p) => {
      const text = typedText(p.text, 'text', true)!;
      const outcome = await sendReplyToCustomer(reply, actor, id, text);
      const detail = 'detail' in outcome && outcome.detail ? ` (${outcome.detail})` : '';
      return { message: `customerPageReply_${outcome.status}`, type: outcome.status === 'sent' ? 'success' : 'error', options: { ...outcome, detail } };
    }),
  };
}

/**
 * A follow-up from a panel form: the time is a wall-clock time at the company, the repeat one of
 * the known recurrences. Shared by the customer page and the follow-up list's "new".
 */
export async function scheduleFollowUpFromForm(actor: Actor, customerId: unknown, p: Record<string, any>) {
  const { timezone } = await getSettings();
  const recurrence = oneOf<Recurrence>(RECURRENCES, optional(p.recurrence) ?? 'none', 'recurrence');
  const everyDays = recurrence === 'every_n_days' ? Number(p.everyDays) : undefined;
  return scheduleFollowUp(actor, customerId, {
    type: oneOf<FollowUpType>(FOLLOW_UP_TYPES, optional(p.type) ?? 'call', 'type'),
    dueAt: dueFromLocalTime(p.dueAt, timezone),
    recurrence,
    everyDays,
    note: typedText(p.note, 'note', false),
  });
}

