import { Types } from 'mongoose';
import { Customer, type CustomerFields } from '../../models/customer.js';
import { CHAT_CHANNELS, type ChatChannel } from '../../models/channels.js';
import { CrmError, isDuplicateKey, refusalFromValidation } from '../shared/errors.js';
import { toObjectId } from '../shared/ids.js';
import { assertCanActOnCustomer, assertCanReadCustomer, assertRole, actorUserId, customerScope, seesAllCustomers, type Actor } from '../users/actor.js';
import { getDefaultStage } from '../stages/stages.js';
import { normalizePhone, tryNormalizePhone } from './phone.js';
import { customerSearchText, escapeRegex, foldVietnamese, INVISIBLE_CHARS } from './searchText.js';
import { nextCustomerCode } from './customerCodes.js';
import { checkReferrer } from './referrer.js';
import { needsToAppend } from './needs.js';
import { byPhone, livingByPhone } from './phoneFilter.js';
import { rollCustomer } from '../rollups/record.js';

export type CustomerRecord = CustomerFields & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

export interface CustomerInput {
  name?: string;
  phones?: string[];
  email?: string;
  need?: string;
  notes?: string;
  source?: Types.ObjectId | string | null;
  groups?: (Types.ObjectId | string)[];
  owner?: Types.ObjectId | string | null;
  referrer?: { kind: 'customer' | 'user'; id: Types.ObjectId | string } | null;
  language?: 'vi' | 'en';
}

const NOT_DELETED = { deletedAt: null };

/** Normalizes a list of typed phones; refuses the whole input if one is not a real number. */
export function normalizePhones(phones: string[] | undefined): string[] {
  const out: string[] = [];
  for (const p of phones ?? []) {
    if (typeof p !== 'string' || !p.trim()) continue;
    const e164 = normalizePhone(p);
    if (!out.includes(e164)) out.push(e164);
  }
  return out;
}

export function cleanName(name: unknown): string {
  const cleaned = String(name ?? '')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(INVISIBLE_CHARS, '')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned.slice(0, 120);
}

export async function findCustomerByPhone(phone: string): Promise<CustomerRecord | null> {
  const e164 = tryNormalizePhone(phone);
  if (!e164) return null;
  return (await Customer.findOne(livingByPhone(e164)).lean()) as CustomerRecord | null;
}

export async function findCustomerByChat(channel: ChatChannel, chatId: string): Promise<CustomerRecord | null> {
  return (await Customer.findOne({ [`chatIds.${channel}`]: String(chatId), ...NOT_DELETED }).lean()) as CustomerRecord | null;
}

async function loadCustomer(id: unknown): Promise<CustomerRecord> {
  const customer = (await Customer.findOne({ _id: toObjectId(id, 'notFound.customer'), ...NOT_DELETED }).lean()) as CustomerRecord | null;
  if (!customer) throw new CrmError('notFound.customer');
  return customer;
}

/** Loads a customer the actor may act on, or refuses (not found, or someone else's; a follower is told they only follow). */
export async function getCustomerForActor(actor: Actor, id: unknown, loaded?: CustomerRecord): Promise<CustomerRecord> {
  // `loaded`: as the caller has just read it (with its card); not read again, access still checked.
  const customer = loaded ?? (await loadCustomer(id));
  assertCanActOnCustomer(actor, customer);
  return customer;
}

/** Loads a customer the actor may read (owner, manager, or a follower), or refuses. */
export async function getCustomerForReader(actor: Actor, id: unknown): Promise<CustomerRecord> {
  const customer = await loadCustomer(id);
  assertCanReadCustomer(actor, customer);
  return customer;
}

