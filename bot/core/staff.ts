import { findCustomers, getCustomerForActor, getCustomerForReader, type CustomerRecord } from '../../crm/customers/customers.js';
import { getCustomerCard, type CustomerCard } from '../../crm/customers/customerCard.js';
import { logInteractionFromCard } from '../../crm/interactions/logFromCard.js';
import { scheduleFollowUp } from '../../crm/followups/followups.js';
import { changeStageFromCard } from '../../crm/stages/changeStageFromCard.js';
import { findStage, listAssignableStages } from '../../crm/stages/stages.js';
import { listActiveStaff } from '../../crm/users/users.js';
import { assertRole } from '../../crm/users/actor.js';
import { parseVnd, formatVnd } from '../../crm/shared/money.js';
import { CrmError } from '../../crm/shared/errors.js';
import { LOGGED_INTERACTION_TYPES, type LoggedInteractionType } from '../../models/interaction.js';
import { errorMessage, t, type Lang, type MessageKey } from '../../i18n/index.js';
import { actionData, type Action } from './actions.js';
import { cardReply, formatWhen, recurrenceLabel, typeLabel } from './card.js';
import { askManagerAbout, continueNewCustomer, notifyOwnerOf, startNewCustomer } from './newCustomer.js';
import type { Recurrence } from '../../models/followUp.js';
import type { TypedCommand } from './chatCore.js';
import { parseWhen } from './parseWhen.js';
import { findRelay, clearFlow, setFlow } from './session.js';
import { relayToCustomer } from './relay.js';
import { reassignAndTell } from './reassign.js';
import { askNewFollowUpTime, followUpDone, followUpSnooze, rescheduleFromText } from './followUpActions.js';
import { agendaReplies, mineReplies, mineStageReplies, statsReplies } from './staffReports.js';
import type { StaffTurn } from './turn.js';
import { continueOpportunityFlow, isOpportunityAction, opportunityCommand, OPPORTUNITY_FLOWS, pipelineCommand, runOpportunityAction } from './opportunityChat.js';
import type { Choice, Reply } from './types.js';
import type { ChatChannel } from '../../models/channels.js';
import { findOrganizations } from '../../crm/organizations/organizations.js';
import { continueAddContact, openOrganizationCard, pickContactToLog, pickTypeToLog, startAddContact } from './orgActions.js';
import { continueScheduleFlow, isScheduleAction, runScheduleAction, SCHEDULE_FLOWS } from './scheduleMessageChat.js';
import { COMMENT_FLOWS, continueCommentFlow, isCommentAction, runCommentAction } from './comments.js';
import { continueQuoteFlow, isQuoteAction, quoteCommand, QUOTE_FLOWS, runQuoteAction } from './quoteChat.js';
import { continueOutreachSend, OUTREACH_FLOW, startOutreachSend } from './outreachSend.js';
import { configuredFallbacks } from '../../crm/scheduledMessages/fallback.js';
import { cancelChoice } from './choices.js';

/**
 * The sales side of the chat: commands, the customer card and its actions, and the short flows
 * they start (log an interaction, change stage, follow up, reassign, reply, new customer). Every
 * change goes through the crm services, which check that the staff user may touch the customer.
 */

export const OUTCOMES = ['reached', 'interested', 'not_interested', 'no_answer', 'call_back'] as const;

/**
 * The staff commands. The web chat has no "reply to a message", so there the help's last paragraph
 * (which says to reply to a forwarded message) is replaced by how to answer a customer from the card.
 */
export function helpReply(lang: Lang, channel?: ChatChannel): Reply {
  const help = t(lang, 'chat.help');
  if (channel !== 'web') return { text: help };
  return { text: `${help.slice(0, help.lastIndexOf('\n\n'))}\n\n${t(lang, 'chat.help.webTail')}` };
}

function skipChoice(lang: Lang): Choice {
  return { label: t(lang, 'chat.skip'), data: actionData.skip };
}

export async function handleStaff(turn: StaffTurn, action: Action | undefined, command: TypedCommand | undefined): Promise<Reply[]> {
  if (command) return runCommand(turn, command);
  if (action) return runAction(turn, action);
  // A reply to a forwarded message answers that customer, whatever else is in progress.
  const relay = findRelay(turn.session, turn.event.replyToMessageId);
  if (relay && turn.text) return relayToCustomer(turn, relay.customer, turn.text, relay.customerChannel);
  if (turn.session.flow) return continueFlow(turn);
  if (turn.text) return search(turn, turn.text);
  return [helpReply(turn.lang, turn.event.channel)];
}

