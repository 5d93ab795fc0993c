import { Types } from 'mongoose';
import { Opportunity, type OpportunityFields, type OpportunityStatus } from '../../models/opportunity.js';
import { Organization } from '../../models/organization.js';
import { Customer } from '../../models/customer.js';
import { CrmError, refusalFromValidation } from '../shared/errors.js';
import { sameId, toObjectId } from '../shared/ids.js';
import { actorUserId, assertRole, seesAllCustomers, type Actor } from '../users/actor.js';
import { getCustomerForActor, type CustomerRecord } from '../customers/customers.js';
import { nextOpportunityCode } from './opportunityCodes.js';
import { firstOpportunityStage, getOpportunityStage } from './opportunityStages.js';
import { cleanOpportunityName, readCloseDate, readOpportunityValue, readProbability } from './opportunityInput.js';

export type OpportunityRecord = OpportunityFields & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

export interface OpportunityLineInput {
  name: string;
  quantity: number;
  unitPrice: number;
}

export interface OpportunityInput {
  name?: string;
  customer?: Types.ObjectId | string | null;
  organization?: Types.ObjectId | string | null;
  /** Đồng, or as typed: "35tr", "1,2 tỷ". */
  value?: number | string;
  probability?: number | string | null;
  expectedCloseAt?: Date | string | null;
  owner?: Types.ObjectId | string | null;
  source?: Types.ObjectId | string | null;
  stage?: Types.ObjectId | string;
  lines?: OpportunityLineInput[];
}

const NOT_DELETED = { deletedAt: null };

/** A salesperson works only on the opportunities they own; managers and admins on all. */
export function opportunityScope(actor: Actor): Record<string, unknown> {
  return seesAllCustomers(actor) ? {} : { owner: actorUserId(actor) };
}

export function canActOnOpportunity(actor: Actor, opportunity: { owner?: Types.ObjectId | null }): boolean {
  return seesAllCustomers(actor) || (actor.kind === 'user' && sameId(opportunity.owner, actor.id));
}

/** Loads an opportunity the actor may act on, or refuses (not found, or someone else's). */
export async function getOpportunityForActor(actor: Actor, id: unknown): Promise<OpportunityRecord> {
  const opportunity = (await Opportunity.findOne({ _id: toObjectId(id, 'notFound.opportunity'), ...NOT_DELETED }).lean()) as OpportunityRecord | null;
  if (!opportunity) throw new CrmError('notFound.opportunity');
  if (!canActOnOpportunity(actor, opportunity)) throw new CrmError('forbidden');
  return opportunity;
}

type OrganizationRef = { _id: Types.ObjectId; owner?: Types.ObjectId | null; source?: Types.ObjectId | null };

/**
 * The organization an opportunity is for, if the actor may sell to it: a salesperson needs to own it
 * or one of its contacts (the organizations' own scoping rule).
 */
async function organizationForActor(actor: Actor, id: unknown): Promise<OrganizationRef> {
  const org = (await Organization.findOne({ _id: toObjectId(id, 'invalid'), ...NOT_DELETED }).select('owner source').lean()) as OrganizationRef | null;
  if (!org) throw new CrmError('invalid', { field: 'organization' });
  if (seesAllCustomers(actor) || sameId(org.owner, actorUserId(actor))) return org;
  if (await Customer.exists({ organization: org._id, owner: actorUserId(actor), ...NOT_DELETED })) return org;
  throw new CrmError('forbidden');
}

function readLines(lines: OpportunityLineInput[] | undefined) {
  return (lines ?? []).map((l) => ({
    name: cleanOpportunityName(l?.name),
    quantity: Number(l?.quantity),
    unitPrice: readOpportunityValue(l?.unitPrice),
  }));
}

/**
 * Opens an opportunity for a customer (a contact brings its organization along) or an organization.
 * It starts in the pipeline's first open step with that step's probability unless one is given; its
 * owner and source come from the customer (or organization) it is for.
 */
