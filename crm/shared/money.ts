/**
 * Reads an amount of VND as salespeople type it: `50000000`, `50.000.000`, `50tr`, `50 triệu`,
 * `1,5 tỷ`, `1.5ty`, `500k`, `2m`. Returns undefined when it is not an amount.
 */
export function parseVnd(input: string): number | undefined {
  const text = String(input ?? '')
    .trim()
    .toLowerCase()
    .normalize('NFC')
    .replace(/\s*(vnd|vnđ|đồng|dong|đ)$/u, '')
    .trim();
  if (!text || text.length > 30) return undefined;
  const units: [RegExp, number][] = [
    [/^(tỷ|ty|tỉ|ti|b|bn)$/u, 1e9],
    [/^(triệu|trieu|tr|m)$/u, 1e6],
    [/^(nghìn|nghin|ngàn|ngan|k)$/u, 1e3],
  ];
  const m = /^([\d.,]+)\s*([a-zàáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]*)$/u.exec(text);
  if (!m) return undefined;
  const [, numberPart, unitPart] = m;
  let multiplier = 1;
  if (unitPart) {
    const unit = units.find(([re]) => re.test(unitPart));
    if (!unit) return undefined;
    multiplier = unit[1];
  }
  let value: number;
  if (multiplier === 1) {
    // Without a unit, dots and commas are thousands separators: 50.000.000 or 50,000,000.
    if (!/^\d{1,3}([.,]\d{3})*$|^\d+$/.test(numberPart)) return undefined;
    value = Number(numberPart.replace(/[.,]/g, ''));
  } else {
    // With a unit, one separator is the decimal mark: 1,5 tỷ or 1.5 tỷ.
    if (!/^\d+([.,]\d+)?$/.test(numberPart)) return undefined;
    value = Number(numberPart.replace(',', '.')) * multiplier;
  }
  if (!Number.isFinite(value) || value < 0 || value > 1e15) return undefined;
  return Math.round(value);
}

export function formatVnd(amount: number, locale: 'vi' | 'en' = 'vi'): string {
  return `${new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-US').format(amount)} ₫`;
}
