import type { Types } from 'mongoose';
import { Customer } from '../../models/customer.js';
import { Source } from '../../models/source.js';
import { Interaction } from '../../models/interaction.js';
import { isChatChannel, type ChatChannel, type SourceChannel } from '../../models/channels.js';
import { getDefaultStage } from '../stages/stages.js';
import { getSettings } from '../settings/settings.js';
import { getUser, pickFallbackOwner, pickNextOwner, type StaffUser } from '../users/users.js';
import { normalizePhone } from './phone.js';
import { customerSearchText } from './searchText.js';
import { nextCustomerCode } from './customerCodes.js';
import { cleanName, getCustomerForActor, type CustomerRecord } from './customers.js';
import { isDuplicateKey } from '../shared/errors.js';
import { needsToAppend } from './needs.js';
import type { Actor } from '../users/actor.js';
import { t } from '../../i18n/index.js';
import { checkLeadCompany, linkLeadToCompany, type CompanyLink, type LeadCompany } from '../organizations/leadCompany.js';
import { rollCustomer } from '../rollups/record.js';
import { byPhone } from './phoneFilter.js';

export interface LeadInput {
  /** Where the lead wrote from. `manual`/`import` for leads typed in or imported by staff. */
  channel: SourceChannel;
  /** The prospect's account on that channel, when the lead came by chat. */
  chatId?: string;
  name?: string;
  phone?: string;
  email?: string;
  need?: string;
  /** A source code from an ad's deep link (`src_<code>`); otherwise the channel's own source. */
  sourceCode?: string;
  language?: 'vi' | 'en';
  /** What the lead wrote, kept as the first message_in interaction. */
  message?: string;
  /** B2B: the company they work at; they become its contact (see linkLeadToCompany). */
  company?: LeadCompany;
}

export interface CapturedLead {
  customer: CustomerRecord;
  isNew: boolean;
  merged: boolean;
  owner: StaffUser | null;
  /** The organization the person was linked to, when a company was given. */
  company?: CompanyLink | null;
}

/**
 * Turns a prospect into a customer: a new record, or the existing one with the same phone (or the
 * same chat account) brought up to date. A new customer gets its owner by round-robin; an existing
 * one keeps its owner. Safe when the same lead arrives twice at once: creation is one atomic
 * upsert keyed on the phone (or chat account), so the loser of a race merges instead.
 */
export async function captureLead(input: LeadInput, now = new Date()): Promise<CapturedLead> {
  // A malformed tax code is refused before the person is stored, so the question can be asked again.
  checkLeadCompany(input.company);
  const captured = await capturePerson(input, now);
  if (!input.company) return captured;
  return { ...captured, company: await linkLeadToCompany(captured.customer, input.company) };
}

