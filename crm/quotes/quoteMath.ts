import { CrmError } from '../shared/errors.js';
import { parseVnd } from '../shared/money.js';

/**
 * Quote arithmetic in whole đồng. Quantities may have up to three decimals (2,5 m²), so a line is
 * computed from thousandths, integers all the way, and rounded once to the đồng.
 */
export interface LineAmounts {
  quantity: number;
  unitPrice: number;
}

export interface Discount {
  kind: 'percent' | 'amount';
  value: number;
}

export const MAX_QUANTITY = 1_000_000;

export function lineTotal(line: LineAmounts): number {
  const thousandths = Math.round(line.quantity * 1000);
  return Math.round((thousandths * line.unitPrice) / 1000);
}

export interface QuoteTotals {
  subtotal: number;
  discountAmount: number;
  total: number;
}

export function quoteTotals(lines: LineAmounts[], discount?: Discount): QuoteTotals {
  const subtotal = lines.reduce((sum, l) => sum + lineTotal(l), 0);
  let discountAmount = 0;
  if (discount?.kind === 'percent') discountAmount = Math.round((subtotal * Math.round(discount.value * 100)) / 10000);
  if (discount?.kind === 'amount') discountAmount = Math.min(discount.value, subtotal);
  return { subtotal, discountAmount, total: subtotal - discountAmount };
}

/** `2`, `2,5`, `1.5`, `10 bộ` → { quantity, unit }: more than zero, at most a million, three decimals. */
export function readQuantity(input: string): { quantity: number; unit?: string } {
  const m = /^(\d{1,7}(?:[.,]\d{1,3})?)\s*(\p{L}[\p{L}\p{N}²³ .\/-]{0,29})?$/u.exec(String(input ?? '').trim());
  const quantity = m ? Number(m[1].replace(',', '.')) : NaN;
  if (!m || !(quantity > 0) || quantity > MAX_QUANTITY) throw new CrmError('quote.quantityInvalid');
  return { quantity, unit: m[2]?.trim() || undefined };
}

/** `10%`, `7,5 %` → a percent; `500k`, `1.000.000` → an amount; `0` → none. */
export function readDiscount(input: string): Discount | undefined {
  const text = String(input ?? '').trim();
  const percent = /^(\d{1,3}(?:[.,]\d{1,2})?)\s*%$/.exec(text);
  if (percent) {
    const value = Number(percent[1].replace(',', '.'));
    if (value > 100) throw new CrmError('quote.discountInvalid');
    return value > 0 ? { kind: 'percent', value } : undefined;
  }
  const amount = parseVnd(text);
  if (amount === undefined) throw new CrmError('quote.discountInvalid');
  return amount > 0 ? { kind: 'amount', value: amount } : undefined;
}

/**
 * A line typed in the chat: `Lắp đặt, 2, 1.500.000` (name, quantity with an optional unit, unit
 * price). A comma followed by a space separates the parts, so `1,5tr` stays one price.
 */
export function readTypedLine(input: string): { name: string; quantity: number; unit?: string; unitPrice: number } | undefined {
  const text = String(input ?? '').replace(/\s+/g, ' ').trim();
  let parts = text.split(/\s*[;|]\s*|,\s+/);
  if (parts.length !== 3) parts = text.split(/\s*,\s*/);
  if (parts.length !== 3) return undefined;
  const [name, qty, price] = parts;
  const unitPrice = parseVnd(price);
  if (!name || unitPrice === undefined) return undefined;
  const { quantity, unit } = readQuantity(qty);
  return { name: name.slice(0, 200), quantity, unit, unitPrice };
}
