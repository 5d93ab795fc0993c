import { DateTime } from 'luxon';
import { foldVietnamese } from '../../crm/customers/searchText.js';
import { parseWhen, type WhenContext } from './parseWhen.js';

/**
 * Reads an expected close date, which is a day rather than a moment: `cuối tháng`, `cuối tháng
 * sau`, `cuối quý`, `cuối năm`, `end of month`, plus every day `parseWhen` knows (`15/1`, `thứ 6
 * tuần sau`, `mai`). A time typed along is dropped. Returns the day's start in the company's zone,
 * or null when not understood (the person is asked again).
 */
export function parseCloseDay(input: string, ctx: WhenContext): Date | null {
  if (typeof input !== 'string' || !input.trim() || input.length > 60) return null;
  const now = DateTime.fromJSDate(ctx.now, { zone: ctx.timezone });
  if (!now.isValid) return null;
  const s = foldVietnamese(input.toLowerCase().normalize('NFC')).replace(/[.,!?]/g, ' ').replace(/\s+/g, ' ').trim();
  const periodEnd = /^(?:cuoi|end of(?: the)?) (thang|month|quy|quarter|nam|year)(?: (nay|this|sau|next|toi))?$/.exec(s) ?? /^(?:end of )?(?:this|next) (month|quarter|year)$/.exec(s);
  if (periodEnd) {
    const unit = /thang|month/.test(periodEnd[1]) ? 'month' : /quy|quarter/.test(periodEnd[1]) ? 'quarter' : 'year';
    const next = /sau|next|toi/.test(periodEnd[2] ?? '') || /^(?:end of )?next/.test(s);
    return now.plus(next ? { [`${unit}s`]: 1 } : {}).endOf(unit).startOf('day').toJSDate();
  }
  const when = parseWhen(input, ctx);
  return when ? DateTime.fromJSDate(when, { zone: ctx.timezone }).startOf('day').toJSDate() : null;
}
