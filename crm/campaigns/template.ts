/**
 * Campaign message templates: `{name}`, `{code}`, `{owner}`, or the Vietnamese `{ten}`, `{ma}`,
 * `{nguoi_phu_trach}`. A draft with an unknown placeholder is refused (a typo would otherwise reach
 * thousands of customers as typed); rendering still leaves one as typed rather than dropping text.
 */
import { CrmError } from '../shared/errors.js';

/** Zalo's bot platform caps a text at 2,000 characters; Telegram at 4,096. The smaller cap fits all. */
export const CAMPAIGN_TEXT_MAX = 2000;

const PLACEHOLDERS: Record<string, 'name' | 'code' | 'owner'> = {
  name: 'name',
  ten: 'name',
  code: 'code',
  ma: 'code',
  owner: 'owner',
  nguoi_phu_trach: 'owner',
};

export const TEMPLATE_PLACEHOLDERS = Object.keys(PLACEHOLDERS);

export function renderTemplate(
  template: string,
  customer: { name?: string | null; code?: string | null },
  ownerName?: string | null,
  maxLength = CAMPAIGN_TEXT_MAX,
): string {
  const values = { name: customer.name ?? '', code: customer.code ?? '', owner: ownerName ?? '' };
  const filled = String(template ?? '').replace(/\{\s*([A-Za-z_]+)\s*\}/g, (whole, key: string) => {
    const field = PLACEHOLDERS[key.toLowerCase()];
    return field ? values[field] : whole;
  });
  return capText(filled.trim(), maxLength);
}

/** Placeholders in a template that will not be filled (shown as a warning by the admin panel). */
export function unknownPlaceholders(template: string): string[] {
  const found = new Set<string>();
  for (const match of String(template ?? '').matchAll(/\{\s*([A-Za-z_]+)\s*\}/g)) {
    if (!PLACEHOLDERS[match[1]!.toLowerCase()]) found.add(match[0]);
  }
  return [...found];
}

export function capText(text: string, max: number): string {
  const chars = Array.from(text);
  // Cut on code points, not UTF-16 units, so a long name never leaves half an emoji.
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Refuses a template with a placeholder nobody fills, naming the offending ones. */
export function assertKnownPlaceholders(template: string): void {
  const unknown = unknownPlaceholders(template);
  if (unknown.length) throw new CrmError('invalid', { field: 'placeholders', placeholders: unknown.join(', ') });
}
