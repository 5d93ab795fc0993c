import { normalizeTaxCode } from '../../crm/organizations/taxCode.js';
import type { LeadCompany } from '../../crm/organizations/leadCompany.js';

/** A run of digits with the separators people put in tax codes: `0101 234 567`, `0101234567-001`. */
const DIGIT_RUN = /\d[\d\s.\-]{6,20}\d/;
/** Words that introduce a tax code, dropped from the name: "MST", "mã số thuế", "tax code". */
const TAX_LABEL = /\b(mst|m[aã] s[oố] thu[eế]|tax ?code|tax id)\s*[:.]?/giu;

/**
 * A company as typed in answer to "Công ty của bạn?": a name, a tax code, or both
 * ("Công ty ABC, MST 0101234567"). A digit run that is not a valid tax code is refused
 * (CrmError organization.taxCodeInvalid), so the person can type it again.
 */
export function readCompanyAnswer(text: string): LeadCompany {
  const clipped = text.slice(0, 300);
  const run = DIGIT_RUN.exec(clipped);
  const taxCode = run ? normalizeTaxCode(run[0]) : undefined;
  const rest = run ? `${clipped.slice(0, run.index)} ${clipped.slice(run.index + run[0].length)}` : clipped;
  const name = rest
    .replace(TAX_LABEL, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[,.;:\-\s]+|[,.;:\-\s]+$/g, '')
    .slice(0, 200);
  return { ...(name ? { name } : {}), ...(taxCode ? { taxCode } : {}) };
}
