import type { PipelineStage, Types } from 'mongoose';
import { Interaction } from '../../models/interaction.js';
import { Customer } from '../../models/customer.js';
import { FollowUp } from '../../models/followUp.js';
import { Deal } from '../../models/deal.js';
import { opportunitiesInUse } from '../opportunities/opportunities.js';
import { actorUserId, assertCanReadCustomer, type Actor } from '../users/actor.js';
import { staffName } from '../users/users.js';
import { findStage } from '../stages/stages.js';
import { groupLabels, sourceLabel } from '../catalog/cachedLabels.js';
import { markCommentsRead, unreadMarkFind } from '../comments/unread.js';
import type { CustomerRecord } from './customers.js';
import { describeReferrer, type ReferrerView } from './referrer.js';
import { openOpportunityFinds, openOpportunityLinesOf, type OpenOpportunityLine } from '../opportunities/opportunityCard.js';
import { opportunityStageNames } from '../opportunities/opportunityStages.js';
import { Organization } from '../../models/organization.js';
import { pendingMessagesFind } from '../scheduledMessages/schedule.js';
import { readTogether, type FindSpec } from '../shared/readTogether.js';
import { CrmError } from '../shared/errors.js';
import { toObjectId } from '../shared/ids.js';
import type { FallbackChannel } from '../scheduledMessages/fallback.js';

export interface CustomerCard {
  customer: CustomerRecord;
  stage: { _id: Types.ObjectId; name: string; color: string; kind: string } | null;
  previousStage: { _id: Types.ObjectId; name: string } | null;
  owner: { _id: Types.ObjectId; name: string } | null;
  source: { _id: Types.ObjectId; name: string } | null;
  groups: { _id: Types.ObjectId; name: string }[];
  lastInteractions: { _id: Types.ObjectId; type: string; text?: string | null; outcome?: string | null; occurredAt: Date; user?: Types.ObjectId | null }[];
  activeFollowUps: { _id: Types.ObjectId; type: string; dueAt: Date; status: string; note?: string | null; recurrence?: string | null }[];
  deals: { _id: Types.ObjectId; amount: number; closedAt: Date }[];
  /** Who brought the customer in (a customer `KH… · name`, or a staff member), when known. */
  referrer: ReferrerView | null;
  /** B2B: the sales in progress with this customer (none for a B2C team). */
  openOpportunities: OpenOpportunityLine[];
  /** The team sells through opportunities (or this person is a contact at an organization): the card offers one. */
  offersOpportunities: boolean;
  /** B2B: where the customer works (a deleted organization shows as none); title and role are on `customer`. */
  organization: { id: string; code: string; name: string } | null;
  /** Messages still to be sent to this customer later (⏰ Hẹn gửi tin), soonest first. */
  scheduledMessages?: { _id: Types.ObjectId; sendAt: Date; text: string; status: string; author?: Types.ObjectId | null }[];
  /** The email/SMS channels configured where the card is shown (the chat sets it): a scheduled message may go by them. */
  fallbackChannels?: FallbackChannel[];
}

export interface CardOptions {
  /** How many recent interactions to list (5). */
  interactions?: number;
  /**
   * The customer as the caller has just read or written it (a search hit, a stage change's result):
   * it is not read again. Read access is still checked on it.
   */
  customer?: CustomerRecord;
  /** The person is opening the card: its comments count as read at this time (one write after the read, only when some were unread). */
  readAt?: Date;
}

/** The names on a card that depend on the customer alone: from the in-process caches, no database. */
async function namesOf(customer: CustomerRecord) {
  const [stage, previousStage, owner, source, groups] = await Promise.all([
    findStage(customer.stage),
    findStage(customer.previousStage),
    staffName(customer.owner),
    sourceLabel(customer.source),
    groupLabels(customer.groups),
  ]);
  return {
    stage: stage ? { _id: stage._id, name: stage.name, color: stage.color, kind: stage.kind } : null,
    previousStage: previousStage ? { _id: previousStage._id, name: previousStage.name } : null,
    owner,
    source,
    groups,
  };
}

/** How many of the last interactions a card lists, unless asked for more (the panel's timeline). */
export const CARD_INTERACTIONS = 5;

/**
 * The card's lists of one customer, each a find (sent together as one command by getCustomerCard,
 * explained one by one by bench/explain.ts). `reader`: the person opening it, whose unread
 * comments on it the card marks read.
 */
export function cardFinds(customerId: Types.ObjectId, opts: { interactions?: number; reader?: Types.ObjectId } = {}): Record<string, FindSpec> {
  const opportunities = openOpportunityFinds({ customer: customerId });
  return {
    interactions: { model: Interaction, filter: { customer: customerId }, sort: { occurredAt: -1 }, limit: opts.interactions ?? CARD_INTERACTIONS },
    followUps: { model: FollowUp, filter: { customer: customerId, status: { $in: ['scheduled', 'open'] } }, sort: { dueAt: 1 }, limit: 5 },
    deals: { model: Deal, filter: { customer: customerId }, sort: { closedAt: -1 }, limit: 5 },
    datedOpportunities: opportunities.dated,
    undatedOpportunities: opportunities.undated,
    scheduledMessages: pendingMessagesFind(customerId),
    ...(opts.reader ? { unread: unreadMarkFind(opts.reader, customerId) } : {}),
  };
}

/** Where the joined organization goes on the customer read with the card (taken off before it is returned). */
const JOINED_ORGANIZATION = '__organization';

