import type { Types } from 'mongoose';
import { Opportunity } from '../../models/opportunity.js';
import { Deal } from '../../models/deal.js';
import { Stage } from '../../models/stage.js';
import { Customer } from '../../models/customer.js';
import { CrmError } from '../shared/errors.js';
import { sameId } from '../shared/ids.js';
import type { Actor } from '../users/actor.js';
import { recordDeal } from '../stages/changeStage.js';
import { getOpportunityForActor, type OpportunityRecord } from './opportunities.js';
import { firstOpportunityStage, getOpportunityStage } from './opportunityStages.js';
import { rollDeals, rollOpportunity } from '../rollups/record.js';
import { readOpportunityValue, readProbability } from './opportunityInput.js';

export interface WinResult {
  opportunity: OpportunityRecord;
  dealId: Types.ObjectId;
  /** False when it had been won already (a retried tap): the same deal, nothing new recorded. */
  changed: boolean;
  /**
   * Set when the customer's relationship stage is still open: the chat offers to move them to the
   * won stage (Chốt). Moving them records no second deal: revenue is already in this one.
   */
  offerCustomerWon?: { customerId: Types.ObjectId; customerName: string; stageId: Types.ObjectId; stageName: string };
}

export interface MoveResult {
  opportunity: OpportunityRecord;
  changed: boolean;
  win?: WinResult;
}

/**
 * Moves an opportunity to another step of the pipeline. A won step is winning it (with the amount,
 * by default its value) and a lost step losing it (a reason is required), so the board's drag and
 * the chat's buttons follow the same rules as the explicit actions.
 */
export async function moveOpportunity(
  actor: Actor,
  id: unknown,
  stageId: unknown,
  opts: { amount?: number | string; reason?: string; probability?: number | string; now?: Date } = {},
): Promise<MoveResult> {
  const now = opts.now ?? new Date();
  const opportunity = await getOpportunityForActor(actor, id);
  const to = await getOpportunityStage(stageId);
  if (!to.active) throw new CrmError('stage.inactive');
  if (to.kind === 'won') {
    const win = await winOpportunity(actor, opportunity._id, { amount: opts.amount, now, stageId: to._id });
    return { opportunity: win.opportunity, changed: win.changed, win };
  }
  if (to.kind === 'lost') {
    const lost = await loseOpportunity(actor, opportunity._id, { reason: opts.reason ?? '', now, stageId: to._id });
    return { opportunity: lost, changed: true };
  }
  if (opportunity.status !== 'open') throw new CrmError('opportunity.closed');
  if (sameId(opportunity.stage, to._id)) return { opportunity, changed: false };
  const probability = opts.probability !== undefined ? readProbability(opts.probability) : to.probability;
  const updated = (await Opportunity.findOneAndUpdate(
    { _id: opportunity._id, status: 'open' },
    { $set: { stage: to._id, lastActivityAt: now, ...(probability != null ? { probability } : {}) } },
    { returnDocument: 'after', lean: true },
  )) as OpportunityRecord | null;
  if (!updated) throw new CrmError('opportunity.closed');
  await rollOpportunity(opportunity, updated);
  return { opportunity: updated, changed: true };
}

/**
 * Wins an opportunity and records its Deal (the amount, by default its value) through the one deal
 * writer. The deal is keyed on the opportunity, so a retry or a concurrent win records it once; a
 * win that finds the opportunity won already returns that deal.
 */
export async function winOpportunity(
  actor: Actor,
  id: unknown,
  opts: { amount?: number | string; now?: Date; stageId?: Types.ObjectId } = {},
): Promise<WinResult> {
  const now = opts.now ?? new Date();
  const opportunity = await getOpportunityForActor(actor, id);
  if (opportunity.status === 'lost') throw new CrmError('opportunity.closed');
  if (opportunity.status === 'won' && opportunity.deal) {
    return { opportunity, dealId: opportunity.deal, changed: false };
  }
  const amount = opts.amount === undefined || opts.amount === '' ? opportunity.value : readOpportunityValue(opts.amount);
  const wonStage = opts.stageId ? await getOpportunityStage(opts.stageId) : await firstOpportunityStage('won');
  const dealId = await recordDeal(actor, {
    opportunity: opportunity._id,
    customer: opportunity.customer,
    organization: opportunity.organization,
    owner: opportunity.owner,
    source: opportunity.source,
    amount,
    closedAt: now,
  });
  // Deal first, then the opportunity: a crash between them leaves an open opportunity whose next win
  // finds the deal already recorded and completes.
  const updated = (await Opportunity.findOneAndUpdate(
    { _id: opportunity._id, status: { $ne: 'lost' } },
    { $set: { status: 'won', stage: wonStage._id, deal: dealId, probability: 100, closedAt: now, lastActivityAt: now } },
    { returnDocument: 'after', lean: true },
  )) as OpportunityRecord | null;
  if (!updated) {
    // Lost by someone else in the same instant: their outcome stands, so this deal is withdrawn.
    const withdrawn = await Deal.findOneAndDelete({ _id: dealId, opportunity: opportunity._id }).lean();
    if (withdrawn) await rollDeals([withdrawn], -1);
    throw new CrmError('opportunity.closed');
  }
  await rollOpportunity(opportunity, updated);
  return { opportunity: updated, dealId, changed: true, offerCustomerWon: await customerWonOffer(updated) };
}

async function customerWonOffer(opportunity: OpportunityRecord): Promise<WinResult['offerCustomerWon']> {
  if (!opportunity.customer) return undefined;
  const customer = await Customer.findOne({ _id: opportunity.customer, deletedAt: null }).select('stage name').lean();
  const current = customer?.stage ? await Stage.findById(customer.stage).select('kind').lean() : null;
  if (!customer || (current && current.kind !== 'open')) return undefined;
  const won = await Stage.findOne({ kind: 'won', active: true }).sort({ order: 1 }).lean();
  return won ? { customerId: customer._id, customerName: customer.name, stageId: won._id, stageName: won.name } : undefined;
}

/** Loses an opportunity with the reason, which the team needs to learn from: no reason, no loss. */
export async function loseOpportunity(
  actor: Actor,
  id: unknown,
  opts: { reason: string; now?: Date; stageId?: Types.ObjectId },
): Promise<OpportunityRecord> {
  const now = opts.now ?? new Date();
  const reason = String(opts.reason ?? '').replace(/\s+/g, ' ').trim().slice(0, 500);
  if (!reason) throw new CrmError('opportunity.reasonRequired');
  const opportunity = await getOpportunityForActor(actor, id);
  if (opportunity.status !== 'open') throw new CrmError('opportunity.closed');
  const lostStage = opts.stageId ? await getOpportunityStage(opts.stageId) : await firstOpportunityStage('lost');
  const updated = (await Opportunity.findOneAndUpdate(
    { _id: opportunity._id, status: 'open' },
    { $set: { status: 'lost', stage: lostStage._id, lostReason: reason, probability: 0, closedAt: now, lastActivityAt: now } },
    { returnDocument: 'after', lean: true },
  )) as OpportunityRecord | null;
  if (!updated) throw new CrmError('opportunity.closed');
  await rollOpportunity(opportunity, updated);
  return updated;
}
