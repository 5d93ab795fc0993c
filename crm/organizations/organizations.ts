import type { Types } from 'mongoose';
import { Organization, type OrganizationFields } from '../../models/organization.js';
import { Customer } from '../../models/customer.js';
import { CrmError, isDuplicateKey, refusalFromValidation } from '../shared/errors.js';
import { sameId, toObjectId } from '../shared/ids.js';
import { VersionedCache } from '../shared/versionedCache.js';
import { actorUserId, seesAllCustomers, type Actor } from '../users/actor.js';
import { cleanName } from '../customers/customers.js';
import { escapeRegex, foldVietnamese } from '../customers/searchText.js';
import { normalizeTaxCode } from './taxCode.js';
import { domainOfWebsite } from './domain.js';
import { organizationNameKey } from './orgName.js';
import { nextOrganizationCode } from './organizationCodes.js';
import { recordAudit } from '../audit/audit.js';

export type OrganizationRecord = OrganizationFields & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

export interface OrganizationInput {
  name?: string;
  taxCode?: string | null;
  address?: string;
  province?: string;
  website?: string;
  /** Given when there is no website, or to override it (the domain its people's emails use). */
  domain?: string;
  industry?: string;
  notes?: string;
  owner?: Types.ObjectId | string | null;
  source?: Types.ObjectId | string | null;
  groups?: (Types.ObjectId | string)[];
}

const NOT_DELETED = { deletedAt: null };
const TEXT_FIELDS = ['address', 'province', 'website', 'industry', 'notes'] as const;

/**
 * The organizations an actor may see: managers and admins all; a salesperson those they own and
 * those where they own a contact (they sell to that company through that person).
 */
export async function organizationScope(actor: Actor): Promise<Record<string, unknown>> {
  if (seesAllCustomers(actor)) return {};
  const me = actorUserId(actor);
  return { $or: [{ owner: me }, { _id: { $in: await contactOrganizations(me) } }] };
}

/** The organizations where a salesperson owns a contact, among `among` when given. */
function contactOrganizations(me: Types.ObjectId | undefined, among?: Types.ObjectId[]): Promise<unknown[]> {
  return Customer.distinct('organization', { owner: me, organization: among ? { $in: among } : { $ne: null }, ...NOT_DELETED });
}

/** organizationScope's rule, for organizations already read: the salesperson owns it or one of its contacts. */
function seenBy(me: Types.ObjectId | undefined, viaContacts: unknown[]): (org: { _id: unknown; owner?: unknown }) => boolean {
  const via = new Set(viaContacts.map(String));
  return (org) => sameId(org.owner as Types.ObjectId | null | undefined, me) || via.has(String(org._id));
}

export async function getOrganizationForActor(actor: Actor, id: unknown): Promise<OrganizationRecord> {
  const _id = toObjectId(id, 'notFound.organization');
  const org = (await Organization.findOne({ _id, ...NOT_DELETED, ...(await organizationScope(actor)) }).lean()) as OrganizationRecord | null;
  if (org) return org;
  // Someone else's organization is refused as such; a missing one as missing.
  const exists = await Organization.exists({ _id, ...NOT_DELETED });
  throw new CrmError(exists ? 'forbidden' : 'notFound.organization');
}

/** The organization already holding a tax code, if any. */
export async function findOrganizationByTaxCode(taxCode: string): Promise<OrganizationRecord | null> {
  return (await Organization.findOne({ taxCode, ...NOT_DELETED }).lean()) as OrganizationRecord | null;
}

function taxCodeTaken(org: { code: string; name: string; _id: unknown }): CrmError {
  return new CrmError('organization.taxCodeTaken', { code: org.code, name: org.name, id: String(org._id) });
}

/**
 * Creates an organization. Its tax code is checked (10 or 13 digits) and must be new: a second
 * company with the same one is refused, naming the first. The domain comes from the website
 * unless given.
 */
