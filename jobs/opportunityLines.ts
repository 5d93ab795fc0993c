import { DateTime } from 'luxon';
import type { OpportunityAlert } from '../crm/opportunities/opportunityAlerts.js';
import { formatVnd } from '../crm/shared/money.js';
import { t, type Lang } from '../i18n/index.js';

const day = (date: Date, timezone: string) => DateTime.fromJSDate(date, { zone: timezone }).toFormat('dd/MM/yyyy');

/** An opportunity as one line of a digest or reminder: what, with whom, how much, and its date that matters. */
export function opportunityLine(o: Pick<OpportunityAlert, 'code' | 'name' | 'value' | 'withName' | 'expectedCloseAt' | 'lastActivityAt'>, lang: Lang, timezone: string, now: Date, show: 'close' | 'activity'): string {
  let tail = '';
  if (show === 'close' && o.expectedCloseAt) {
    const overdue = DateTime.fromJSDate(o.expectedCloseAt, { zone: timezone }).startOf('day') < DateTime.fromJSDate(now, { zone: timezone }).startOf('day');
    tail = t(lang, 'jobs.opp.closes', { day: day(o.expectedCloseAt, timezone) }) + (overdue ? t(lang, 'jobs.opp.overdue') : '');
  }
  if (show === 'activity' && o.lastActivityAt) tail = t(lang, 'jobs.opp.lastActivity', { day: day(o.lastActivityAt, timezone) });
  return t(lang, 'jobs.opp.line', { code: o.code, name: o.name.slice(0, 80), with: o.withName || '—', value: formatVnd(o.value, lang) }) + tail;
}
