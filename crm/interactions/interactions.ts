import type { Types } from 'mongoose';
import { Customer } from '../../models/customer.js';
import { Interaction, INTERACTION_TYPES, type InteractionType, type InteractionFields } from '../../models/interaction.js';
import { StageChange } from '../../models/stageChange.js';
import { CrmError } from '../shared/errors.js';
import { actorUserId, type Actor } from '../users/actor.js';
import { getCustomerForActor, type CustomerRecord } from '../customers/customers.js';
import { revivalChange, revivalStage, revivalUpdate } from '../stages/changeStage.js';
import { findStage } from '../stages/stages.js';
import { touchOpportunitiesOfCustomer } from '../opportunities/opportunities.js';
import { rollCustomer, rollInteractions } from '../rollups/record.js';

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
  /** The interaction as written. */
  interaction: InteractionFields & { _id: Types.ObjectId };
  customer: CustomerRecord;
  /** True when the customer left the dormant stage because of this contact. */
  revived: boolean;
}

/**
 * Records an interaction. When it counts as contact it moves lastContactAt forward and brings a
 * dormant customer back to the open stage it had before.
 */
export async function logInteraction(actor: Actor, customerId: unknown, input: InteractionInput, opts: { customer?: CustomerRecord } = {}): Promise<LoggedInteraction> {
  if (!INTERACTION_TYPES.includes(input.type)) throw new CrmError('invalid', { field: 'type' });
  const occurredAt = input.occurredAt ?? new Date();
  if (Number.isNaN(occurredAt.getTime())) throw new CrmError('invalid', { field: 'occurredAt' });
  const customer = await getCustomerForActor(actor, customerId, opts.customer);
  const countsAsContact = input.countsAsContact ?? CONTACT_TYPES.includes(input.type);
  // Stages come from memory: whether this contact revives a dormant customer is known before writing.
  const revival = countsAsContact && (await findStage(customer.stage))?.kind === 'dormant' ? await revivalStage(customer) : null;
  // The interaction, the opportunities' activity, the last contact (and a revival with its history
  // line) are written together, in one wait: none needs another's answer.
  const interaction = new Interaction({
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
  const revived = revival ? ({ ...customer, ...revivalUpdate(revival).$set, previousStage: undefined, dormantSince: undefined } as CustomerRecord) : null;
  const [, , contacted, revivalLine] = await Promise.all([
    interaction.save(),
    // Any activity with the customer, even a note or their own message, keeps their opportunities from looking forgotten.
    touchOpportunitiesOfCustomer(customer._id, occurredAt),
    // $max: logging an old call never moves the last contact backwards. A revival only applies while
    // the customer is still in the stage it was read in.
    countsAsContact
      ? Customer.findOneAndUpdate(
          revival ? { _id: customer._id, stage: customer.stage } : { _id: customer._id },
          { $max: { lastContactAt: occurredAt }, ...(revival ? revivalUpdate(revival) : {}) },
          { returnDocument: 'after', lean: true },
        )
      : null,
    revival ? StageChange.create(revivalChange(customer, revival, 'contacted', occurredAt)) : null,
    // The dashboard rollups count the interaction (and the revival's move) in the same wait.
    rollInteractions([interaction]),
    revived ? rollCustomer(customer, revived) : null,
  ]);
  const written = { interactionId: interaction._id, interaction: interaction.toObject() as LoggedInteraction['interaction'] };
  if (!countsAsContact) return { ...written, customer, revived: false };
  let updated = contacted as CustomerRecord | null;
  if (revival && !updated) {
    // Someone moved the customer meanwhile: no revival after all, only the last contact.
    await Promise.all([StageChange.deleteOne({ _id: revivalLine!._id }), rollCustomer(revived, customer)]);
    updated = (await Customer.findOneAndUpdate({ _id: customer._id }, { $max: { lastContactAt: occurredAt } }, { returnDocument: 'after', lean: true })) as CustomerRecord | null;
    return { ...written, customer: updated ?? customer, revived: false };
  }
  return { ...written, customer: updated ?? customer, revived: Boolean(revival) };
}

export async function listInteractions(actor: Actor, customerId: unknown, limit = 10) {
  const customer = await getCustomerForActor(actor, customerId);
  return Interaction.find({ customer: customer._id }).sort({ occurredAt: -1 }).limit(Math.min(limit, 100)).lean();
}
