import { getCustomerForActor } from '../../crm/customers/customers.js';
import { changeStage } from '../../crm/stages/changeStage.js';
import { formatVnd } from '../../crm/shared/money.js';
import { CrmError, isCrmError } from '../../crm/shared/errors.js';
import { toObjectId } from '../../crm/shared/ids.js';
import { Organization } from '../../models/organization.js';
import { seesAllCustomers } from '../../crm/users/actor.js';
import { createOpportunity, getOpportunityForActor, opportunityScope } from '../../crm/opportunities/opportunities.js';
import { loseOpportunity, moveOpportunity, winOpportunity, type WinResult } from '../../crm/opportunities/closeOpportunity.js';
import { firstOpportunityStage, getOpportunityStage, listOpportunityStages } from '../../crm/opportunities/opportunityStages.js';
import { readOpportunityValue, readProbability, cleanOpportunityName } from '../../crm/opportunities/opportunityInput.js';
import { getOpportunityCard, listOpenOpportunitiesOf } from '../../crm/opportunities/opportunityCard.js';
import { pipelineSummary } from '../../crm/opportunities/pipelineSummary.js';
import { errorMessage, t, type Lang } from '../../i18n/index.js';
import { actionData, parseAction, type Action } from './actions.js';
import { opportunityCardReply, pipelineReply } from './opportunityCard.js';
import { parseCloseDay } from './parseCloseDay.js';
import { clearFlow, setFlow } from './session.js';
import { openCard } from './staff.js';
import type { StaffTurn } from './turn.js';
import type { Choice, Reply } from './types.js';
import { cancelChoice } from './choices.js';

/**
 * Opportunities in the chat, the same on every channel: `/opp` (or the card's 💼 button) asks name,
 * value, expected close and probability; the opportunity card moves, wins and loses it; `/pipeline`
 * sums the open ones. Every change goes through crm/opportunities, which checks who may do it.
 */

export type OpportunityAction = Extract<Action, { kind: `opp${string}` | 'customerWon' }>;

export function isOpportunityAction(action: Action): action is OpportunityAction {
  return action.kind.startsWith('opp') || action.kind === 'customerWon';
}

/** The flows this module owns, as `flow` names in the chat session. */
export const OPPORTUNITY_FLOWS = ['opp', 'oppwin', 'opplose'];

const skip = (lang: Lang, label?: string): Choice => ({ label: label ?? t(lang, 'chat.skip'), data: actionData.skip });
/**
 * `/opp` while a card is open: the card's own buttons (its 💼, or its stage button on a team that has
 * no opportunity yet) say which customer or organization it is.
 */
export async function opportunityCommand(turn: StaffTurn, arg: string): Promise<Reply[]> {
  for (const choice of [...turn.session.lastChoices].reverse()) {
    const a = parseAction(choice.data);
    if (a?.kind === 'oppNew' || a?.kind === 'stageMenu') return startOpportunity(turn, { customerId: a.customerId }, arg);
    if (a?.kind === 'oppNewForOrganization') return startOpportunity(turn, { organizationId: a.organizationId }, arg);
  }
  return [{ text: t(turn.lang, 'opp.needCard') }];
}

export async function pipelineCommand(turn: StaffTurn): Promise<Reply[]> {
  const team = seesAllCustomers(turn.actor);
  const [summary, soonest] = await Promise.all([pipelineSummary(turn.actor), listOpenOpportunitiesOf(opportunityScope(turn.actor), 5)]);
  return [pipelineReply(summary, soonest, turn.lang, turn.timezone, team)];
}

async function startOpportunity(turn: StaffTurn, target: { customerId?: string; organizationId?: string }, name?: string): Promise<Reply[]> {
  let targetName = '';
  if (target.customerId) targetName = (await getCustomerForActor(turn.actor, target.customerId)).name;
  else targetName = (await Organization.findOne({ _id: toObjectId(target.organizationId, 'invalid'), deletedAt: null }).select('name').lean())?.name ?? '';
  const data = { ...target, targetName };
  if (name?.trim()) return askValue(turn, { ...data, name: cleanOpportunityName(name) });
  await setFlow(turn.session, 'opp', 'name', data);
  return [{ text: t(turn.lang, 'opp.ask.name', { name: targetName }), choices: [cancelChoice(turn.lang)] }];
}

