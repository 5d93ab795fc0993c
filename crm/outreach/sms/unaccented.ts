/** Punctuation phones and word processors put in Vietnamese text that GSM-7 lacks, and its plain form. */
const PLAIN_PUNCTUATION: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201A': "'", '\u201C': '"', '\u201D': '"', '\u201E': '"',
  '\u2013': '-', '\u2014': '-', '\u2026': '...', '\u00A0': ' ', '\u2022': '-', '\u00B7': '-',
};

/**
 * Vietnamese without diacritics, as brandname SMS usually requires: every tone and vowel mark is
 * dropped (ấ → a, ữ → u, Ỷ → Y), đ/Đ become d/D, case is kept, and curly quotes, dashes and "…"
 * become their plain forms, so the result fits the cheaper 160-character GSM alphabet.
 */
export function toUnaccented(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[\u2018\u2019\u201A\u201C\u201D\u201E\u2013\u2014\u2026\u00A0\u2022\u00B7]/g, (c) => PLAIN_PUNCTUATION[c]!)
    .normalize('NFC');
}
