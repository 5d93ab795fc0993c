import { getCustomerCard } from '../../crm/customers/customerCard.js';
import { reassignCustomer, type CustomerRecord } from '../../crm/customers/customers.js';
import { listActiveStaff, type StaffUser } from '../../crm/users/users.js';
import { actorUserId, userActor, type Actor } from '../../crm/users/actor.js';
import { t } from '../../i18n/index.js';
import { cardReply } from './card.js';
import type { Notifier } from './notifier.js';
import { notifyStaffAndRemember } from './staffNotify.js';

/**
 * Gives a customer to another person and tells them, with the card and its actions, on their
 * linked chats. The chat's reassign button and the panel's customer page both come here, so the
 * new owner hears about it whichever one a manager used.
 */
export async function reassignAndTell(
  notifier: Notifier,
  actor: Actor,
  by: string,
  customerId: unknown,
  ownerId: unknown,
  timezone: string,
): Promise<{ customer: CustomerRecord; owner: StaffUser | undefined }> {
  const customer = await reassignCustomer(actor, customerId, ownerId);
  const owner = (await listActiveStaff()).find((s) => String(s._id) === String(customer.owner));
  if (owner && String(owner._id) !== String(actorUserId(actor))) {
    const card = await getCustomerCard(actor, customer._id);
    const ownerActor = userActor(owner);
    await notifyStaffAndRemember(notifier, owner, (lang) => [cardReply(card, lang, ownerActor, timezone, t(lang, 'chat.reassign.notify', { by, name: customer.name }))]);
  }
  return { customer, owner };
}
