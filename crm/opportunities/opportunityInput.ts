import { CrmError } from '../shared/errors.js';
import { parseVnd } from '../shared/money.js';

/** A value typed or sent as a number ("35tr", "1,2 tỷ", 35000000), in đồng; refused when it is not one. */
export function readOpportunityValue(input: unknown): number {
  const value = typeof input === 'number' ? input : typeof input === 'string' ? parseVnd(input) : undefined;
  if (value === undefined || !Number.isFinite(value) || value < 0 || value > 1e15) throw new CrmError('opportunity.valueInvalid');
  return Math.round(value);
}

/** A probability "60", "60%" or 60, whole percent from 0 to 100. */
export function readProbability(input: unknown): number {
  const text = typeof input === 'number' ? String(input) : typeof input === 'string' ? input.trim().replace(/\s*%$/, '') : '';
  if (!/^\d{1,3}([.,]\d+)?$/.test(text)) throw new CrmError('opportunity.probabilityInvalid');
  const value = Math.round(Number(text.replace(',', '.')));
  if (!(value >= 0 && value <= 100)) throw new CrmError('opportunity.probabilityInvalid');
  return value;
}

/** A typed date must be a real one: an Invalid Date would be stored as null and the close date lost silently. */
export function readCloseDate(input: unknown): Date {
  const date = input instanceof Date ? input : typeof input === 'string' || typeof input === 'number' ? new Date(input) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new CrmError('invalid', { field: 'expectedCloseAt' });
  return date;
}

export function cleanOpportunityName(input: unknown): string {
  const name = String(input ?? '')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
  if (!name) throw new CrmError('opportunity.nameRequired');
  return name;
}
