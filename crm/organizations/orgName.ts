import { foldVietnamese } from '../customers/searchText.js';

/**
 * Words that say what legal form a company has, not which company it is: "Công ty TNHH ABC",
 * "ABC JSC" and "CTCP ABC" are all ABC. Longer phrases first, compared on folded text.
 */
const LEGAL_FORMS = [
  'cong ty trach nhiem huu han', 'trach nhiem huu han', 'cong ty co phan', 'hai thanh vien tro len', 'mot thanh vien',
  'doanh nghiep tu nhan', 'joint stock company', 'company limited', 'cong ty', 'co phan', 'tap doan', 'corporation',
  'company', 'limited', 'ctcp', 'cty', 'tnhh', 'mtv', 'dntn', 'jsc', 'ltd', 'llc', 'inc', 'corp', 'cp', 'co',
];
const LEGAL_FORM_RE = new RegExp(`(^| )(${LEGAL_FORMS.join('|')})(?= |$)`, 'g');

/**
 * An organization's name as compared and searched: without diacritics, punctuation or legal-form
 * words. Two names with the same key are taken for the same company (asking staff first).
 */
export function organizationNameKey(name: unknown): string {
  const folded = foldVietnamese(String(name ?? '').slice(0, 200))
    .replace(/[^\p{L}\p{N} ]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // Applied twice: adjacent forms ("cong ty tnhh") share the space between them.
  const bare = folded.replace(LEGAL_FORM_RE, ' ').replace(LEGAL_FORM_RE, ' ').replace(/\s+/g, ' ').trim();
  return bare || folded;
}
