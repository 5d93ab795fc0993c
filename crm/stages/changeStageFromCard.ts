import { cardWithCustomer, changeFromCard, getCustomerCard, type CustomerCard } from '../customers/customerCard.js';
import type { Actor } from '../users/actor.js';
import { changeStage, type StageChangeResult } from './changeStage.js';

/**
 * A stage change asked from the customer's card, which shows the card again with the move: the
 * card read first gives the move its customer, and the card shown is that read with the moved
 * customer put in, since a move changes nothing else the card lists. So the change costs the
 * card's one read and the move's writes, instead of reading the customer, writing, then reading
 * the card. A win that records a deal adds a line to the card's deals: then its lists are read again.
 */
export async function changeStageFromCard(
  actor: Actor,
  customerId: unknown,
  stageId: unknown,
  opts: { dealAmount?: number; now: Date },
): Promise<StageChangeResult & { card: CustomerCard }> {
  const { result, card } = await changeFromCard(
    actor,
    customerId,
    opts.now,
    (customer) => changeStage(actor, customer._id, stageId, { ...opts, customer }),
    async (before, moved) =>
      !moved.changed ? before : moved.dealId ? getCustomerCard(actor, moved.customer._id, { customer: moved.customer }) : cardWithCustomer(before, moved.customer),
  );
  return { ...result, card };
}