async function runCommand(turn: StaffTurn, command: TypedCommand): Promise<Reply[]> {
  const { lang } = turn;
  // Any command ends a half-done flow: the person has moved on.
  if (command.name !== 'cancel') await clearFlow(turn.session);
  switch (command.name) {
    case 'start':
    case 'help':
      return [helpReply(lang, turn.event.channel)];
    case 'cancel': {
      const had = Boolean(turn.session.flow);
      await clearFlow(turn.session);
      return [{ text: t(lang, had ? 'chat.cancelled' : 'chat.nothingToCancel') }];
    }
    case 'new':
      return startNewCustomer(turn);
    case 'find':
      if (!command.arg) {
        await setFlow(turn.session, 'find', 'query');
        return [{ text: t(lang, 'chat.find.ask') }];
      }
      return search(turn, command.arg);
    case 'today':
      return agendaReplies(turn);
    case 'mine':
      return mineReplies(turn);
    case 'stats':
      return statsReplies(turn);
    case 'opp':
      return opportunityCommand(turn, command.arg);
    case 'pipeline':
      return pipelineCommand(turn);
    case 'quote':
      return quoteCommand(turn);
    default:
      return [{ text: t(lang, 'chat.unknownCommand', { command: `/${command.name}` }) }];
  }
}

async function search(turn: StaffTurn, query: string): Promise<Reply[]> {
  await clearFlow(turn.session);
  const q = query.slice(0, 200);
  const [{ customers, more }, found] = await Promise.all([findCustomers(turn.actor, q, { limit: 8 }), findOrganizations(turn.actor, q, { limit: 5 })]);
  const { organizations } = found;
  if (!customers.length && !organizations.length) return [{ text: t(turn.lang, 'chat.find.none', { query: q }) }];
  if (customers.length === 1 && !more && !organizations.length) return openCard(turn, customers[0]._id, undefined, customers[0]);
  if (organizations.length === 1 && !found.more && !customers.length) return openOrganizationCard(turn, organizations[0]._id);
  const text = t(turn.lang, 'chat.find.results', { query: q }) + (more || found.more ? `\n${t(turn.lang, 'chat.find.more')}` : '');
  const orgChoices = organizations.map((o) => ({ label: `🏢 ${o.code} · ${o.name}`, data: actionData.openOrg(o._id) }));
  return [{ text, choices: [...orgChoices, ...customers.map((c) => ({ label: `${c.code} · ${c.name}`, data: actionData.open(c._id) }))] }];
}

/**
 * Shows a customer's card. Pass the customer record when the step has just read or written it
 * (a search hit, a stage change), so it is not read a second time.
 */
export async function openCard(turn: StaffTurn, customerId: unknown, header?: string, loaded?: CustomerRecord): Promise<Reply[]> {
  // Opening the card is reading its comments ("Mới cập nhật" goes down).
  const card = await getCustomerCard(turn.actor, customerId, { customer: loaded, readAt: turn.now });
  return showCard(turn, card, header);
}

function showCard(turn: StaffTurn, card: CustomerCard, header?: string): Reply[] {
  card.fallbackChannels = configuredFallbacks(turn.deps.notifier);
  return [cardReply(card, turn.lang, turn.actor, turn.timezone, header)];
}