async function askValue(turn: StaffTurn, data: Record<string, unknown>): Promise<Reply[]> {
  await setFlow(turn.session, 'opp', 'value', data);
  return [{ text: t(turn.lang, 'opp.ask.value'), choices: [skip(turn.lang), cancelChoice(turn.lang)] }];
}

export async function runOpportunityAction(turn: StaffTurn, action: OpportunityAction): Promise<Reply[]> {
  const { lang } = turn;
  switch (action.kind) {
    case 'oppNew':
      await clearFlow(turn.session);
      return startOpportunity(turn, { customerId: action.customerId });
    case 'oppNewForOrganization':
      await clearFlow(turn.session);
      return startOpportunity(turn, { organizationId: action.organizationId });
    case 'oppOpen':
      await clearFlow(turn.session);
      return showOpportunity(turn, action.opportunityId);
    case 'oppMoveMenu': {
      const card = await getOpportunityCard(turn.actor, action.opportunityId);
      if (card.opportunity.status !== 'open') throw new CrmError('opportunity.closed');
      const stages = await listOpportunityStages();
      const id = String(card.opportunity._id);
      return [
        {
          text: t(lang, 'opp.move.choose', { code: card.opportunity.code, stage: card.stage?.name ?? '—' }),
          choices: stages.map((s) => ({ label: String(s._id) === String(card.opportunity.stage) ? `• ${s.name}` : s.name, data: actionData.oppMove(id, s._id) })),
        },
      ];
    }
    case 'oppMove': {
      const stage = await getOpportunityStage(action.stageId);
      if (stage.kind === 'won') return askWinAmount(turn, action.opportunityId, String(stage._id));
      if (stage.kind === 'lost') return askLoseReason(turn, action.opportunityId, String(stage._id));
      const opportunity = await getOpportunityForActor(turn.actor, action.opportunityId);
      const from = await getOpportunityStage(opportunity.stage);
      const moved = await moveOpportunity(turn.actor, opportunity._id, stage._id, { now: turn.now });
      const header = moved.changed
        ? t(lang, 'opp.move.done', { code: opportunity.code, from: from.name, to: stage.name })
        : t(lang, 'opp.move.unchanged', { code: opportunity.code, stage: stage.name });
      return showOpportunity(turn, opportunity._id, header);
    }
    case 'oppWin':
      return askWinAmount(turn, action.opportunityId);
    case 'oppLose':
      return askLoseReason(turn, action.opportunityId);
    case 'customerWon': {
      // Revenue is already in the opportunity's deal: the relationship moves without an amount.
      const result = await changeStage(turn.actor, action.customerId, action.stageId, { now: turn.now });
      return openCard(turn, result.customer._id, t(lang, 'chat.stage.done', { name: result.customer.name, from: result.from?.name ?? '—', to: result.to.name }));
    }
  }
}

async function showOpportunity(turn: StaffTurn, id: unknown, header?: string, extra: Reply[] = []): Promise<Reply[]> {
  const card = await getOpportunityCard(turn.actor, id);
  return [opportunityCardReply(card, turn.lang, turn.timezone, turn.now, header), ...extra];
}

async function askWinAmount(turn: StaffTurn, opportunityId: string, stageId?: string): Promise<Reply[]> {
  const opportunity = await getOpportunityForActor(turn.actor, opportunityId);
  if (opportunity.status === 'lost') throw new CrmError('opportunity.closed');
  if (opportunity.status === 'won') return showOpportunity(turn, opportunity._id, t(turn.lang, 'opp.win.already', { code: opportunity.code }));
  const value = formatVnd(opportunity.value, turn.lang);
  await setFlow(turn.session, 'oppwin', 'amount', { opportunityId: String(opportunity._id), stageId });
  return [{ text: t(turn.lang, 'opp.win.ask', { code: opportunity.code, value }), choices: [skip(turn.lang, t(turn.lang, 'opp.win.keep', { value })), cancelChoice(turn.lang)] }];
}

async function askLoseReason(turn: StaffTurn, opportunityId: string, stageId?: string): Promise<Reply[]> {
  const opportunity = await getOpportunityForActor(turn.actor, opportunityId);
  if (opportunity.status !== 'open') throw new CrmError('opportunity.closed');
  await setFlow(turn.session, 'opplose', 'reason', { opportunityId: String(opportunity._id), stageId });
  return [{ text: t(turn.lang, 'opp.lose.ask', { code: opportunity.code }), choices: [cancelChoice(turn.lang)] }];
}