export async function createOpportunity(actor: Actor, input: OpportunityInput, opts: { now?: Date } = {}): Promise<OpportunityRecord> {
  const now = opts.now ?? new Date();
  const name = cleanOpportunityName(input.name);
  const customer: CustomerRecord | null = input.customer ? await getCustomerForActor(actor, input.customer) : null;
  const orgId = input.organization ?? customer?.organization ?? null;
  const organization = orgId ? await organizationForActor(actor, orgId) : null;
  if (!customer && !organization) throw new CrmError('opportunity.targetRequired');
  const stage = input.stage ? await getOpportunityStage(input.stage) : await firstOpportunityStage('open');
  if (stage.kind !== 'open' || !stage.active) throw new CrmError('stage.inactive');

  const defaultOwner = customer?.owner ?? organization?.owner ?? actorUserId(actor);
  const owner = seesAllCustomers(actor)
    ? input.owner
      ? toObjectId(input.owner, 'notFound.user')
      : defaultOwner
    : actorUserId(actor);
  const doc = {
    code: await nextOpportunityCode(),
    name,
    customer: customer?._id,
    organization: organization?._id,
    value: input.value === undefined || input.value === '' ? 0 : readOpportunityValue(input.value),
    probability: input.probability === undefined || input.probability === null || input.probability === '' ? (stage.probability ?? undefined) : readProbability(input.probability),
    expectedCloseAt: input.expectedCloseAt ? readCloseDate(input.expectedCloseAt) : undefined,
    owner,
    source: input.source ? toObjectId(input.source, 'invalid') : (customer?.source ?? organization?.source ?? undefined),
    stage: stage._id,
    status: 'open' as const,
    lines: readLines(input.lines),
    lastActivityAt: now,
  };
  try {
    return (await Opportunity.create(doc)).toObject() as OpportunityRecord;
  } catch (e) {
    throw refusalFromValidation(e) ?? e;
  }
}

/** Edits an open opportunity's details. Its step and outcome change through move, win and lose. */
export async function updateOpportunity(actor: Actor, id: unknown, patch: Omit<OpportunityInput, 'customer' | 'organization' | 'stage'>): Promise<OpportunityRecord> {
  const opportunity = await getOpportunityForActor(actor, id);
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, 1> = {};
  if (patch.name !== undefined) $set.name = cleanOpportunityName(patch.name);
  if (patch.value !== undefined) $set.value = readOpportunityValue(patch.value);
  if (patch.probability !== undefined) {
    if (patch.probability === null || patch.probability === '') $unset.probability = 1;
    else $set.probability = readProbability(patch.probability);
  }
  if (patch.expectedCloseAt !== undefined) {
    if (patch.expectedCloseAt) $set.expectedCloseAt = readCloseDate(patch.expectedCloseAt);
    else $unset.expectedCloseAt = 1;
  }
  if (patch.source !== undefined) {
    if (patch.source) $set.source = toObjectId(patch.source, 'invalid');
    else $unset.source = 1;
  }
  if (patch.lines !== undefined) $set.lines = readLines(patch.lines);
  if (patch.owner !== undefined) {
    assertRole(actor, 'admin', 'manager');
    $set.owner = patch.owner ? toObjectId(patch.owner, 'notFound.user') : null;
  }
  try {
    const updated = (await Opportunity.findOneAndUpdate(
      { _id: opportunity._id, status: 'open' },
      Object.keys($unset).length ? { $set, $unset } : { $set },
      { returnDocument: 'after', runValidators: true, lean: true },
    )) as OpportunityRecord | null;
    if (!updated) throw new CrmError('opportunity.closed');
    return updated;
  } catch (e) {
    throw refusalFromValidation(e) ?? e;
  }
}

export interface OpportunityFilter {
  status?: OpportunityStatus;
  stage?: Types.ObjectId | string;
  owner?: Types.ObjectId | string;
  customer?: Types.ObjectId | string;
  organization?: Types.ObjectId | string;
  /** Only those expected to close before this date (reminders: near or past). */
  closingBefore?: Date;
  limit?: number;
  skip?: number;
}

/** The opportunities the actor may see, soonest expected close first (undated last). */
export async function listOpportunities(actor: Actor, filter: OpportunityFilter = {}): Promise<OpportunityRecord[]> {
  const query: Record<string, unknown> = { ...NOT_DELETED };
  if (filter.status) query.status = filter.status;
  if (filter.stage) query.stage = toObjectId(filter.stage, 'notFound.stage');
  if (filter.owner) query.owner = toObjectId(filter.owner, 'notFound.user');
  if (filter.customer) query.customer = toObjectId(filter.customer, 'notFound.customer');
  if (filter.organization) query.organization = toObjectId(filter.organization, 'invalid');
  if (filter.closingBefore) query.expectedCloseAt = { $lte: filter.closingBefore };
  Object.assign(query, opportunityScope(actor));
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  const rows = (await Opportunity.find(query)
    .sort({ expectedCloseAt: 1, _id: 1 })
    .skip(Math.max(filter.skip ?? 0, 0))
    .limit(limit)
    .lean()) as OpportunityRecord[];
  // An undated opportunity sorts first in MongoDB; people read the dated, urgent ones first.
  return [...rows.filter((r) => r.expectedCloseAt), ...rows.filter((r) => !r.expectedCloseAt)];
}

/** Activity on a customer (a logged call, a message) is activity on their open opportunities: the stale rule reads it. */
export async function touchOpportunitiesOfCustomer(customerId: Types.ObjectId, at: Date): Promise<void> {
  await Opportunity.updateMany({ customer: customerId, status: 'open', ...NOT_DELETED }, { $max: { lastActivityAt: at } });
}