async function capturePerson(input: LeadInput, now: Date): Promise<CapturedLead> {
  const phone = input.phone ? normalizePhone(input.phone) : undefined;
  const chatChannel = isChatChannel(input.channel) && input.chatId ? input.channel : undefined;
  const chatId = chatChannel ? String(input.chatId) : undefined;
  const name = cleanName(input.name);
  const need = input.need?.trim().slice(0, 2000) || undefined;

  const existing = await findExisting(phone, chatChannel, chatId);
  const found = { phone, chatChannel, chatId, name, need, email: input.email };
  if (existing) return { ...(await mergeLead(existing, found, input, now)), isNew: false, merged: true };

  const [stage, source, settings] = await Promise.all([getDefaultStage(), resolveSource(input), getSettings()]);
  const owner = settings.roundRobin ? await pickNextOwner(now) : await pickFallbackOwner();
  const code = await nextCustomerCode();
  const phones = phone ? [phone] : [];
  const finalName = name || phoneLabel(phone) || code;
  const key: Record<string, unknown> = phone
    ? byPhone({ $all: [phone] })
    : chatChannel
      ? { [`chatIds.${chatChannel}`]: chatId }
      : { code };
  // Equality fields of the filter are copied into an inserted document; $setOnInsert gives the rest.
  const onInsert: Record<string, unknown> = {
    code,
    name: finalName,
    phones,
    email: input.email?.trim().toLowerCase() || undefined,
    need,
    needs: need ? [{ text: need, at: now, channel: input.channel }] : undefined,
    stage: stage._id,
    owner: owner?._id,
    source: source?._id,
    groups: [],
    language: input.language,
    searchText: customerSearchText({ name: finalName, code, email: input.email, phones }),
    createdAt: now,
    updatedAt: now,
    __v: 0,
  };
  if (chatChannel && phone) onInsert.chatIds = { [chatChannel]: chatId };
  if (!phone && !chatChannel) delete onInsert.code;
  for (const field of Object.keys(onInsert)) if (onInsert[field] === undefined) delete onInsert[field];
  let result;
  try {
    result = await Customer.collection.findOneAndUpdate(
      { ...key, deletedAt: null },
      { $setOnInsert: onInsert },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
  } catch (e) {
    // Lost a race with the same lead arriving at the same moment. MongoDB retries a duplicate-key
    // upsert itself only when the filter is pure equality on the unique key, and this one also says
    // `deletedAt: null`: the loser gets E11000, so it finds the winner and merges into it.
    if (!isDuplicateKey(e)) throw e;
    const winner = await findExisting(phone, chatChannel, chatId);
    if (!winner) throw e;
    return { ...(await mergeLead(winner, found, input, now)), isNew: false, merged: true };
  }
  const customer = result.value as unknown as CustomerRecord;
  if (result.lastErrorObject?.updatedExisting) {
    // Lost the same race where the winner's insert was already visible to the upsert: merge too.
    return { ...(await mergeLead(customer, found, input, now)), isNew: false, merged: true };
  }
  // The dashboard rollups' write goes alongside the first message's, at no extra wait.
  await Promise.all([rollCustomer(null, customer), recordLeadMessage(customer._id, input, now)]);
  return { customer, isNew: true, merged: false, owner };
}

function phoneLabel(phone?: string): string | undefined {
  return phone ? phone.replace(/^\+84/, '0') : undefined;
}

/** The customers a lead may already be: by its phone or by its chat account, not deleted; null when it has neither. */
export function existingLeadFilter(phone?: string, channel?: ChatChannel, chatId?: string): Record<string, unknown> | null {
  const or: Record<string, unknown>[] = [];
  if (phone) or.push(byPhone(phone));
  if (channel && chatId) or.push({ [`chatIds.${channel}`]: chatId });
  return or.length ? { $or: or, deletedAt: null } : null;
}

async function findExisting(phone?: string, channel?: ChatChannel, chatId?: string): Promise<CustomerRecord | null> {
  const filter = existingLeadFilter(phone, channel, chatId);
  if (!filter) return null;
  const matches = (await Customer.find(filter).limit(2).lean()) as CustomerRecord[];
  // The phone is the stronger key: a person may share a device, not a number.
  return matches.find((m) => phone && m.phones.includes(phone)) ?? matches[0] ?? null;
}

async function resolveSource(input: LeadInput) {
  if (input.sourceCode && /^[a-z0-9_-]{1,40}$/i.test(input.sourceCode)) {
    const byCode = await Source.findOne({ code: input.sourceCode.toLowerCase(), active: true }).lean();
    if (byCode) return byCode;
  }
  return Source.findOne({ channel: input.channel, active: true }).sort({ createdAt: 1 }).lean();
}

async function mergeLead(
  existing: CustomerRecord,
  found: { phone?: string; chatChannel?: ChatChannel; chatId?: string; name: string; need?: string; email?: string },
  input: LeadInput,
  now: Date,
): Promise<Omit<CapturedLead, 'isNew' | 'merged'>> {
  const $set: Record<string, unknown> = { updatedAt: now };
  const $addToSet: Record<string, unknown> = {};
  if (found.phone && !existing.phones.includes(found.phone)) $addToSet.phones = found.phone;
  const chatIds = (existing.chatIds ?? {}) as Record<string, string | undefined>;
  // A chat account already used by another customer stays there; the phone match wins for this lead.
  if (found.chatChannel && found.chatId && !chatIds[found.chatChannel]) {
    const holder = await Customer.findOne({ [`chatIds.${found.chatChannel}`]: found.chatId, deletedAt: null }).select('_id').lean();
    if (!holder) $set[`chatIds.${found.chatChannel}`] = found.chatId;
  }
  // The latest need is what most readers show; every earlier one stays in the history.
  if (found.need) $set.need = found.need;
  const newNeeds = needsToAppend(existing, found.need, input.channel, now);
  if (found.email && !existing.email) $set.email = found.email.trim().toLowerCase();
  // A name the person typed replaces a placeholder (their code or number), never a real name.
  const placeholder = existing.name === existing.code || existing.name === phoneLabel(existing.phones[0]);
  if (found.name && placeholder) $set.name = found.name;
  const next = {
    ...existing,
    name: ($set.name as string) ?? existing.name,
    email: ($set.email as string) ?? existing.email,
    phones: $addToSet.phones ? [...existing.phones, found.phone!] : existing.phones,
  };
  $set.searchText = customerSearchText(next);
  const update: Record<string, unknown> = { $set };
  if (Object.keys($addToSet).length) update.$addToSet = $addToSet;
  if (newNeeds.length) update.$push = { needs: { $each: newNeeds } };
  let customer: CustomerRecord;
  try {
    customer = ((await Customer.findOneAndUpdate({ _id: existing._id }, update, { returnDocument: 'after', lean: true })) ?? existing) as CustomerRecord;
  } catch {
    // The new phone or chat account was taken in the meantime: keep the record as it was.
    customer = existing;
  }
  // A name other than the one on record is kept with what they said, never dropped.
  const givenName = found.name && found.name !== customer.name ? found.name : undefined;
  await recordLeadMessage(customer._id, input, now, givenName);
  const owner = customer.owner ? await getUser(customer.owner as Types.ObjectId) : null;
  return { customer, owner };
}

async function recordLeadMessage(customerId: Types.ObjectId, input: LeadInput, now: Date, givenName?: string): Promise<void> {
  // Stored once, read by the team: worded in the company's language.
  const nameLine = givenName ? t((await getSettings()).defaultLanguage, 'chat.lead.givenName', { name: givenName }) : undefined;
  const text = [nameLine, input.message?.trim(), input.need?.trim()].filter(Boolean).join('\n').slice(0, 5000);
  await Interaction.create({
    customer: customerId,
    type: 'message_in',
    channel: isChatChannel(input.channel) ? input.channel : 'other',
    text: text || undefined,
    occurredAt: now,
    // A customer writing to us is not the team reaching the customer.
    countsAsContact: false,
  });
  // No rollup: the dashboard counts what the team logged, and this message has no user.
}

/**
 * A salesperson entering a person already on record (staff `/new` with a known phone): their
 * customer gains what was said now, exactly as when the person writes in again themselves.
 */
export async function captureLeadForExisting(actor: Actor, customerId: unknown, input: LeadInput, now = new Date()): Promise<CapturedLead> {
  const existing = await getCustomerForActor(actor, customerId);
  const found = { name: cleanName(input.name), need: input.need?.trim().slice(0, 2000) || undefined, email: input.email };
  return { ...(await mergeLead(existing, found, input, now)), isNew: false, merged: true };
}
