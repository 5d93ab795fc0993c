import type { Types } from 'mongoose';
import { Opportunity } from '../../models/opportunity.js';
import { Customer } from '../../models/customer.js';
import { Organization } from '../../models/organization.js';
import { staffName } from '../users/users.js';
import type { Actor } from '../users/actor.js';
import { getOpportunityForActor, type OpportunityRecord } from './opportunities.js';
import { getOpportunityStage, opportunityStageNames } from './opportunityStages.js';
import type { FindSpec } from '../shared/readTogether.js';

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
  const finds = openOpportunityFinds(filter, limit);
  // Dated and undated are asked together (one wait, not two); the undated fill what the dated leave.
  const [dated, undated] = await Promise.all([finds.dated, finds.undated].map((f) => f.model.find(f.filter).sort(f.sort).limit(f.limit!).lean()));
  return openOpportunityLinesOf(dated as OpportunityRow[], undated as OpportunityRow[], limit);
}

/** The two finds behind the open opportunities' lines (a card sends them with its other reads). */
export function openOpportunityFinds(filter: Record<string, unknown>, limit = 5): { dated: FindSpec; undated: FindSpec } {
  const base: Record<string, unknown> = { ...filter, status: 'open', deletedAt: null };
  return {
    dated: { model: Opportunity, filter: { ...base, expectedCloseAt: { $ne: null } }, sort: { expectedCloseAt: 1, _id: 1 }, limit },
    undated: { model: Opportunity, filter: { ...base, expectedCloseAt: null }, sort: { _id: 1 }, limit },
  };
}

type OpportunityRow = { _id: Types.ObjectId; code: string; name: string; value: number; expectedCloseAt?: Date | null; stage?: unknown };

/** The lines from what `openOpportunityFinds` found: the dated first, the undated after; step names from memory. */
export async function openOpportunityLinesOf(dated: OpportunityRow[], undated: OpportunityRow[], limit = 5): Promise<OpenOpportunityLine[]> {
  const stageNames = await opportunityStageNames();
  return [...dated, ...undated].slice(0, limit).map((r) => ({
    _id: r._id,
    code: r.code,
    name: r.name,
    value: r.value,
    expectedCloseAt: r.expectedCloseAt,
    stageName: stageNames.get(String(r.stage)) ?? '—',
  }));
}
