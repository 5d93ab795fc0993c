import { DateTime } from 'luxon';
import { getAgenda, isAgendaEmpty, type Agenda } from '../crm/reports/agenda.js';
import { getSettings } from '../crm/settings/settings.js';
import { listActiveStaff, type StaffUser } from '../crm/users/users.js';
import { userActor, seesAllCustomers } from '../crm/users/actor.js';
import { t, type Lang } from '../i18n/index.js';
import type { Reply } from '../bot/core/types.js';
import { opportunitiesClosingSoon, staleOpportunities, type OpportunityAlert } from '../crm/opportunities/opportunityAlerts.js';
import { claimOnce } from './onceMarks.js';
import { opportunityLine } from './opportunityLines.js';
import { cappedLines, formatLocal } from './format.js';
import type { JobDefinition, JobDeps } from './types.js';
import { unreadComments } from '../crm/comments/unread.js';
import { unreadLines, withUnreadLines } from '../bot/core/comments.js';

/** A worker that was down at digest time still sends it if it comes back within these hours. */
const LATE_WINDOW_HOURS = 3;
const MAX_PER_SECTION = 8;
/** Enough to count one person's items honestly; only MAX_PER_SECTION of each are listed. */
const OWN_LIMIT = 200;
/** Team totals count up to this many items per section (a digest is not a report). */
const TEAM_LIMIT = 1000;

export interface TeamTotals {
  dueToday: number;
  overdue: number;
  dormant: number;
  hot: number;
}

/**
 * At Settings.digestHour in the company's time zone, each active staff member gets their day:
 * follow-ups due today, overdue ones, customers in Đừng quên and hot leads without a follow-up;
 * managers and admins also get the team's totals. Nobody gets an empty digest. A mark per person
 * and local day, claimed atomically before sending, makes it once a day across restarts and workers.
 */
export async function sendMorningDigests(deps: Pick<JobDeps, 'clock' | 'notifier'>): Promise<number> {
  const now = deps.clock.now();
  const { digestHour, timezone, staleOpportunityDays } = await getSettings();
  const local = DateTime.fromJSDate(now, { zone: timezone });
  const hoursLate = local.hour - digestHour;
  if (hoursLate < 0 || hoursLate >= LATE_WINDOW_HOURS) return 0;
  const day = local.toISODate()!;
  let sent = 0;
  for (const staff of await listActiveStaff()) {
    if (!(await claimOnce(`digest:${staff._id}:${day}`, now))) continue;
    const actor = userActor(staff);
    const own = await getAgenda(actor, now, timezone, { ownerId: staff._id, limit: OWN_LIMIT });
    const team = seesAllCustomers(actor) ? teamTotals(await getAgenda(actor, now, timezone, { limit: TEAM_LIMIT })) : null;
    const staleDays = staleOpportunityDays ?? 14;
    const [closing, stale] = await Promise.all([
      opportunitiesClosingSoon({ owner: staff._id }, now, timezone, OWN_LIMIT),
      staleOpportunities({ owner: staff._id }, now, staleDays, OWN_LIMIT),
    ]);
    const opportunities = { closing, stale, staleDays };
    const unread = await unreadComments(staff._id, 5);
    if (isAgendaEmpty(own) && !closing.length && !stale.length && !unread.total && (!team || !Object.values(team).some(Boolean))) continue;
    await deps.notifier.notifyStaff(staff, (lang) => [withUnreadLines(digestReply(staff, own, team, lang, timezone, now, opportunities), unreadLines(unread, lang))]);
    sent += 1;
  }
  return sent;
}

function teamTotals(agenda: Agenda): TeamTotals {
  return { dueToday: agenda.dueToday.length, overdue: agenda.overdue.length, dormant: agenda.dormant.length, hot: agenda.hotWithoutFollowUp.length };
}

/** The owner's opportunities worth a look this morning: closing within 3 days or overdue, and forgotten ones. */
export interface DigestOpportunities {
  closing: OpportunityAlert[];
  stale: OpportunityAlert[];
  staleDays: number;
}

export function digestReply(
  staff: Pick<StaffUser, 'name'>,
  agenda: Agenda,
  team: TeamTotals | null,
  lang: Lang,
  timezone: string,
  now: Date,
  opportunities: DigestOpportunities = { closing: [], stale: [], staleDays: 14 },
): Reply {
  const date = DateTime.fromJSDate(now, { zone: timezone }).toFormat('dd/MM/yyyy');
  const lines = [t(lang, 'jobs.digest.title', { name: staff.name, date })];
  const section = (title: string, items: string[]) => {
    if (!items.length) return;
    lines.push('', title, ...cappedLines(items, MAX_PER_SECTION, (count) => t(lang, 'jobs.digest.more', { count })));
  };
  const followUpLine = (f: Agenda['dueToday'][number], withDate: boolean) =>
    `• ${formatLocal(f.dueAt, lang, timezone, withDate)} ${f.customer ? `${f.customer.name} (${f.customer.code})` : ''}${f.note ? ` — ${f.note.slice(0, 80)}` : ''}`;
  section(t(lang, 'jobs.digest.dueToday', { count: agenda.dueToday.length }), agenda.dueToday.map((f) => followUpLine(f, false)));
  section(t(lang, 'jobs.digest.overdue', { count: agenda.overdue.length }), agenda.overdue.map((f) => followUpLine(f, true)));
  section(t(lang, 'jobs.digest.dormant', { count: agenda.dormant.length }), agenda.dormant.map((c) => `• ${c.name} (${c.code})`));
  section(t(lang, 'jobs.digest.hot', { count: agenda.hotWithoutFollowUp.length }), agenda.hotWithoutFollowUp.map((c) => `• ${c.name} (${c.code})`));
  const { closing, stale, staleDays } = opportunities;
  section(t(lang, 'jobs.digest.oppClosing', { count: closing.length }), closing.map((o) => opportunityLine(o, lang, timezone, now, 'close')));
  section(t(lang, 'jobs.digest.oppStale', { count: stale.length, days: staleDays }), stale.map((o) => opportunityLine(o, lang, timezone, now, 'activity')));
  if (team) lines.push('', t(lang, 'jobs.digest.team', { ...team }));
  lines.push('', t(lang, 'jobs.digest.footer'));
  return { text: lines.join('\n') };
}

export const morningDigest: JobDefinition = {
  name: 'morning digest',
  // Checked every few minutes: the hour comes from Settings, which an admin may change at any time.
  every: '5 minutes',
  run: (deps) => sendMorningDigests(deps).then(() => undefined),
};
