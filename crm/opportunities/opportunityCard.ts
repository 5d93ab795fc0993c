import type { Types } from 'mongoose';
import { Opportunity } from '../../models/opportunity.js';
import { Customer } from '../../models/customer.js';
import { Organization } from '../../models/organization.js';
import { staffName } from '../users/users.js';
import type { Actor } from '../users/actor.js';
import { getOpportunityForActor, type OpportunityRecord } from './opportunities.js';
import { getOpportunityStage, opportunityStageNames } from './opportunityStages.js';

type Named = { _id: Types.ObjectId; name: string; code?: string };

export interface OpportunityCard {
  opportunity: OpportunityRecord;
  stage: (Named & { kind: string; probability?: number | null }) | null;
  customer: Named | null;
  organization: Named | null;
  owner: Named | null;
}

/** An opportunity with the names a person reads on its card, looked up in parallel. */
export async function getOpportunityCard(actor: Actor, id: unknown): Promise<OpportunityCard> {
  const opportunity = await getOpportunityForActor(actor, id);
  // The step and the owner's name come from memory; the customer and organization in one wait.
  const [step, customer, organization, owner] = await Promise.all([
    getOpportunityStage(opportunity.stage).catch(() => null),
    opportunity.customer ? Customer.findById(opportunity.customer).select('name code').lean() : null,
    opportunity.organization ? Organization.findById(opportunity.organization).select('name code').lean() : null,
    staffName(opportunity.owner),
  ]);
  const stage = step ? { _id: step._id, name: step.name, kind: step.kind, probability: step.probability } : null;
  return {
    opportunity,
    stage: stage as OpportunityCard['stage'],
    customer: customer as Named | null,
    organization: organization as Named | null,
    owner: owner as Named | null,
  };
}

export interface OpenOpportunityLine {
  _id: Types.ObjectId;
  code: string;
  name: string;
  value: number;
  expectedCloseAt?: Date | null;
  stageName: string;
}

/**
 * Open opportunities as one-line summaries, soonest close first (undated last): a customer's or an
 * organization's (not scoped: whoever may open that card sees what is sold to it), or the actor's
 * own for /pipeline (pass `opportunityScope(actor)`).
 */
export async function listOpenOpportunitiesOf(filter: Record<string, unknown>, limit = 5): Promise<OpenOpportunityLine[]> {
  const base: Record<string, unknown> = { ...filter, status: 'open', deletedAt: null };
  // Dated and undated are asked together (one wait, not two); the undated fill what the dated leave.
  const [dated, undated, stageNames] = await Promise.all([
    Opportunity.find({ ...base, expectedCloseAt: { $ne: null } }).sort({ expectedCloseAt: 1, _id: 1 }).limit(limit).lean(),
    Opportunity.find({ ...base, expectedCloseAt: null }).sort({ _id: 1 }).limit(limit).lean(),
    opportunityStageNames(),
  ]);
  const rows = [...dated, ...undated].slice(0, limit);
  return rows.map((r) => ({
    _id: r._id,
    code: r.code,
    name: r.name,
    value: r.value,
    expectedCloseAt: r.expectedCloseAt,
    stageName: stageNames.get(String(r.stage)) ?? '—',
  }));
}
