import type { Types } from 'mongoose';
import { Customer } from '../../models/customer.js';
import { CAMPAIGN_CHANNELS, type CampaignChannel } from '../../models/campaign.js';
import { User } from '../../models/user.js';
import { CrmError } from '../shared/errors.js';
import { toObjectId, type Id } from '../shared/ids.js';
import { renderTemplate } from './template.js';
import { getSettings } from '../settings/settings.js';
import { campaignAddress, hasAddressFilter, type AddressFields } from './address.js';

/** Who a campaign is for. Empty lists mean "any"; the conditions are combined with AND. */
export interface CampaignSegment {
  stages?: Id[] | null;
  groups?: Id[] | null;
  sources?: Id[] | null;
  owners?: Id[] | null;
  /** Only customers contacted in the last N days. */
  contactedWithinDays?: number | null;
  /** Only customers not contacted for N days (or never contacted). */
  notContactedForDays?: number | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The per-channel fields a recipient decision needs; nothing else is read while resolving. */
export const RECIPIENT_PROJECTION = { name: 1, code: 1, owner: 1, chatIds: 1, phones: 1, email: 1, optedOut: 1, unreachable: 1 } as const;

export interface RecipientFields extends AddressFields {
  _id: Types.ObjectId;
  name: string;
  code: string;
  owner?: Types.ObjectId | null;
  optedOut?: Partial<Record<CampaignChannel, boolean | null>> | null;
  unreachable?: Partial<Record<CampaignChannel, boolean | null>> | null;
  deletedAt?: Date | null;
}

function ids(list: Id[] | null | undefined, field: string): Types.ObjectId[] {
  // Ids come from admin forms: a malformed one is refused rather than silently widening the segment.
  return (list ?? []).map((id) => {
    try {
      return toObjectId(id, 'invalid');
    } catch {
      throw new CrmError('invalid', { field });
    }
  });
}

function validDays(n: number | null | undefined, field: string): number | undefined {
  if (n === null || n === undefined) return undefined;
  if (!Number.isInteger(n) || n < 1 || n > 3650) throw new CrmError('invalid', { field });
  return n;
}

/** The campaign's channels in the admin's order of preference, each once. */
export function validChannels(channels: readonly string[] | null | undefined): CampaignChannel[] {
  const list = [...new Set(channels ?? [])];
  if (!list.length || list.some((c) => !(CAMPAIGN_CHANNELS as readonly string[]).includes(c))) throw new CrmError('invalid', { field: 'channels' });
  return list as CampaignChannel[];
}

/** The segment's own conditions (stage, group, source, owner, contact recency), without channels. */
export function segmentConditions(segment: CampaignSegment, now: Date): Record<string, unknown>[] {
  const conditions: Record<string, unknown>[] = [{ deletedAt: null }];
  const stages = ids(segment.stages, 'stages');
  const groups = ids(segment.groups, 'groups');
  const sources = ids(segment.sources, 'sources');
  const owners = ids(segment.owners, 'owners');
  if (stages.length) conditions.push({ stage: { $in: stages } });
  if (groups.length) conditions.push({ groups: { $in: groups } });
  if (sources.length) conditions.push({ source: { $in: sources } });
  if (owners.length) conditions.push({ owner: { $in: owners } });
  const within = validDays(segment.contactedWithinDays, 'contactedWithinDays');
  const notFor = validDays(segment.notContactedForDays, 'notContactedForDays');
  if (within) conditions.push({ lastContactAt: { $gte: new Date(now.getTime() - within * DAY_MS) } });
  if (notFor) {
    conditions.push({ $or: [{ lastContactAt: null }, { lastContactAt: { $lt: new Date(now.getTime() - notFor * DAY_MS) } }] });
  }
  return conditions;
}

/** A customer a campaign may write to on this channel: has an account or address there, did not opt out, is not unreachable. */
export function reachableOn(channel: CampaignChannel): Record<string, unknown> {
  return {
    ...hasAddressFilter(channel),
    [`optedOut.${channel}`]: { $ne: true },
    [`unreachable.${channel}`]: { $ne: true },
  };
}

/** The customer filter for a campaign: its segment, reachable on at least one of its channels. */
export function recipientFilter(segment: CampaignSegment, channels: readonly string[], now: Date): Record<string, unknown> {
  const list = validChannels(channels);
  return { $and: [...segmentConditions(segment, now), { $or: list.map(reachableOn) }] };
}

/**
 * The channel a customer gets the campaign on: the first of the campaign's channels (in the order
 * the admin listed them) where they can be reached. One customer gets one message, not one per channel.
 */
export function pickChannel(customer: RecipientFields, channels: readonly CampaignChannel[]): CampaignChannel | null {
  if (customer.deletedAt) return null;
  return channels.find((channel) => unreachableReason(customer, channel) === null) ?? null;
}

/** Why a customer resolved earlier can no longer get the campaign (checked again right before sending). */
export function unreachableReason(customer: RecipientFields | null, channel: CampaignChannel): string | null {
  if (!customer || customer.deletedAt) return 'deleted';
  if (customer.optedOut?.[channel]) return 'opted_out';
  if (customer.unreachable?.[channel]) return 'unreachable';
  if (!campaignAddress(customer, channel)) return 'no_chat_id';
  return null;
}

/** Why a customer of the segment gets nothing, when none of the campaign's channels can reach them. */
export type NotReachableReason = 'no_chat_id' | 'opted_out' | 'unreachable';

export interface RecipientCount {
  total: number;
  byChannel: Partial<Record<CampaignChannel, number>>;
  /** Customers the segment matches, reachable or not. */
  inSegment: number;
  /** The segment's customers no channel reaches, by reason: what the admin must know when `total` is 0. */
  notReachable: Record<NotReachableReason, number>;
}

/**
 * The reason one customer cannot get the campaign on any of its channels. An opt-out outweighs a
 * dead account, which outweighs having no account: the strongest reason is the one to act on.
 */
export function notReachableReason(customer: RecipientFields, channels: readonly CampaignChannel[]): NotReachableReason {
  const reasons = channels.map((channel) => unreachableReason(customer, channel));
  if (reasons.includes('opted_out')) return 'opted_out';
  if (reasons.includes('unreachable')) return 'unreachable';
  return 'no_chat_id';
}

/**
 * How many customers the campaign would reach, on which channel, and why the others would not
 * (what the admin panel shows while the campaign is built and before it starts).
 */
export async function countRecipients(segment: CampaignSegment, channels: readonly string[], now = new Date()): Promise<RecipientCount> {
  const list = validChannels(channels);
  const count: RecipientCount = { total: 0, byChannel: {}, inSegment: 0, notReachable: { no_chat_id: 0, opted_out: 0, unreachable: 0 } };
  // Only the channel fields are read; the channel choice is made once, here and in resolution alike.
  const cursor = Customer.find({ $and: segmentConditions(segment, now) }).select('chatIds phones email optedOut unreachable').lean().cursor();
  for await (const doc of cursor) {
    const customer = doc as unknown as RecipientFields;
    count.inSegment += 1;
    const channel = pickChannel(customer, list);
    if (!channel) {
      count.notReachable[notReachableReason(customer, list)] += 1;
      continue;
    }
    count.total += 1;
    count.byChannel[channel] = (count.byChannel[channel] ?? 0) + 1;
  }
  return count;
}

export interface SampleRecipient {
  customer: { _id: Types.ObjectId; name: string; code: string };
  channel: CampaignChannel;
  ownerName: string;
  /** The template filled in for this customer, when a template was given. */
  text?: string;
}

/** One customer of the segment, to preview the filled-in message before starting. */
export async function sampleRecipient(
  segment: CampaignSegment,
  channels: readonly string[],
  opts: { template?: string; now?: Date } = {},
): Promise<SampleRecipient | null> {
  const list = validChannels(channels);
  const customer = (await Customer.findOne(recipientFilter(segment, list, opts.now ?? new Date()))
    .select(RECIPIENT_PROJECTION)
    .sort({ _id: 1 })
    .lean()) as RecipientFields | null;
  if (!customer) return null;
  const channel = pickChannel(customer, list);
  if (!channel) return null;
  // The runner signs for customers without an owner with the company name; the preview does the same.
  const ownerName = (await ownerNameOf(customer.owner)) || ((await getSettings()).companyName ?? '');
  return {
    customer: { _id: customer._id, name: customer.name, code: customer.code },
    channel,
    ownerName,
    ...(opts.template !== undefined ? { text: renderTemplate(opts.template, customer, ownerName) } : {}),
  };
}

export async function ownerNameOf(ownerId: Types.ObjectId | null | undefined): Promise<string> {
  if (!ownerId) return '';
  const owner = await User.findById(ownerId).select('name').lean();
  return owner?.name ?? '';
}

/** The names of many owners in one query, by id (an owner not found is left out). */
export async function ownerNamesOf(ownerIds: readonly (Types.ObjectId | null | undefined)[]): Promise<Map<string, string>> {
  const ids = [...new Set(ownerIds.filter(Boolean).map(String))];
  const owners = ids.length ? await User.find({ _id: { $in: ids } }).select('name').lean() : [];
  return new Map(owners.map((o) => [String(o._id), o.name ?? '']));
}
