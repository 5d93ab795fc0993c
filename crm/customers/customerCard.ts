import type { Types } from 'mongoose';
import { Interaction } from '../../models/interaction.js';
import { FollowUp } from '../../models/followUp.js';
import { Stage } from '../../models/stage.js';
import { Source } from '../../models/source.js';
import { Group } from '../../models/group.js';
import { User } from '../../models/user.js';
import { Deal } from '../../models/deal.js';
import { Opportunity } from '../../models/opportunity.js';
import type { Actor } from '../users/actor.js';
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

/**
 * Everything a salesperson needs on one screen. The related look-ups run in parallel, so opening
 * a card is a fixed number of round trips whatever the size of the data.
 */
export async function getCustomerCard(actor: Actor, customerId: unknown, opts: { interactions?: number } = {}): Promise<CustomerCard> {
  // Reading: a follower opens the card too; every change re-checks with getCustomerForActor.
  const customer = await getCustomerForReader(actor, customerId);
  const [stage, previousStage, owner, source, groups, lastInteractions, activeFollowUps, deals, referrer, organization] = await Promise.all([
    Stage.findById(customer.stage).select('name color kind').lean(),
    customer.previousStage ? Stage.findById(customer.previousStage).select('name').lean() : null,
    customer.owner ? User.findById(customer.owner).select('name').lean() : null,
    customer.source ? Source.findById(customer.source).select('name').lean() : null,
    customer.groups?.length ? Group.find({ _id: { $in: customer.groups } }).select('name').lean() : [],
    Interaction.find({ customer: customer._id }).sort({ occurredAt: -1 }).limit(opts.interactions ?? 5).lean(),
    FollowUp.find({ customer: customer._id, status: { $in: ['scheduled', 'open'] } }).sort({ dueAt: 1 }).limit(5).lean(),
    Deal.find({ customer: customer._id }).sort({ closedAt: -1 }).limit(5).lean(),
    describeReferrer(customer.referrer as { kind: 'customer' | 'user'; id: Types.ObjectId } | null | undefined),
    customer.organization ? Organization.findOne({ _id: customer.organization, deletedAt: null }).select('code name').lean() : null,
  ]);
  const [openOpportunities, scheduledMessages] = await Promise.all([listOpenOpportunitiesOf({ customer: customer._id }), listPendingMessages(customer._id)]);
  // A B2C team that never opened an opportunity sees its cards unchanged.
  const offersOpportunities = Boolean(customer.organization || openOpportunities.length || (await Opportunity.exists({ deletedAt: null })));
  return {
    openOpportunities,
    offersOpportunities,
    scheduledMessages,
    customer,
    stage: stage as CustomerCard['stage'],
    previousStage: previousStage as CustomerCard['previousStage'],
    owner: owner as CustomerCard['owner'],
    source: source as CustomerCard['source'],
    groups: groups as CustomerCard['groups'],
    lastInteractions: lastInteractions as CustomerCard['lastInteractions'],
    activeFollowUps: activeFollowUps as CustomerCard['activeFollowUps'],
    deals: deals as CustomerCard['deals'],
    referrer,
    organization: organization ? { id: String(organization._id), code: organization.code, name: organization.name } : null,
  };
}
