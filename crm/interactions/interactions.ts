import type { Types } from 'mongoose';
import { Customer } from '../../models/customer.js';
import { Interaction, INTERACTION_TYPES, type InteractionType, type InteractionFields } from '../../models/interaction.js';
import { Stage } from '../../models/stage.js';
import { CrmError } from '../shared/errors.js';
import { actorUserId, type Actor } from '../users/actor.js';
import { getCustomerForActor, type CustomerRecord } from '../customers/customers.js';
import { reviveDormant } from '../stages/changeStage.js';
import { touchOpportunitiesOfCustomer } from '../opportunities/opportunities.js';
import { rollInteractions } from '../rollups/record.js';

export interface InteractionInput {
  type: InteractionType;
  text?: string;
  outcome?: string;
  channel?: 'telegram' | 'zalo_oa' | 'zalo_bot' | 'web' | 'phone' | 'email' | 'in_person' | 'other';
  occurredAt?: Date;
  /** Defaults by type: the team reaching the customer counts, a note or the customer's own message does not. */
  countsAsContact?: boolean;
  /** An email or SMS chot sent itself: what the provider answered (crm/outreach/sendFromCard.ts). */
  delivery?: InteractionDelivery;
}

export type InteractionDelivery = NonNullable<InteractionFields['delivery']>;

const CONTACT_TYPES: InteractionType[] = ['call', 'meeting', 'email', 'sms', 'message_out'];

export interface LoggedInteraction {
  interactionId: Types.ObjectId;
  customer: CustomerRecord;
  /** True when the customer left the dormant stage because of this contact. */
  revived: boolean;
}

/**
 * Records an interaction. When it counts as contact it moves lastContactAt forward and brings a
 * dormant customer back to the open stage it had before.
 */
export async function logInteraction(actor: Actor, customerId: unknown, input: InteractionInput): Promise<LoggedInteraction> {
  if (!INTERACTION_TYPES.includes(input.type)) throw new CrmError('invalid', { field: 'type' });
  const occurredAt = input.occurredAt ?? new Date();
  if (Number.isNaN(occurredAt.getTime())) throw new CrmError('invalid', { field: 'occurredAt' });
  const customer = await getCustomerForActor(actor, customerId);
  const countsAsContact = input.countsAsContact ?? CONTACT_TYPES.includes(input.type);
  const interaction = await Interaction.create({
    customer: customer._id,
    user: input.type === 'message_in' ? undefined : actorUserId(actor),
    type: input.type,
    channel: input.channel,
    text: input.text?.slice(0, 5000),
    outcome: input.outcome?.slice(0, 500),
    occurredAt,
    countsAsContact,
    ...(input.delivery ? { delivery: input.delivery } : {}),
  });
  // Any activity with the customer, even a note or their own message, keeps their opportunities from
  // looking forgotten; the dashboard rollups' write goes alongside, at no extra wait.
  await Promise.all([touchOpportunitiesOfCustomer(customer._id, occurredAt), rollInteractions([interaction])]);
  if (!countsAsContact) return { interactionId: interaction._id, customer, revived: false };

  // $max: logging an old call never moves the last contact backwards.
  let updated = ((await Customer.findOneAndUpdate(
    { _id: customer._id },
    { $max: { lastContactAt: occurredAt } },
    { returnDocument: 'after', lean: true },
  )) ?? customer) as CustomerRecord;
  let revived = false;
  const stage = await Stage.findById(updated.stage).select('kind').lean();
  if (stage?.kind === 'dormant') {
    updated = await reviveDormant(updated, 'contacted', occurredAt);
    revived = true;
  }
  return { interactionId: interaction._id, customer: updated, revived };
}

export async function listInteractions(actor: Actor, customerId: unknown, limit = 10) {
  const customer = await getCustomerForActor(actor, customerId);
  return Interaction.find({ customer: customer._id }).sort({ occurredAt: -1 }).limit(Math.min(limit, 100)).lean();
}