export async function createOrganization(actor: Actor, input: OrganizationInput): Promise<OrganizationRecord> {
  const name = cleanName(input.name).slice(0, 200);
  if (!name) throw new CrmError('organization.nameRequired');
  const taxCode = normalizeTaxCode(input.taxCode);
  if (taxCode) {
    const existing = await findOrganizationByTaxCode(taxCode);
    if (existing) throw taxCodeTaken(existing);
  }
  const owner = input.owner && seesAllCustomers(actor) ? toObjectId(input.owner, 'notFound.user') : actorUserId(actor);
  const doc: Record<string, unknown> = {
    code: await nextOrganizationCode(),
    name,
    taxCode,
    domain: domainOfWebsite(input.domain) ?? domainOfWebsite(input.website),
    owner,
    source: input.source ? toObjectId(input.source, 'invalid') : undefined,
    groups: (input.groups ?? []).map((g) => toObjectId(g, 'invalid')),
    searchText: organizationNameKey(name),
  };
  for (const key of TEXT_FIELDS) if (typeof input[key] === 'string' && input[key]!.trim()) doc[key] = input[key]!.trim();
  let created: OrganizationRecord;
  try {
    created = (await Organization.create(doc)).toObject() as OrganizationRecord;
  } catch (e) {
    throw await refusalOfWrite(e, taxCode);
  }
  await recordAudit(actor, { subject: 'organization', action: 'create', recordId: created._id, details: name });
  return created;
}

/** Edits an organization the actor may see; only managers and admins give it another owner. */
export async function updateOrganization(actor: Actor, id: unknown, patch: OrganizationInput): Promise<OrganizationRecord> {
  const org = await getOrganizationForActor(actor, id);
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, 1> = {};
  if (patch.name !== undefined) {
    const name = cleanName(patch.name).slice(0, 200);
    if (!name) throw new CrmError('organization.nameRequired');
    $set.name = name;
    $set.searchText = organizationNameKey(name);
  }
  if (patch.taxCode !== undefined) {
    const taxCode = normalizeTaxCode(patch.taxCode);
    if (taxCode) {
      const holder = await findOrganizationByTaxCode(taxCode);
      if (holder && String(holder._id) !== String(org._id)) throw taxCodeTaken(holder);
      $set.taxCode = taxCode;
    } else $unset.taxCode = 1;
  }
  for (const key of TEXT_FIELDS) if (patch[key] !== undefined) $set[key] = String(patch[key] ?? '').trim();
  if (patch.domain !== undefined || patch.website !== undefined) {
    const domain = domainOfWebsite(patch.domain) ?? domainOfWebsite(patch.website ?? org.website);
    if (domain) $set.domain = domain;
  }
  if (patch.source !== undefined) $set.source = patch.source ? toObjectId(patch.source, 'invalid') : null;
  if (patch.groups !== undefined) $set.groups = patch.groups.map((g) => toObjectId(g, 'invalid'));
  if (patch.owner !== undefined && String(patch.owner ?? '') !== String(org.owner ?? '')) {
    if (!seesAllCustomers(actor)) throw new CrmError('forbidden');
    $set.owner = patch.owner ? toObjectId(patch.owner, 'notFound.user') : null;
  }
  const update: Record<string, unknown> = { $set };
  if (Object.keys($unset).length) update.$unset = $unset;
  let updated: OrganizationRecord;
  try {
    updated = (await Organization.findOneAndUpdate({ _id: org._id }, update, { returnDocument: 'after', runValidators: true, lean: true })) as OrganizationRecord;
  } catch (e) {
    throw await refusalOfWrite(e, $set.taxCode as string | undefined);
  }
  // A panel form sends every field: the log names only those whose value moved (searchText follows the name).
  const before = org as unknown as Record<string, unknown>;
  const moved = Object.keys({ ...$set, ...$unset }).filter((k) => k !== 'searchText' && JSON.stringify($set[k] ?? null) !== JSON.stringify(before[k] ?? null));
  if (moved.length) await recordAudit(actor, { subject: 'organization', action: 'edit', recordId: org._id, details: moved.join(', ') });
  return updated;
}

async function refusalOfWrite(e: unknown, taxCode: string | undefined): Promise<unknown> {
  const refusal = refusalFromValidation(e);
  if (refusal) return refusal;
  // Two people saving the same company at the same moment: the unique index let one through.
  if (isDuplicateKey(e) && taxCode) {
    const winner = await findOrganizationByTaxCode(taxCode);
    if (winner) return taxCodeTaken(winner);
  }
  return e;
}

/**
 * Soft delete: the record stays for reports and its contacts keep their link (shown as nothing);
 * the tax code is freed so the company can be entered again.
 */
export async function deleteOrganization(actor: Actor, id: unknown, now = new Date()): Promise<void> {
  const org = await getOrganizationForActor(actor, id);
  await Organization.updateOne({ _id: org._id }, { $set: { deletedAt: now }, $unset: { taxCode: 1 } });
  await recordAudit(actor, { subject: 'organization', action: 'delete', recordId: org._id, details: org.name }, now);
}

/**
 * Finds organizations by name (with or without diacritics, legal-form words ignored), by tax code
 * or by TC code, among those the actor may see, the ones worked on last first.
 */