/** Creates a customer by hand. A phone that already belongs to someone is refused with that customer's code. */
export async function createCustomer(actor: Actor, input: CustomerInput): Promise<CustomerRecord> {
  const name = cleanName(input.name);
  if (!name) throw new CrmError('customer.nameRequired');
  const phones = normalizePhones(input.phones);
  for (const phone of phones) {
    const existing = await Customer.findOne(livingByPhone(phone)).select('code owner').lean();
    if (existing) throw new CrmError('phone.taken', { code: existing.code, id: String(existing._id) });
  }
  const referrer = input.referrer ? await checkReferrer(input.referrer, { phones }) : undefined;
  const stage = await getDefaultStage();
  const owner = input.owner && seesAllCustomers(actor) ? toObjectId(input.owner, 'notFound.user') : actorUserId(actor);
  const code = await nextCustomerCode();
  const doc = {
    code,
    name,
    phones,
    email: input.email?.trim() || undefined,
    need: input.need?.trim() || undefined,
    needs: input.need?.trim() ? [{ text: input.need.trim(), at: new Date(), channel: 'manual' }] : undefined,
    notes: input.notes?.trim() || undefined,
    stage: stage._id,
    owner,
    source: input.source ? toObjectId(input.source, 'invalid') : undefined,
    groups: (input.groups ?? []).map((g) => toObjectId(g, 'invalid')),
    referrer: referrer ? { kind: referrer.kind, id: referrer.id } : undefined,
    language: input.language,
    searchText: customerSearchText({ name, code, email: input.email, phones }),
  };
  try {
    const created = (await Customer.create(doc)).toObject() as CustomerRecord;
    await rollCustomer(null, created);
    return created;
  } catch (e) {
    const refusal = refusalFromValidation(e);
    if (refusal) throw refusal;
    if (isDuplicateKey(e) && phones.length) {
      const existing = await Customer.findOne(byPhone({ $in: phones })).select('code').lean();
      throw new CrmError('phone.taken', { code: existing?.code ?? '', id: String(existing?._id ?? '') });
    }
    throw e;
  }
}

/** Edits a customer's details. Stage and owner have their own services (history, authorization). */
export async function updateCustomer(actor: Actor, id: unknown, patch: CustomerInput): Promise<CustomerRecord> {
  const customer = await getCustomerForActor(actor, id);
  const $set: Record<string, unknown> = {};
  if (patch.name !== undefined) {
    const name = cleanName(patch.name);
    if (!name) throw new CrmError('customer.nameRequired');
    $set.name = name;
  }
  if (patch.phones !== undefined) {
    const phones = normalizePhones(patch.phones);
    const clash = await Customer.findOne({ ...byPhone({ $in: phones }), _id: { $ne: customer._id }, ...NOT_DELETED }).select('code').lean();
    if (clash) throw new CrmError('phone.taken', { code: clash.code, id: String(clash._id) });
    $set.phones = phones;
  }
  for (const key of ['email', 'need', 'notes', 'language'] as const) {
    if (patch[key] !== undefined) $set[key] = typeof patch[key] === 'string' ? patch[key]!.trim() : patch[key];
  }
  if (patch.referrer !== undefined) {
    const referrer = patch.referrer ? await checkReferrer(patch.referrer, { id: customer._id, phones: ($set.phones as string[] | undefined) ?? customer.phones }) : null;
    $set.referrer = referrer ? { kind: referrer.kind, id: referrer.id } : null;
  }
  if (patch.source !== undefined) $set.source = patch.source ? toObjectId(patch.source, 'invalid') : null;
  if (patch.groups !== undefined) $set.groups = patch.groups.map((g) => toObjectId(g, 'invalid'));
  if (patch.owner !== undefined) {
    assertRole(actor, 'admin', 'manager');
    $set.owner = patch.owner ? toObjectId(patch.owner, 'notFound.user') : null;
  }
  const next = { ...customer, ...$set } as CustomerRecord;
  $set.searchText = customerSearchText(next);
  // A need edited by hand joins the history: the one it replaces stays readable.
  const newNeeds = patch.need !== undefined ? needsToAppend(customer, patch.need, 'manual', new Date()) : [];
  const update: Record<string, unknown> = newNeeds.length ? { $set, $push: { needs: { $each: newNeeds } } } : { $set };
  let updated: CustomerRecord;
  try {
    updated = (await Customer.findOneAndUpdate({ _id: customer._id }, update, { returnDocument: 'after', runValidators: true, lean: true })) as CustomerRecord;
  } catch (e) {
    const refusal = refusalFromValidation(e);
    if (refusal) throw refusal;
    if (isDuplicateKey(e)) throw new CrmError('phone.taken', { code: '', id: '' });
    throw e;
  }
  // Owner and source are counted by the dashboard rollups.
  await rollCustomer(customer, updated);
  return updated;
}

