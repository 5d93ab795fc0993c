import { Organization } from '../../models/organization.js';
import { tryNormalizeTaxCode } from './taxCode.js';
import { companyDomainOfEmail } from './domain.js';
import { organizationNameKey } from './orgName.js';
import type { OrganizationRecord } from './organizations.js';

export interface CompanyHint {
  name?: string;
  taxCode?: string;
  /** The person's email: its domain points at their company unless it is a free-mail one. */
  email?: string;
}

export interface OrganizationMatch {
  organization: OrganizationRecord;
  /** How sure: a tax code or a company mail domain is the company; a name only probably is. */
  by: 'taxCode' | 'domain' | 'name';
}

/**
 * The organization a person's company details point at, trying the surest key first: tax code,
 * then company email domain, then the name without legal-form words. Null when none matches.
 */
export async function matchOrganization(hint: CompanyHint): Promise<OrganizationMatch | null> {
  const live = { deletedAt: null };
  const taxCode = tryNormalizeTaxCode(hint.taxCode);
  if (taxCode) {
    const org = await Organization.findOne({ taxCode, ...live }).lean();
    if (org) return { organization: org as OrganizationRecord, by: 'taxCode' };
  }
  const domain = companyDomainOfEmail(hint.email);
  if (domain) {
    const org = await Organization.findOne({ domain, ...live }).sort({ createdAt: 1 }).lean();
    if (org) return { organization: org as OrganizationRecord, by: 'domain' };
  }
  const key = hint.name ? organizationNameKey(hint.name) : '';
  if (key) {
    const org = await Organization.findOne({ searchText: key, ...live }).sort({ createdAt: 1 }).lean();
    // A different tax code typed with the same name is another company (a namesake elsewhere).
    if (org && !(taxCode && org.taxCode && org.taxCode !== taxCode)) return { organization: org as OrganizationRecord, by: 'name' };
  }
  return null;
}