export async function findOrganizations(actor: Actor, query: string, opts: { limit?: number } = {}): Promise<{ organizations: OrganizationRecord[]; more: boolean }> {
  const limit = Math.min(Math.max(opts.limit ?? 10, 1), 100);
  const filter = organizationSearchFilter(query);
  // A team that never created an organization (B2C) is not asked for one on every search.
  if (!filter || !(await organizationsInUse())) return { organizations: [], more: false };
  const matching = { ...filter, ...NOT_DELETED };
  const page = (rows: OrganizationRecord[]) => ({ organizations: rows.slice(0, limit), more: rows.length > limit });
  if (seesAllCustomers(actor)) return page(await findSorted(matching, limit + 1));
  // Asking for a salesperson's scope first (organizationScope: a distinct over all their contacts)
  // would cost a wait of its own and most of the search's time at 100,000 customers. Typed words
  // match few organizations, so the matches come first and only those the salesperson does not
  // own are checked against their contacts.
  const matches = await findSorted(matching, FEW_MATCHES + 1);
  if (matches.length <= FEW_MATCHES) return page(await visibleTo(actor, matches));
  return page(await manyVisibleTo(actor, matching, limit + 1));
}

/** Matches of a salesperson's search that are checked one by one against their contacts. */
const FEW_MATCHES = 50;

function findSorted(filter: Record<string, unknown>, limit: number): Promise<OrganizationRecord[]> {
  return Organization.find(filter).sort(ORGANIZATION_FIND_SORT).limit(limit).lean() as unknown as Promise<OrganizationRecord[]>;
}

/** Search results: the organizations worked on last first. */
const ORGANIZATION_FIND_SORT = { updatedAt: -1 } as const;

/**
 * The first `count` organizations matching `filter` that a salesperson sees, when many match (a
 * common word): their whole scope and the ids of every match are read together and crossed here,
 * then only that page is read. Asking the database for the matches within the scope instead tests
 * each match against hundreds of ids, which took a second at 100,000 customers on the embedded one.
 */
async function manyVisibleTo(actor: Actor, filter: Record<string, unknown>, count: number): Promise<OrganizationRecord[]> {
  const me = actorUserId(actor);
  // Ids and owners only, in one reply (thousands fit in a few hundred kB), not batches of 101.
  const matches = Organization.find(filter).sort(ORGANIZATION_FIND_SORT).select('_id owner').batchSize(100_000).lean();
  const [viaContacts, all] = await Promise.all([contactOrganizations(me), matches]);
  const ids = all.filter(seenBy(me, viaContacts)).slice(0, count).map((o) => String(o._id));
  if (!ids.length) return [];
  const rows = (await Organization.find({ _id: { $in: ids } }).lean()) as unknown as OrganizationRecord[];
  const byId = new Map(rows.map((o) => [String(o._id), o]));
  return ids.map((id) => byId.get(id)).filter((o): o is OrganizationRecord => Boolean(o));
}

/** The organizations among `orgs` that a salesperson sees (organizationScope's rule), in the same order. */
async function visibleTo(actor: Actor, orgs: OrganizationRecord[]): Promise<OrganizationRecord[]> {
  const me = actorUserId(actor);
  const others = orgs.filter((o) => !sameId(o.owner, me)).map((o) => o._id);
  return orgs.filter(seenBy(me, others.length ? await contactOrganizations(me, others) : []));
}

/** The MongoDB filter for a typed organization search (name, tax code, TC code), or null when there is nothing to search. */
export function organizationSearchFilter(query: string): Record<string, unknown> | null {
  const text = foldVietnamese(String(query ?? '').slice(0, 200));
  if (!text) return null;
  const compact = text.replace(/[\s.\-]/g, '');
  if (/^tc\d{1,6}$/.test(compact)) return { code: `TC${compact.slice(2).padStart(6, '0')}` };
  if (/^\d+$/.test(compact)) return compact.length === 10 || compact.length === 13 ? { taxCode: compact } : null;
  const words = organizationNameKey(text).split(' ').filter(Boolean).slice(0, 6);
  if (!words.length) return null;
  return { $and: words.map((w) => ({ searchText: { $regex: `(^| )${escapeRegex(w)}` } })) };
}

/**
 * Whether the team works with organizations at all. The chat asks "Công ty của bạn?" only then,
 * so a B2C team that never created one sees its intake unchanged.
 */
export async function organizationsInUse(): Promise<boolean> {
  return inUse.get();
}

// Every intake answer and every search asks: kept in memory, told by creations and deletions (models/organization.ts).
const inUse = new VersionedCache<boolean>('organizationsInUse', async () => Boolean(await Organization.exists(NOT_DELETED)));