/** Gives a customer to another salesperson (managers and admins). */
export async function reassignCustomer(actor: Actor, id: unknown, ownerId: unknown): Promise<CustomerRecord> {
  assertRole(actor, 'admin', 'manager');
  return updateCustomer(actor, id, { owner: toObjectId(ownerId, 'notFound.user') });
}

/** Soft delete: the record stays for reports, its phones are freed for a future lead. */
export async function deleteCustomer(actor: Actor, id: unknown, now = new Date()): Promise<void> {
  const customer = await getCustomerForActor(actor, id);
  const $unset = Object.fromEntries(CHAT_CHANNELS.map((c) => [`chatIds.${c}`, 1]));
  await Customer.updateOne(
    { _id: customer._id },
    { $set: { deletedAt: now, deletedPhones: customer.phones, phones: [] }, $unset },
  );
  await rollCustomer(customer, null);
}

export interface FindResult {
  customers: CustomerRecord[];
  /** True when there were more matches than the limit. */
  more: boolean;
}

/**
 * Finds customers by name (Vietnamese with or without diacritics), phone (any format, or its last
 * digits) or code, among those the actor may see. Every word typed must match.
 */
export async function findCustomers(actor: Actor, query: string, opts: { limit?: number } = {}): Promise<FindResult> {
  const limit = Math.min(Math.max(opts.limit ?? 10, 1), 100);
  const filter = findCustomersFilter(actor, query);
  if (!filter) return { customers: [], more: false };
  const rows = (await Customer.find(filter)
    .sort(FIND_SORT)
    .limit(limit + 1)
    .lean()) as CustomerRecord[];
  return { customers: rows.slice(0, limit), more: rows.length > limit };
}

/** The MongoDB filter for a typed search, or null when there is nothing to search for. */
/** /find's order: the customers worked on last first. */
export const FIND_SORT = { updatedAt: -1 } as const;

/** What /find and the panel's search ask the database for: the typed text, within the actor's customers; null matches nothing. */
export function findCustomersFilter(actor: Actor, query: string): Record<string, unknown> | null {
  const filter = buildSearchFilter(query);
  return filter ? { ...filter, ...customerScope(actor), ...NOT_DELETED } : null;
}

export function buildSearchFilter(query: string): Record<string, unknown> | null {
  const text = foldVietnamese(String(query ?? '').slice(0, 200));
  if (!text) return null;
  const code = /^kh\d{1,6}$/.exec(text.replace(/\s/g, ''));
  if (code) {
    const digits = text.replace(/\D/g, '');
    return { code: `KH${digits.padStart(6, '0')}` };
  }
  const digits = text.replace(/[\s.\-()+]/g, '');
  if (/^\d{3,15}$/.test(digits)) {
    const e164 = tryNormalizePhone(digits);
    if (e164) return byPhone(e164);
    return byPhone({ $regex: `${escapeRegex(digits)}$` });
  }
  const words = text.split(' ').filter(Boolean).slice(0, 6);
  // Each word must start a word of the stored text: "duc" finds "Đức", not "Đức" inside "Ngđuc".
  return { $and: words.map((w) => ({ searchText: { $regex: `(^| )${escapeRegex(w)}` } })) };
}

/** Marks a customer as unreachable on a channel (blocked the bot, unfollowed the OA). */
export async function markUnreachable(customerId: Types.ObjectId, channel: ChatChannel, unreachable = true): Promise<void> {
  await Customer.updateOne({ _id: customerId }, { $set: { [`unreachable.${channel}`]: unreachable } });
}

/** A customer asked not to receive campaign messages on this channel (or asked again to receive them). */
export async function setOptOut(customerId: Types.ObjectId, channel: ChatChannel, optedOut = true): Promise<void> {
  await Customer.updateOne({ _id: customerId }, { $set: { [`optedOut.${channel}`]: optedOut } });
}
