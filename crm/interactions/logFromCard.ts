import { CARD_INTERACTIONS, cardWithCustomer, changeFromCard, type CustomerCard } from '../customers/customerCard.js';
import type { Actor } from '../users/actor.js';
import { logInteraction, type InteractionInput, type LoggedInteraction } from './interactions.js';

/**
 * An interaction logged from the customer's card, which shows the card again after it: the card
 * read first gives the log its customer, and the card shown is that read with the customer as the
 * log left it (its last contact, a revival's stage) and the new interaction in its place among the
 * last ones. Logging changes nothing else the card lists, so the card is not read again.
 */
export async function logInteractionFromCard(actor: Actor, customerId: unknown, input: InteractionInput & { occurredAt: Date }): Promise<LoggedInteraction & { card: CustomerCard }> {
  const { result, card } = await changeFromCard(
    actor,
    customerId,
    input.occurredAt,
    (customer) => logInteraction(actor, customer._id, input, { customer }),
    async (before, logged) => ({ ...(await cardWithCustomer(before, logged.customer)), lastInteractions: withNewest(before.lastInteractions, logged.interaction) }),
  );
  return { ...result, card };
}

/**
 * The last interactions (latest first, as the card reads them) with one more: after those at least
 * as recent, as the read puts a later-written one among equal times; past the card's number, the
 * oldest falls off.
 */
function withNewest(last: CustomerCard['lastInteractions'], added: LoggedInteraction['interaction']): CustomerCard['lastInteractions'] {
  const at = last.findIndex((i) => i.occurredAt.getTime() < added.occurredAt.getTime());
  const merged = [...last];
  merged.splice(at < 0 ? last.length : at, 0, added as CustomerCard['lastInteractions'][number]);
  return merged.slice(0, CARD_INTERACTIONS);
}