async function runAction(turn: StaffTurn, action: Action): Promise<Reply[]> {
  const { lang } = turn;
  if (isOpportunityAction(action)) return runOpportunityAction(turn, action);
  if (isScheduleAction(action)) return runScheduleAction(turn, action);
  if (isCommentAction(action)) return runCommentAction(turn, action);
  if (isQuoteAction(action)) return runQuoteAction(turn, action);
  switch (action.kind) {
    case 'open':
      await clearFlow(turn.session);
      return openCard(turn, action.customerId);
    case 'log':
      // ✉ Email / 💬 SMS actually send when their channel is configured; otherwise they log.
      return (await startOutreachSend(turn, action.type, action.customerId)) ?? startLog(turn, action.type, action.customerId);
    case 'logOnly':
      await clearFlow(turn.session);
      return startLog(turn, action.type, action.customerId);
    case 'outreachSend':
      if (turn.session.flow === OUTREACH_FLOW) return continueOutreachSend(turn, action);
      return [{ text: t(lang, 'chat.staffUnknownChoice') }];
    case 'stageMenu':
      return stageMenu(turn, action.customerId);
    case 'setStage':
      return pickStage(turn, action.customerId, action.stageId);
    case 'followUp': {
      const customer = await getCustomerForActor(turn.actor, action.customerId);
      await setFlow(turn.session, 'followup', 'when', { customerId: String(customer._id) });
      return [{ text: t(lang, 'chat.followUp.ask', { name: customer.name }), choices: [cancelChoice(lang)] }];
    }
    case 'reassignMenu':
      return reassignMenu(turn, action.customerId);
    case 'reassignTo':
      return reassign(turn, action.customerId, action.userId);
    case 'reply': {
      const customer = await getCustomerForActor(turn.actor, action.customerId);
      await setFlow(turn.session, 'reply', 'text', { customerId: String(customer._id) });
      return [{ text: t(lang, 'chat.reply.ask', { name: customer.name }), choices: [cancelChoice(lang)] }];
    }
    case 'mineStage':
      return mineStageReplies(turn, action.stageId);
    case 'followUpDone':
      return followUpDone(turn, action.followUpId);
    case 'followUpSnooze':
      return followUpSnooze(turn, action.followUpId);
    case 'followUpReschedule':
      return askNewFollowUpTime(turn, action.followUpId);
    case 'cancel': {
      const had = Boolean(turn.session.flow);
      await clearFlow(turn.session);
      return [{ text: t(lang, had ? 'chat.cancelled' : 'chat.nothingToCancel') }];
    }
    case 'notifyOwner':
      return notifyOwnerOf(turn, action.customerId);
    case 'openOrg':
      await clearFlow(turn.session);
      return openOrganizationCard(turn, action.organizationId);
    case 'addContact':
      return startAddContact(turn, action.organizationId);
    case 'logForOrg':
      return pickContactToLog(turn, action.organizationId);
    case 'logPickType':
      return pickTypeToLog(turn, action.customerId);
    case 'askManager':
      return askManagerAbout(turn, action.customerId);
    case 'skip':
    case 'outcome':
    case 'repeat':
    case 'sameCompany':
    case 'contactRole':
      if (turn.session.flow) return continueFlow(turn, action);
      return [{ text: t(lang, 'chat.staffUnknownChoice') }];
    default:
      return [{ text: t(lang, 'chat.staffUnknownChoice') }];
  }
}

/** The repeats the chat offers, the same buttons on every channel (every-N-days is set in the panel). */
const CHAT_RECURRENCES = ['none', 'daily', 'weekly', 'monthly'] as const;

function askRepeat(lang: Lang, when: string): Reply {
  return {
    text: t(lang, 'chat.followUp.askRepeat', { when }),
    choices: [...CHAT_RECURRENCES.map((r) => ({ label: recurrenceLabel(lang, r), data: actionData.repeat(r) })), cancelChoice(lang)],
  };
}

async function startLog(turn: StaffTurn, type: string, customerId: string): Promise<Reply[]> {
  const { lang } = turn;
  if (!LOGGED_INTERACTION_TYPES.includes(type as LoggedInteractionType)) return [{ text: t(lang, 'chat.staffUnknownChoice') }];
  const customer = await getCustomerForActor(turn.actor, customerId);
  const data = { customerId: String(customer._id), type, name: customer.name };
  if (type === 'note') {
    await setFlow(turn.session, 'log', 'text', data);
    return [{ text: t(lang, 'chat.log.askNote', { name: customer.name }), choices: [cancelChoice(lang)] }];
  }
  await setFlow(turn.session, 'log', 'outcome', data);
  return [
    {
      text: t(lang, 'chat.log.askOutcome', { type: typeLabel(lang, type), name: customer.name }),
      choices: [...OUTCOMES.map((o) => ({ label: t(lang, `chat.outcome.${o}` as MessageKey), data: actionData.outcome(o) })), skipChoice(lang)],
    },
  ];
}

async function stageMenu(turn: StaffTurn, customerId: string): Promise<Reply[]> {
  // Only the customer and the stages (from memory): the menu needs no more of the card.
  const customer = await getCustomerForReader(turn.actor, customerId);
  const [stages, current] = await Promise.all([listAssignableStages(), findStage(customer.stage)]);
  const id = String(customer._id);
  return [
    {
      text: t(turn.lang, 'chat.stage.choose', { name: customer.name, stage: current?.name ?? '—' }),
      choices: stages.map((s) => ({ label: String(s._id) === String(customer.stage) ? `• ${s.name}` : s.name, data: actionData.setStage(id, s._id) })),
    },
  ];
}