function winReplies(turn: StaffTurn, win: WinResult, amount: number): Promise<Reply[]> {
  const header = win.changed
    ? t(turn.lang, 'opp.win.done', { code: win.opportunity.code, amount: formatVnd(amount, turn.lang) })
    : t(turn.lang, 'opp.win.already', { code: win.opportunity.code });
  const offer = win.offerCustomerWon;
  const extra: Reply[] = [];
  if (offer) {
    extra.push({
      text: t(turn.lang, 'opp.win.offer', { name: offer.customerName, stage: offer.stageName }),
      choices: [{ label: t(turn.lang, 'opp.action.customerWon', { name: offer.customerName, stage: offer.stageName }), data: actionData.customerWon(offer.customerId, offer.stageId) }],
    });
  }
  return showOpportunity(turn, win.opportunity._id, header, extra);
}

/** The next answer in an opportunity flow; refusals are told and the same question stays open. */
export async function continueOpportunityFlow(turn: StaffTurn, action?: Action): Promise<Reply[]> {
  const { session, lang, text } = turn;
  const data = session.data as Record<string, string | undefined>;
  const skipped = action?.kind === 'skip';
  // An optional answer: skipped, read, or refused with the reason while the same question stays open.
  const optional = <T>(read: (input: string) => T): { value?: T; refusal?: Reply[] } => {
    if (skipped) return {};
    try {
      return { value: read(text) };
    } catch (e) {
      if (!isCrmError(e)) throw e;
      return { refusal: [{ text: errorMessage(lang, e), choices: [skip(lang), cancelChoice(lang)] }] };
    }
  };
  switch (`${session.flow}:${session.step}`) {
    case 'opp:name': {
      if (!text) return [{ text: t(lang, 'opp.ask.name', { name: data.targetName ?? '' }), choices: [cancelChoice(lang)] }];
      return askValue(turn, { ...data, name: cleanOpportunityName(text) });
    }
    case 'opp:value': {
      const { value, refusal } = optional(readOpportunityValue);
      if (refusal) return refusal;
      await setFlow(session, 'opp', 'close', { ...data, value });
      return [{ text: t(lang, 'opp.ask.close'), choices: [skip(lang), cancelChoice(lang)] }];
    }
    case 'opp:close': {
      let close: Date | null = null;
      if (!skipped) {
        close = parseCloseDay(text, { now: turn.now, timezone: turn.timezone });
        if (!close) return [{ text: t(lang, 'opp.ask.closeAgain', { input: text.slice(0, 60) }), choices: [skip(lang), cancelChoice(lang)] }];
      }
      await setFlow(session, 'opp', 'probability', { ...data, expectedCloseAt: close?.toISOString() });
      const first = await firstOpportunityStage('open');
      return [{ text: t(lang, 'opp.ask.probability', { stage: first.name, probability: first.probability ?? 0 }), choices: [skip(lang), cancelChoice(lang)] }];
    }
    case 'opp:probability': {
      const { value: probability, refusal } = optional(readProbability);
      if (refusal) return refusal;
      const created = await createOpportunity(
        turn.actor,
        {
          name: data.name,
          customer: data.customerId,
          organization: data.organizationId,
          value: (session.data as { value?: number }).value,
          expectedCloseAt: data.expectedCloseAt,
          probability,
        },
        { now: turn.now },
      );
      await clearFlow(session);
      return showOpportunity(turn, created._id, t(lang, 'opp.created', { code: created.code }));
    }
    case 'oppwin:amount': {
      const { value: amount, refusal } = optional(readOpportunityValue);
      if (refusal) return refusal;
      const opportunity = await getOpportunityForActor(turn.actor, data.opportunityId);
      const win = await winOpportunity(turn.actor, opportunity._id, { amount, now: turn.now, stageId: data.stageId ? (await getOpportunityStage(data.stageId))._id : undefined });
      await clearFlow(session);
      return winReplies(turn, win, amount ?? opportunity.value);
    }
    case 'opplose:reason': {
      if (!text) return [{ text: errorMessage(lang, new CrmError('opportunity.reasonRequired')), choices: [cancelChoice(lang)] }];
      const lost = await loseOpportunity(turn.actor, data.opportunityId, { reason: text, now: turn.now, stageId: data.stageId ? (await getOpportunityStage(data.stageId))._id : undefined });
      await clearFlow(session);
      return showOpportunity(turn, lost._id, t(lang, 'opp.lose.done', { code: lost.code, reason: lost.lostReason ?? '' }));
    }
    default:
      await clearFlow(session);
      return [];
  }
}
