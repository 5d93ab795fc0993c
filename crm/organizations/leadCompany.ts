import type { Types } from 'mongoose';
import { SYSTEM } from '../users/actor.js';
import { createOrganization, findOrganizationByTaxCode, type OrganizationRecord } from './organizations.js';
import { matchOrganization, type OrganizationMatch } from './matchOrganization.js';
import { linkIfUnlinked } from './contacts.js';
import { normalizeTaxCode } from './taxCode.js';
import { cleanName } from '../customers/customers.js';
import { isCrmError } from '../shared/errors.js';

/** The company a lead said they work at. */
export interface LeadCompany {
  name?: string;
  taxCode?: string;
  /**
   * What to do when only the name matches an organization on record: `link` to it (a prospect
   * writing in), or `new` to create another one (a salesperson said it is a different company).
   */
  nameMatch?: 'link' | 'new';
}

export interface CompanyLink {
  organization: OrganizationRecord;
  /** How it was found, or `new` when it was created for this person. */
  by: OrganizationMatch['by'] | 'new';
  /** False when the person already was a contact elsewhere: they are not moved silently. */
  linked: boolean;
}

/** Refuses a malformed tax code before anything is stored for the lead. */
export function checkLeadCompany(company: LeadCompany | undefined): void {
  if (company?.taxCode) normalizeTaxCode(company.taxCode);
}

/**
 * Links a captured person to their organization: an existing one when the tax code, their
 * company email domain or the name matches (in that order), otherwise a new one owned by the
 * person's owner. Nothing happens when neither a name nor a tax code was given.
 */
export async function linkLeadToCompany(
  customer: { _id: Types.ObjectId; email?: string | null; owner?: Types.ObjectId | null },
  company: LeadCompany | undefined,
): Promise<CompanyLink | null> {
  const name = cleanName(company?.name).slice(0, 200);
  const taxCode = company?.taxCode ? normalizeTaxCode(company.taxCode) : undefined;
  if (!name && !taxCode) return null;
  let match = await matchOrganization({ name, taxCode, email: customer.email ?? undefined });
  if (match?.by === 'name' && company?.nameMatch === 'new') match = null;
  let organization = match?.organization;
  if (!organization) {
    try {
      organization = await createOrganization(SYSTEM, { name: name || taxCode, taxCode, owner: customer.owner ?? null });
    } catch (e) {
      // The same company entered by someone else a moment ago: join it.
      const winner = isCrmError(e, 'organization.taxCodeTaken') && taxCode ? await findOrganizationByTaxCode(taxCode) : null;
      if (!winner) throw e;
      organization = winner;
    }
  }
  const linked = await linkIfUnlinked(customer._id, organization._id);
  return { organization, by: match?.by ?? 'new', linked };
}
