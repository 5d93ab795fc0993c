import type { Types } from 'mongoose';
import { Customer, CONTACT_ROLES, type ContactRole } from '../../models/customer.js';
import { CrmError } from '../shared/errors.js';
import { getCustomerForActor, type CustomerRecord } from '../customers/customers.js';
import type { Actor } from '../users/actor.js';
import { getOrganizationForActor } from './organizations.js';

export interface ContactDetails {
  jobTitle?: string;
  contactRole?: string;
}

function cleanContactDetails(details: ContactDetails): Record<string, unknown> {
  const $set: Record<string, unknown> = {};
  if (details.jobTitle !== undefined) $set.jobTitle = String(details.jobTitle ?? '').replace(/\s+/g, ' ').trim().slice(0, 120) || undefined;
  if (details.contactRole !== undefined && details.contactRole !== '') {
    if (!CONTACT_ROLES.includes(details.contactRole as ContactRole)) throw new CrmError('invalid', { field: 'contactRole' });
    $set.contactRole = details.contactRole;
  }
  return $set;
}

/**
 * Makes a customer a contact of an organization (or moves them to it), with a job title and a
 * buying role. The actor must be able to act on the customer and to see the organization.
 */
export async function linkContact(actor: Actor, organizationId: unknown, customerId: unknown, details: ContactDetails = {}): Promise<CustomerRecord> {
  const org = await getOrganizationForActor(actor, organizationId);
  const customer = await getCustomerForActor(actor, customerId);
  const $set = { organization: org._id, ...cleanContactDetails(details) };
  return (await Customer.findOneAndUpdate({ _id: customer._id }, { $set }, { returnDocument: 'after', lean: true })) as CustomerRecord;
}

/** The person no longer works there: the link, title and role go; the customer stays. */
export async function unlinkContact(actor: Actor, customerId: unknown): Promise<CustomerRecord> {
  const customer = await getCustomerForActor(actor, customerId);
  return (await Customer.findOneAndUpdate(
    { _id: customer._id },
    { $unset: { organization: 1, jobTitle: 1, contactRole: 1 } },
    { returnDocument: 'after', lean: true },
  )) as CustomerRecord;
}

/** Sets the organization of a customer that has none yet (capture, import): never moves a contact silently. */
export async function linkIfUnlinked(customerId: Types.ObjectId, organizationId: Types.ObjectId, details: ContactDetails = {}): Promise<boolean> {
  const result = await Customer.updateOne({ _id: customerId, organization: null }, { $set: { organization: organizationId, ...cleanContactDetails(details) } });
  return result.modifiedCount === 1;
}

/** An organization's contacts (not deleted), main ones first. */
export async function listContacts(organizationId: Types.ObjectId, limit = 50): Promise<CustomerRecord[]> {
  const rows = (await Customer.find({ organization: organizationId, deletedAt: null }).sort({ createdAt: 1 }).limit(limit).lean()) as CustomerRecord[];
  const rank = (r?: string | null) => (r ? CONTACT_ROLES.indexOf(r as ContactRole) : CONTACT_ROLES.length);
  return rows.sort((a, b) => rank(a.contactRole) - rank(b.contactRole));
}
