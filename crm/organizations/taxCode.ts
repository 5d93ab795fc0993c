import { CrmError } from '../shared/errors.js';

/**
 * A tax code (mã số thuế) as people type it — `0101 234 567`, `0101234567-001`, `MST: 0312…` —
 * reduced to its digits. Valid only as 10 digits (a company) or 13 (a branch: the company's 10 +
 * 3): anything else is refused with the input echoed, never stored half-right.
 */
export function normalizeTaxCode(input: unknown): string | undefined {
  const raw = String(input ?? '').trim().slice(0, 60);
  if (!raw) return undefined;
  const digits = raw.replace(/\D/g, '');
  if (digits.length !== 10 && digits.length !== 13) throw new CrmError('organization.taxCodeInvalid', { input: raw.slice(0, 30) });
  return digits;
}

/** The same, for readers that must not throw (matching, search): undefined when not a tax code. */
export function tryNormalizeTaxCode(input: unknown): string | undefined {
  try {
    return normalizeTaxCode(input);
  } catch {
    return undefined;
  }
}
