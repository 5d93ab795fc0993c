/** Zero-width and direction-override characters: they make two names look alike, so chot drops them. */
export const INVISIBLE_CHARS = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/**
 * Folds Vietnamese text for searching: diacritics removed, `đ` to `d`, lower case, spaces squeezed.
 * `Nguyễn Văn Đức` → `nguyen van duc`. Stored on the customer, because MongoDB's case-insensitive
 * regex does not fold diacritics.
 */
export function foldVietnamese(text: string): string {
  return String(text ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(INVISIBLE_CHARS, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The `searchText` of a customer: everything a salesperson may type to find them. */
export function customerSearchText(c: { name?: string | null; code?: string | null; email?: string | null; phones?: string[] }): string {
  const phoneForms = (c.phones ?? []).flatMap((p) => [p.replace(/^\+/, ''), p.replace(/^\+84/, '0')]);
  return [foldVietnamese(c.name ?? ''), (c.code ?? '').toLowerCase(), (c.email ?? '').toLowerCase(), ...phoneForms]
    .filter(Boolean)
    .join(' ');
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
