import type { Types } from 'mongoose';
import { Interaction } from '../../models/interaction.js';
import { FollowUp } from '../../models/followUp.js';
import { User } from '../../models/user.js';
import type { Actor } from '../users/actor.js';
import type { CustomerRecord } from '../customers/customers.js';
import { getOrganizationForActor, type OrganizationRecord } from './organizations.js';
import { listContacts } from './contacts.js';
import { listOpenOpportunitiesOf, type OpenOpportunityLine } from '../opportunities/opportunityCard.js';

export interface OrganizationContact {
  customer: CustomerRecord;
  lastInteractions: { _id: Types.ObjectId; customer: Types.ObjectId; type: string; text?: string | null; outcome?: string | null; occurredAt: Date }[];
  activeFollowUps: { _id: Types.ObjectId; customer: Types.ObjectId; type: string; dueAt: Date; note?: string | null }[];
}

export interface OrganizationCard {
  organization: OrganizationRecord;
  owner: { _id: Types.ObjectId; name: string } | null;
  contacts: OrganizationContact[];
  /** The sales in progress with it, soonest close first. */
  openOpportunities: OpenOpportunityLine[];
}

/**
 * An organization with its contacts, each with their latest interactions and planned follow-ups:
 * what the chat card and the panel page show. A fixed number of round trips, however many
 * contacts. Later parts of the card (opportunities) are added as fields here.
 */
export async function getOrganizationCard(actor: Actor, organizationId: unknown, opts: { interactions?: number } = {}): Promise<OrganizationCard> {
  const organization = await getOrganizationForActor(actor, organizationId);
  const contacts = await listContacts(organization._id);
  const ids = contacts.map((c) => c._id);
  const perContact = opts.interactions ?? 3;
  const [owner, interactions, followUps, openOpportunities] = await Promise.all([
    organization.owner ? User.findById(organization.owner).select('name').lean() : null,
    ids.length ? Interaction.find({ customer: { $in: ids } }).sort({ occurredAt: -1 }).limit(perContact * ids.length * 2).lean() : [],
    ids.length ? FollowUp.find({ customer: { $in: ids }, status: { $in: ['scheduled', 'open'] } }).sort({ dueAt: 1 }).limit(100).lean() : [],
    listOpenOpportunitiesOf({ organization: organization._id }),
  ]);
  return {
    organization,
    owner: owner as OrganizationCard['owner'],
    openOpportunities,
    contacts: contacts.map((customer) => ({
      customer,
      lastInteractions: (interactions as OrganizationContact['lastInteractions']).filter((i) => String(i.customer) === String(customer._id)).slice(0, perContact),
      activeFollowUps: (followUps as OrganizationContact['activeFollowUps']).filter((f) => String(f.customer) === String(customer._id)).slice(0, 3),
    })),
  };
}
