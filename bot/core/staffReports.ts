import { getAgenda, isAgendaEmpty, type AgendaCustomer } from '../../crm/reports/agenda.js';
import { customersByStage, personalStats } from '../../crm/reports/reports.js';
import { monthOf } from '../../crm/reports/period.js';
import { listCustomersInStage } from '../../crm/customers/customersInStage.js';
import { getStage } from '../../crm/stages/stages.js';
import { toObjectId } from '../../crm/shared/ids.js';
import { formatVnd } from '../../crm/shared/money.js';
import { t } from '../../i18n/index.js';
import { DateTime } from 'luxon';
import { actionData } from './actions.js';
import type { StaffTurn } from './turn.js';
import type { Choice, Reply } from './types.js';
import { unreadSection } from './comments.js';

/** The read-only staff commands: /today, /mine, /stats. Lists lead to the cards by their choices. */

const LISTED = 10;

export async function agendaReplies(turn: StaffTurn): Promise<Reply[]> {
  const { lang } = turn;
  const [agenda, unread] = await Promise.all([getAgenda(turn.actor, turn.now, turn.timezone, { limit: LISTED }), unreadSection(turn)]);
  if (isAgendaEmpty(agenda) && !unread.lines.length) return [{ text: t(lang, 'chat.today.empty') }];
  const lines = [t(lang, 'chat.today.title')];
  // Unread comments first: a colleague is waiting for an answer.
  if (unread.lines.length) lines.push('', ...unread.lines);
  const choices: Choice[] = [...unread.choices];
  const offer = (c: AgendaCustomer | null) => {
    if (c && !choices.some((x) => x.data === actionData.open(c._id)) && choices.length < LISTED) {
      choices.push({ label: `${c.code} · ${c.name}`, data: actionData.open(c._id) });
    }
  };
  const time = (d: Date) => DateTime.fromJSDate(d, { zone: turn.timezone }).toFormat('HH:mm');
  const date = (d: Date) => DateTime.fromJSDate(d, { zone: turn.timezone }).toFormat('dd/MM HH:mm');
  const section = <T>(key: Parameters<typeof t>[1], items: T[], line: (item: T) => string, customer: (item: T) => AgendaCustomer | null) => {
    if (!items.length) return;
    lines.push('', t(lang, key));
    for (const item of items) {
      lines.push(line(item));
      offer(customer(item));
    }
  };
  section('chat.today.overdue', agenda.overdue, (f) => `⚠️ ${date(f.dueAt)} ${f.customer?.code ?? ''} ${f.customer?.name ?? ''}${f.note ? ` — ${f.note}` : ''}`, (f) => f.customer);
  section('chat.today.dueToday', agenda.dueToday, (f) => `⏰ ${time(f.dueAt)} ${f.customer?.code ?? ''} ${f.customer?.name ?? ''}${f.note ? ` — ${f.note}` : ''}`, (f) => f.customer);
  section('chat.today.dormant', agenda.dormant, (c) => `💤 ${c.code} ${c.name}`, (c) => c);
  section('chat.today.hot', agenda.hotWithoutFollowUp, (c) => `🔥 ${c.code} ${c.name}`, (c) => c);
  return [{ text: lines.join('\n'), choices }];
}

export async function mineReplies(turn: StaffTurn): Promise<Reply[]> {
  const rows = await customersByStage(turn.actor);
  const total = rows.reduce((s, r) => s + r.count, 0);
  if (!total) return [{ text: t(turn.lang, 'chat.mine.empty') }];
  const lines = [t(turn.lang, 'chat.mine.title'), ...rows.filter((r) => r.count > 0).map((r) => `• ${r.name}: ${r.count}`)];
  const choices = rows.filter((r) => r.count > 0).map((r) => ({ label: `${r.name} (${r.count})`, data: actionData.mineStage(r.stageId) }));
  return [{ text: lines.join('\n'), choices }];
}

export async function mineStageReplies(turn: StaffTurn, stageId: string): Promise<Reply[]> {
  const stage = await getStage(toObjectId(stageId, 'notFound.stage'));
  const { customers, more } = await listCustomersInStage(turn.actor, stage._id, { limit: LISTED });
  if (!customers.length) return [{ text: t(turn.lang, 'chat.mine.stageEmpty', { stage: stage.name }) }];
  const text = t(turn.lang, 'chat.mine.stage', { stage: stage.name }) + (more ? `\n${t(turn.lang, 'chat.find.more')}` : '');
  return [{ text, choices: customers.map((c) => ({ label: `${c.code} · ${c.name}`, data: actionData.open(c._id) })) }];
}

export async function statsReplies(turn: StaffTurn): Promise<Reply[]> {
  const actor = turn.actor as typeof turn.actor & { kind: 'user' };
  const stats = await personalStats(actor, monthOf(turn.now, turn.timezone));
  const month = DateTime.fromJSDate(turn.now, { zone: turn.timezone }).toFormat('MM/yyyy');
  return [
    {
      text: t(turn.lang, 'chat.stats', {
        month,
        newLeads: stats.newLeads,
        interactions: stats.interactions,
        wonDeals: stats.wonDeals,
        revenue: formatVnd(stats.revenue, turn.lang),
      }),
    },
  ];
}
