import { markCommentsRead } from '../comments/unread.js';
import { cardWithCustomer, getCustomerCard, peekCustomerCard, type CustomerCard } from '../customers/customerCard.js';
import type { Actor } from '../users/actor.js';
import { changeStage, type StageChangeResult } from './changeStage.js';

/**
 * A stage change asked from the customer's card, which shows the card again with the move. The
 * card is read first, in one command, and gives the move its customer; the move's writes follow;
 * the card shown is what was read with the moved customer put in, since a move changes nothing
 * else the card lists. So the change costs the card's one read and the move's writes, instead of
 * reading the customer, writing, then reading the card. A win that records a deal adds a line to
 * the card's deals: then its lists are read again.
 *
 * The person's unread comments count as read once the card is shown, not when the move is refused.
 */
export async function changeStageFromCard(
  actor: Actor,
  customerId: unknown,
  stageId: unknown,
  opts: { dealAmount?: number; now: Date },
): Promise<StageChangeResult & { card: CustomerCard }> {
  const { card: before, unread } = await peekCustomerCard(actor, customerId);
  const result = await changeStage(actor, before.customer._id, stageId, { ...opts, customer: before.customer });
  const [card] = await Promise.all([
    !result.changed ? before : result.dealId ? getCustomerCard(actor, result.customer._id, { customer: result.customer }) : cardWithCustomer(before, result.customer),
    unread ? markCommentsRead(actor, before.customer._id, opts.now) : undefined,
  ]);
  return { ...result, card };
}