async function pickStage(turn: StaffTurn, customerId: string, stageId: string): Promise<Reply[]> {
  // Stages are in memory: only a move to a won stage needs the customer before changing it
  // (changeStage checks access, and a missing stage, in the same order as here).
  const stage = await findStage(stageId);
  if (stage?.kind !== 'won') return applyStage(turn, customerId, stageId);
  const customer = await getCustomerForActor(turn.actor, customerId);
  if (String(customer.stage) !== String(stage._id)) {
    await setFlow(turn.session, 'deal', 'amount', { customerId: String(customer._id), stageId: String(stage._id) });
    return [{ text: t(turn.lang, 'chat.stage.askAmount', { name: customer.name }), choices: [skipChoice(turn.lang), cancelChoice(turn.lang)] }];
  }
  return applyStage(turn, customerId, stageId);
}

async function applyStage(turn: StaffTurn, customerId: string, stageId: string, dealAmount?: number): Promise<Reply[]> {
  await clearFlow(turn.session);
  // The card is read with the customer the move needs, and shown after it without reading again.
  const result = await changeStageFromCard(turn.actor, customerId, stageId, { dealAmount, now: turn.now });
  const name = result.customer.name;
  if (!result.changed) return [{ text: t(turn.lang, 'chat.stage.unchanged', { name, stage: result.to.name }) }];
  const text =
    dealAmount !== undefined
      ? t(turn.lang, 'chat.stage.doneWithDeal', { name, from: result.from?.name ?? '—', to: result.to.name, amount: formatVnd(dealAmount, turn.lang) })
      : t(turn.lang, 'chat.stage.done', { name, from: result.from?.name ?? '—', to: result.to.name });
  return showCard(turn, result.card, text);
}

async function reassignMenu(turn: StaffTurn, customerId: string): Promise<Reply[]> {
  assertRole(turn.actor, 'admin', 'manager');
  const customer = await getCustomerForActor(turn.actor, customerId);
  const staff = (await listActiveStaff(['sales', 'manager'])).filter((s) => String(s._id) !== String(customer.owner));
  if (!staff.length) return [{ text: t(turn.lang, 'chat.reassign.nobody') }];
  return [
    {
      text: t(turn.lang, 'chat.reassign.choose', { name: customer.name }),
      choices: staff.slice(0, 20).map((s) => ({ label: s.name, data: actionData.reassignTo(customer._id, s._id) })),
    },
  ];
}

async function reassign(turn: StaffTurn, customerId: string, userId: string): Promise<Reply[]> {
  const { customer, owner } = await reassignAndTell(turn.deps.notifier, turn.actor, turn.staff.name, customerId, userId, turn.timezone);
  return [{ text: t(turn.lang, 'chat.reassign.done', { name: customer.name, owner: owner?.name ?? '—' }) }];
}

