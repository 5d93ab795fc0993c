import { Types } from 'mongoose';
import { Opportunity, type OpportunityFields, type OpportunityStatus } from '../../models/opportunity.js';
import { CrmError, isCrmError, refusalFromValidation } from '../shared/errors.js';
import { sameId, toObjectId } from '../shared/ids.js';
import { actorUserId, assertRole, seesAllCustomers, type Actor } from '../users/actor.js';
import { getCustomerForActor, type CustomerRecord } from '../customers/customers.js';
import { getOrganizationForActor } from '../organizations/organizations.js';
import { nextOpportunityCode } from './opportunityCodes.js';
import { firstOpportunityStage, getOpportunityStage } from './opportunityStages.js';
import { cleanOpportunityName, readCloseDate, readOpportunityValue, readProbability } from './opportunityInput.js';
import { rollOpportunity } from '../rollups/record.js';
import { changedFields, recordAudit } from '../audit/audit.js';
import { VersionedCache } from '../shared/versionedCache.js';

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
  // A contact brings their organization along, unless it has been deleted since.
  const organization = input.organization
    ? await getOrganizationForActor(actor, input.organization)
    : customer?.organization
      ? await getOrganizationForActor(actor, customer.organization).catch((e) => (isCrmError(e, 'notFound.organization') ? null : Promise.reject(e)))
      : null;
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
  let created: OpportunityRecord;
  try {
    created = (await Opportunity.create(doc)).toObject() as OpportunityRecord;
  } catch (e) {
    throw refusalFromValidation(e) ?? e;
  }
  await rollOpportunity(null, created);
  await recordAudit(actor, { subject: 'opportunity', action: 'create', recordId: created._id, details: name }, now);
  return created;
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
    // Value, probability, expected close, owner and source are counted by the dashboard rollups.
    await rollOpportunity(opportunity, updated);
    await recordAudit(actor, { subject: 'opportunity', action: 'edit', recordId: opportunity._id, details: changedFields({ ...$set, ...$unset }) });
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
/**
 * Whether the team sells through opportunities at all (one not deleted exists): every card asks,
 * so the answer is kept in memory; creating or deleting one bumps its version (models/opportunity.ts).
 */
export async function opportunitiesInUse(): Promise<boolean> {
  return inUse.get();
}

const inUse = new VersionedCache<boolean>('opportunitiesInUse', async () => Boolean(await Opportunity.exists(NOT_DELETED)));

export async function touchOpportunitiesOfCustomer(customerId: Types.ObjectId, at: Date): Promise<void> {
  await Opportunity.updateMany({ customer: customerId, status: 'open', ...NOT_DELETED }, { $max: { lastActivityAt: at } });
}

/** Soft delete: gone from lists, the pipeline and the digest; a won one's Deal stays in revenue. */
export async function deleteOpportunity(actor: Actor, id: unknown, now = new Date()): Promise<void> {
  const opportunity = await getOpportunityForActor(actor, id);
  const res = await Opportunity.updateOne({ _id: opportunity._id, deletedAt: null }, { $set: { deletedAt: now } });
  if (res.modifiedCount) await rollOpportunity(opportunity, null);
  if (res.modifiedCount) await recordAudit(actor, { subject: 'opportunity', action: 'delete', recordId: opportunity._id, details: opportunity.name }, now);
}