/**
 * Everything a salesperson needs on one screen, read in ONE database command: the customer (with
 * its organization, joined by `_id`), its history, plans, deals, opportunities and scheduled
 * messages are sent as one aggregate (crm/shared/readTogether.ts); the names of its stages, owner,
 * source and groups come from the in-process caches. Only what is seldom there costs a second
 * wait: a customer referrer's name, and marking unread comments read. So opening a card is one
 * command and one wait on the database, whatever the size of the data.
 */
export async function getCustomerCard(actor: Actor, customerId: unknown, opts: CardOptions = {}): Promise<CustomerCard> {
  return (await readCard(actor, customerId, opts, { lookFor: Boolean(opts.readAt), markAt: opts.readAt })).card;
}

/**
 * The card as getCustomerCard reads it, without marking its comments read: `unread` tells whether
 * the person has any to mark (markCommentsRead), for a caller that shows the card only after a
 * change that may still be refused.
 */
export async function peekCustomerCard(actor: Actor, customerId: unknown, opts: Omit<CardOptions, 'readAt'> = {}): Promise<{ card: CustomerCard; unread: boolean }> {
  return readCard(actor, customerId, opts, { lookFor: true });
}

/** `unreadMarks`: whether to look for the person's unread comments on the customer, and to mark them read at `markAt`. */
async function readCard(actor: Actor, customerId: unknown, opts: CardOptions, unreadMarks: { lookFor: boolean; markAt?: Date }): Promise<{ card: CustomerCard; unread: boolean }> {
  const loaded = opts.customer;
  const id = loaded?._id ?? toObjectId(customerId, 'notFound.customer');
  const reader = unreadMarks.lookFor ? actorUserId(actor) : undefined;
  const finds: Record<string, FindSpec> = {
    // Reading: a follower opens the card too; every change re-checks with getCustomerForActor.
    ...(loaded ? {} : { customer: { model: Customer, filter: { _id: id, deletedAt: null }, limit: 1, then: [organizationJoin()] } }),
    ...cardFinds(id, { interactions: opts.interactions, reader }),
    ...(loaded?.organization ? { organization: { model: Organization, filter: { _id: loaded.organization, deletedAt: null }, limit: 1 } } : {}),
  };
  // The names come from memory, but a cache still empty (the process's first card, or just after
  // an edit) is read beside the card's command rather than after it.
  const [read, loadedNames, anyOpportunity] = await Promise.all([readTogether(finds), loaded ? namesOf(loaded) : undefined, opportunitiesInUse(), opportunityStageNames()]);
  const joined = read.customer?.[0];
  const organization = loaded ? read.organization?.[0] : (joined?.[JOINED_ORGANIZATION] as Record<string, any>[] | undefined)?.find((o) => !o.deletedAt);
  if (joined) delete joined[JOINED_ORGANIZATION];
  const customer = loaded ?? (joined as CustomerRecord | undefined);
  if (!customer) throw new CrmError('notFound.customer');
  assertCanReadCustomer(actor, customer);
  const unread = Boolean(read.unread?.length);
  const [names, referrer, openOpportunities] = await Promise.all([
    loadedNames ?? namesOf(customer),
    describeReferrer(customer.referrer as { kind: 'customer' | 'user'; id: Types.ObjectId } | null | undefined),
    openOpportunityLinesOf(read.datedOpportunities as never, read.undatedOpportunities as never),
    unread && unreadMarks.markAt ? markCommentsRead(actor, customer._id, unreadMarks.markAt) : undefined,
  ]);
  const card: CustomerCard = {
    openOpportunities,
    // A B2C team that never opened an opportunity sees its cards unchanged; a contact is always offered one.
    offersOpportunities: Boolean(customer.organization || openOpportunities.length || anyOpportunity),
    scheduledMessages: read.scheduledMessages as CustomerCard['scheduledMessages'],
    customer,
    ...names,
    lastInteractions: read.interactions as CustomerCard['lastInteractions'],
    activeFollowUps: read.followUps as CustomerCard['activeFollowUps'],
    deals: read.deals as CustomerCard['deals'],
    referrer,
    organization: organization ? { id: String(organization._id), code: organization.code, name: organization.name } : null,
  };
  return { card, unread };
}

/** The customer's organization, joined by `_id` (served by the `_id` index on MongoDB; a deleted one is dropped after). */
function organizationJoin(): PipelineStage {
  return { $lookup: { from: Organization.collection.collectionName, localField: 'organization', foreignField: '_id', as: JOINED_ORGANIZATION } };
}

/**
 * A change made from the card, which shows the card again after it. The card is read first, in one
 * command, and gives the change its customer; `after` builds the card shown from what was read and
 * what the change returned, so the card is not read again. The person's unread comments count as
 * read once the card is shown, not when the change is refused.
 */
export async function changeFromCard<R>(
  actor: Actor,
  customerId: unknown,
  now: Date,
  change: (customer: CustomerRecord) => Promise<R>,
  after: (before: CustomerCard, result: R) => Promise<CustomerCard>,
): Promise<{ result: R; card: CustomerCard }> {
  const { card: before, unread } = await peekCustomerCard(actor, customerId);
  const result = await change(before.customer);
  const [card] = await Promise.all([after(before, result), unread ? markCommentsRead(actor, before.customer._id, now) : undefined]);
  return { result, card };
}

/**
 * The card after a change to the customer document alone (a stage change without a deal, or a
 * logged contact): the lists read before it are still true, so only the names are looked up again,
 * from memory.
 */
export async function cardWithCustomer(card: CustomerCard, customer: CustomerRecord): Promise<CustomerCard> {
  return { ...card, customer, ...(await namesOf(customer)) };
}
