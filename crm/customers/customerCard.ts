import type { Types } from 'mongoose';
import { Interaction } from '../../models/interaction.js';
import { FollowUp } from '../../models/followUp.js';
import { Deal } from '../../models/deal.js';
import { opportunitiesInUse } from '../opportunities/opportunities.js';
import { assertCanReadCustomer, type Actor } from '../users/actor.js';
import { staffName } from '../users/users.js';
import { findStage } from '../stages/stages.js';
import { groupLabels, sourceLabel } from '../catalog/cachedLabels.js';
import { markCommentsRead } from '../comments/unread.js';
import { getCustomerForReader, type CustomerRecord } from './customers.js';
import { describeReferrer, type ReferrerView } from './referrer.js';
import { listOpenOpportunitiesOf, type OpenOpportunityLine } from '../opportunities/opportunityCard.js';
import { Organization } from '../../models/organization.js';
import { listPendingMessages } from '../scheduledMessages/schedule.js';
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
  /** The person is opening the card: its comments count as read at this time (written with the card's reads). */
  readAt?: Date;
}

/**
 * Everything a salesperson needs on one screen, in one wait after the customer: its history,
 * plans, deals, organization, opportunities and scheduled messages are asked together, and the
 * names of its stages, owner, source and groups come from the in-process caches. So opening a card
 * costs two waits on the database (one with `opts.customer`), whatever the size of the data.
 */
export async function getCustomerCard(actor: Actor, customerId: unknown, opts: CardOptions = {}): Promise<CustomerCard> {
  // Reading: a follower opens the card too; every change re-checks with getCustomerForActor.
  const customer = opts.customer ?? (await getCustomerForReader(actor, customerId));
  if (opts.customer) assertCanReadCustomer(actor, customer);
  const [stage, previousStage, owner, source, groups, lastInteractions, activeFollowUps, deals, referrer, organization, openOpportunities, scheduledMessages, anyOpportunity] =
    await Promise.all([
      findStage(customer.stage),
      findStage(customer.previousStage),
      staffName(customer.owner),
      sourceLabel(customer.source),
      groupLabels(customer.groups),
      Interaction.find({ customer: customer._id }).sort({ occurredAt: -1 }).limit(opts.interactions ?? 5).lean(),
      FollowUp.find({ customer: customer._id, status: { $in: ['scheduled', 'open'] } }).sort({ dueAt: 1 }).limit(5).lean(),
      Deal.find({ customer: customer._id }).sort({ closedAt: -1 }).limit(5).lean(),
      describeReferrer(customer.referrer as { kind: 'customer' | 'user'; id: Types.ObjectId } | null | undefined),
      customer.organization ? Organization.findOne({ _id: customer.organization, deletedAt: null }).select('code name').lean() : null,
      listOpenOpportunitiesOf({ customer: customer._id }),
      listPendingMessages(customer._id),
      // A B2C team that never opened an opportunity sees its cards unchanged; a contact is always offered one.
      customer.organization ? true : opportunitiesInUse(),
      opts.readAt ? markCommentsRead(actor, customer._id, opts.readAt) : undefined,
    ]);
  return {
    openOpportunities,
    offersOpportunities: Boolean(customer.organization || openOpportunities.length || anyOpportunity),
    scheduledMessages,
    customer,
    stage: stage ? { _id: stage._id, name: stage.name, color: stage.color, kind: stage.kind } : null,
    previousStage: previousStage ? { _id: previousStage._id, name: previousStage.name } : null,
    owner,
    source,
    groups,
    lastInteractions: lastInteractions as CustomerCard['lastInteractions'],
    activeFollowUps: activeFollowUps as CustomerCard['activeFollowUps'],
    deals: deals as CustomerCard['deals'],
    referrer,
    organization: organization ? { id: String(organization._id), code: organization.code, name: organization.name } : null,
  };
}