/** The next answer of a flow in progress. */
async function continueFlow(turn: StaffTurn, action?: Action): Promise<Reply[]> {
  const { session, lang, text } = turn;
  const data = session.data as Record<string, string | undefined>;
  const skipped = action?.kind === 'skip';
  if (OPPORTUNITY_FLOWS.includes(session.flow ?? '')) return continueOpportunityFlow(turn, action);
  if (SCHEDULE_FLOWS.includes(session.flow ?? '')) return continueScheduleFlow(turn);
  if (COMMENT_FLOWS.includes(session.flow ?? '')) return continueCommentFlow(turn, action);
  if (QUOTE_FLOWS.includes(session.flow ?? '')) return continueQuoteFlow(turn, action);
  if (session.flow === OUTREACH_FLOW) return continueOutreachSend(turn, action);
  switch (`${session.flow}:${session.step}`) {
    case 'find:query':
      return text ? search(turn, text) : [{ text: t(lang, 'chat.find.ask') }];

    case 'new:name':
    case 'new:phone':
    case 'new:need':
    case 'new:referrer':
    case 'new:company':
    case 'new:companyConfirm':
      return continueNewCustomer(turn, session.step, action);

    case 'orgContact:who':
    case 'orgContact:name':
    case 'orgContact:phone':
    case 'orgContact:role':
    case 'orgContact:title':
      return continueAddContact(turn, session.step, action);

    case 'log:outcome': {
      const outcome = action?.kind === 'outcome' ? action.key : skipped ? undefined : text.slice(0, 500) || undefined;
      await setFlow(session, 'log', 'text', { ...data, outcome });
      return [{ text: t(lang, 'chat.log.askText', { type: typeLabel(lang, data.type ?? '') }), choices: [skipChoice(lang), cancelChoice(lang)] }];
    }
    case 'log:text': {
      if (data.type === 'note' && (skipped || !text)) {
        return [{ text: t(lang, 'chat.log.askNote', { name: data.name ?? '' }), choices: [cancelChoice(lang)] }];
      }
      // The card is read with the customer the log needs, and shown after it without reading again.
      const logged = await logInteractionFromCard(turn.actor, data.customerId, {
        type: data.type as LoggedInteractionType,
        outcome: data.outcome,
        text: skipped ? undefined : text || undefined,
        occurredAt: turn.now,
      });
      await clearFlow(session);
      const done = t(lang, 'chat.log.done', { type: typeLabel(lang, data.type ?? ''), name: logged.customer.name });
      return showCard(turn, logged.card, logged.revived ? `${done}\n${t(lang, 'chat.log.revived')}` : done);
    }

    case 'deal:amount': {
      let amount: number | undefined;
      if (!skipped) {
        amount = parseVnd(text);
        if (amount === undefined) return [{ text: errorMessage(lang, new CrmError('deal.amountInvalid')), choices: [skipChoice(lang), cancelChoice(lang)] }];
      }
      return applyStage(turn, data.customerId ?? '', data.stageId ?? '', amount);
    }

    case 'followup:when': {
      const examples = [cancelChoice(lang)];
      const parsed = parseWhen(text, { now: turn.now, timezone: turn.timezone });
      if (!parsed) return [{ text: t(lang, 'chat.followUp.notUnderstood', { input: text.slice(0, 60) }), choices: examples }];
      const when = formatWhen(parsed, lang, turn.timezone);
      if (parsed.getTime() <= turn.now.getTime()) return [{ text: t(lang, 'chat.followUp.past', { when }), choices: examples }];
      await setFlow(session, 'followup', 'repeat', { ...data, dueAt: parsed.toISOString() });
      return [askRepeat(lang, when)];
    }
    case 'followup:repeat': {
      const recurrence = action?.kind === 'repeat' ? action.recurrence : undefined;
      const when = formatWhen(new Date(data.dueAt ?? ''), lang, turn.timezone);
      if (!recurrence || !CHAT_RECURRENCES.includes(recurrence as (typeof CHAT_RECURRENCES)[number])) return [askRepeat(lang, when)];
      await setFlow(session, 'followup', 'note', { ...data, recurrence });
      const repeats = recurrence === 'none' ? when : `${when} (${recurrenceLabel(lang, recurrence).toLowerCase()})`;
      return [{ text: t(lang, 'chat.followUp.askNote', { when: repeats }), choices: [skipChoice(lang), cancelChoice(lang)] }];
    }
    case 'followup:note': {
      const dueAt = new Date(data.dueAt ?? '');
      const recurrence = (data.recurrence ?? 'none') as Recurrence;
      // Read once: the follow-up is written against it and its card shown from it.
      const customer = await getCustomerForActor(turn.actor, data.customerId);
      const followUp = await scheduleFollowUp(turn.actor, customer._id, { dueAt, recurrence, note: skipped ? undefined : text || undefined }, turn.now, { customer });
      await clearFlow(session);
      const params = { name: customer.name, when: formatWhen(followUp.dueAt, lang, turn.timezone), recurrence: recurrenceLabel(lang, recurrence).toLowerCase() };
      return openCard(turn, customer._id, t(lang, recurrence === 'none' ? 'chat.followUp.done' : 'chat.followUp.doneRepeating', params), customer);
    }

    case 'reschedule:when':
      return rescheduleFromText(turn);

    case 'reply:text': {
      if (!text) return [{ text: t(lang, 'chat.reply.ask', { name: '' }), choices: [cancelChoice(lang)] }];
      await clearFlow(session);
      return relayToCustomer(turn, data.customerId, text);
    }
    default:
      await clearFlow(session);
      return [helpReply(lang, turn.event.channel)];
  }
}
