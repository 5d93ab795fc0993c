import type { Types } from 'mongoose';
import { Organization } from '../../models/organization.js';
import { Customer } from '../../models/customer.js';
import { SYSTEM } from '../users/actor.js';
import { cleanName } from '../customers/customers.js';
import { isCrmError } from '../shared/errors.js';
import { tryNormalizeTaxCode } from './taxCode.js';
import { companyDomainOfEmail } from './domain.js';
import { organizationNameKey } from './orgName.js';
import { createOrganization, findOrganizationByTaxCode } from './organizations.js';

/** What an import row does with its `Công ty` / `MST` cells, as the preview tells it. */
export interface ImportCompanyPlan {
  action: 'link' | 'create';
  name: string;
  taxCode?: string;
  /** For `link`: the organization's TC code. */
  code?: string;
}

/** The same company named on several rows: created once, keyed by tax code, else by name. */
function companyKey(plan: { taxCode?: string; name: string }): string {
  return plan.taxCode ? `mst:${plan.taxCode}` : `ten:${organizationNameKey(plan.name)}`;
}

/**
 * Plans every row's company at once (three queries for the whole file), matching as capture does:
 * an organization with the row's tax code, else with the company domain of the row's email, else
 * with the same name (legal-form words ignored), is linked; otherwise one is created. Rows without
 * company cells get undefined. Tax codes are checked by the caller.
 */
export async function planImportCompanies(cells: { company?: string; taxCode?: string; email?: string }[]): Promise<(ImportCompanyPlan | undefined)[]> {
  const wanted = cells.map((c) => {
    const taxCode = tryNormalizeTaxCode(c.taxCode);
    const name = cleanName(c.company).slice(0, 200);
    return name || taxCode ? { name: name || taxCode!, taxCode, domain: companyDomainOfEmail(c.email) } : undefined;
  });
  const domains = [...new Set(wanted.map((w) => w?.domain).filter((x): x is string => Boolean(x)))];
  const taxCodes = [...new Set(wanted.map((w) => w?.taxCode).filter((x): x is string => Boolean(x)))];
  const keys = [...new Set(wanted.filter((w) => w).map((w) => organizationNameKey(w!.name)))];
  const [byTax, byName, byDomain] = await Promise.all([
    taxCodes.length ? Organization.find({ taxCode: { $in: taxCodes }, deletedAt: null }).select('code name taxCode').lean() : [],
    keys.length ? Organization.find({ searchText: { $in: keys }, deletedAt: null }).select('code name searchText taxCode').sort({ createdAt: 1 }).lean() : [],
    domains.length ? Organization.find({ domain: { $in: domains }, deletedAt: null }).select('code name domain').sort({ createdAt: -1 }).lean() : [],
  ]);
  // Sorted newest first, so the oldest organization of a domain is the one kept.
  const domainMap = new Map(byDomain.map((o) => [o.domain!, o]));
  const taxMap = new Map(byTax.map((o) => [o.taxCode!, o]));
  const nameMap = new Map<string, (typeof byName)[number]>();
  for (const o of byName) if (!nameMap.has(o.searchText)) nameMap.set(o.searchText, o);
  return wanted.map((w) => {
    if (!w) return undefined;
    const named = nameMap.get(organizationNameKey(w.name));
    // A name shared with an organization of another tax code is a namesake, not this company.
    const sameName = named && !(w.taxCode && named.taxCode && named.taxCode !== w.taxCode) ? named : undefined;
    const found = (w.taxCode && taxMap.get(w.taxCode)) || (w.domain && domainMap.get(w.domain)) || sameName;
    return found ? { action: 'link', name: found.name, code: found.code, taxCode: w.taxCode } : { action: 'create', name: w.name, taxCode: w.taxCode };
  });
}

/**
 * After the customers are written: creates the planned organizations (once each, owned by the
 * importer) and links every row's customer that has no organization yet, one update per company.
 * Safe to run again on a resumed import: creation finds the earlier one, linking skips the linked.
 */
export async function applyImportCompanies(rows: { customerId: Types.ObjectId; plan: ImportCompanyPlan }[], owner: Types.ObjectId | undefined): Promise<void> {
  const groups = new Map<string, { plan: ImportCompanyPlan; ids: Types.ObjectId[] }>();
  for (const { customerId, plan } of rows) {
    const key = companyKey(plan);
    const group = groups.get(key) ?? { plan, ids: [] };
    group.ids.push(customerId);
    groups.set(key, group);
  }
  for (const { plan, ids } of groups.values()) {
    const orgId = await resolveCompany(plan, owner);
    await Customer.updateMany({ _id: { $in: ids }, organization: null }, { $set: { organization: orgId } });
  }
}

async function resolveCompany(plan: ImportCompanyPlan, owner: Types.ObjectId | undefined): Promise<Types.ObjectId> {
  if (plan.code) {
    const linked = await Organization.findOne({ code: plan.code, deletedAt: null }).select('_id').lean();
    if (linked) return linked._id;
  }
  if (!plan.taxCode) {
    // A resumed import finds the organization its first commit created.
    const named = await Organization.findOne({ searchText: organizationNameKey(plan.name), deletedAt: null }).sort({ createdAt: 1 }).select('_id').lean();
    if (named) return named._id;
  }
  try {
    return (await createOrganization(SYSTEM, { name: plan.name, taxCode: plan.taxCode, owner: owner ?? null }))._id;
  } catch (e) {
    const winner = isCrmError(e, 'organization.taxCodeTaken') && plan.taxCode ? await findOrganizationByTaxCode(plan.taxCode) : null;
    if (!winner) throw e;
    return winner._id;
  }
}
