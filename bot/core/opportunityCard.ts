import { DateTime } from 'luxon';
import type { OpportunityCard, OpenOpportunityLine } from '../../crm/opportunities/opportunityCard.js';
import type { PipelineSummary } from '../../crm/opportunities/pipelineSummary.js';
import { formatVnd } from '../../crm/shared/money.js';
import { isCloseOverdue } from '../../crm/opportunities/opportunityAlerts.js';
import { t, type Lang } from '../../i18n/index.js';
import { actionData } from './actions.js';
import type { Choice, Reply } from './types.js';

/** A close date is a day: `31/12/2026`, read in the company's zone. */
export function formatDay(date: Date, timezone: string): string {
  return DateTime.fromJSDate(new Date(date), { zone: timezone }).toFormat('dd/MM/yyyy');
}

/** The opportunity card: what is sold to whom, where it stands, what it is worth, when it should close. */
export function opportunityCardReply(card: OpportunityCard, lang: Lang, timezone: string, now: Date, header?: string): Reply {
  const o = card.opportunity;
  const lines = [t(lang, 'opp.card.title', { code: o.code, name: o.name })];
  if (card.organization) lines.push(t(lang, 'opp.card.organization', { organization: `${card.organization.code ?? ''} · ${card.organization.name}` }));
  if (card.customer) lines.push(t(lang, 'opp.card.customer', { customer: `${card.customer.code ?? ''} · ${card.customer.name}` }));
  lines.push(t(lang, 'opp.card.stage', { stage: card.stage?.name ?? '—' }));
  const probability = o.probability ?? 0;
  lines.push(t(lang, 'opp.card.value', { value: formatVnd(o.value, lang), probability, weighted: formatVnd(Math.round((o.value * probability) / 100), lang) }));
  if (o.expectedCloseAt) {
    const overdue = o.status === 'open' && isCloseOverdue(o.expectedCloseAt, now, timezone);
    lines.push(`${t(lang, 'opp.card.close', { day: formatDay(o.expectedCloseAt, timezone) })}${overdue ? ` ⚠️ ${t(lang, 'opp.card.overdue')}` : ''}`);
  }
  if (card.owner) lines.push(t(lang, 'opp.card.owner', { owner: card.owner.name }));
  if (o.status === 'won' && o.closedAt) lines.push(t(lang, 'opp.card.won', { day: formatDay(o.closedAt, timezone) }));
  if (o.status === 'lost' && o.closedAt) lines.push(t(lang, 'opp.card.lost', { day: formatDay(o.closedAt, timezone), reason: o.lostReason ?? '' }));

  const id = String(o._id);
  const choices: Choice[] =
    o.status === 'open'
      ? [
          { label: t(lang, 'opp.action.move'), data: actionData.oppMoveMenu(id) },
          { label: t(lang, 'opp.action.win'), data: actionData.oppWin(id) },
          { label: t(lang, 'opp.action.lose'), data: actionData.oppLose(id) },
          ...(card.customer ? [{ label: t(lang, 'quote.action.new'), data: actionData.quoteNewForOpportunity(id) }] : []),
        ]
      : [];
  if (card.customer) choices.push({ label: t(lang, 'opp.action.customer'), data: actionData.open(card.customer._id) });
  choices.push({ label: t(lang, 'comment.action.comments'), data: actionData.targetComments('opportunity', id) });
  const text = lines.join('\n');
  return { text: header ? `${header}\n\n${text}` : text, choices };
}

/** Open opportunities as card lines, for a customer's or an organization's card. */
export function openOpportunityLines(rows: OpenOpportunityLine[], lang: Lang, timezone: string): string[] {
  if (!rows.length) return [];
  return [
    t(lang, 'opp.card.list'),
    ...rows.map((r) =>
      t(lang, 'opp.card.line', {
        code: r.code,
        name: r.name,
        value: formatVnd(r.value, lang),
        stage: r.stageName,
        close: r.expectedCloseAt ? t(lang, 'opp.card.lineClose', { day: formatDay(r.expectedCloseAt, timezone) }) : '',
      }),
    ),
  ];
}

/** A button per open opportunity, to open its card. */
export function openOpportunityChoices(rows: OpenOpportunityLine[], limit = 3): Choice[] {
  return rows.slice(0, limit).map((r) => ({ label: `💼 ${r.code} · ${r.name.slice(0, 30)}`, data: actionData.oppOpen(r._id) }));
}

/** `/pipeline`: totals by step, per owner for a manager, then the ones closing soonest as buttons. */
export function pipelineReply(summary: PipelineSummary, soonest: OpenOpportunityLine[], lang: Lang, timezone: string, team: boolean): Reply {
  if (!summary.count) return { text: t(lang, 'opp.pipeline.empty') };
  const money = (n: number) => formatVnd(n, lang);
  const lines = [
    t(lang, 'opp.pipeline.title', { who: t(lang, team ? 'opp.pipeline.team' : 'opp.pipeline.mine'), count: summary.count, total: money(summary.total), weighted: money(summary.weighted) }),
    ...summary.stages.map((s) => t(lang, 'opp.pipeline.stage', { stage: s.stage.name, count: s.count, total: money(s.total), weighted: money(s.weighted) })),
  ];
  if (summary.owners?.length) {
    lines.push('', t(lang, 'opp.pipeline.owners'));
    for (const o of summary.owners) {
      lines.push(t(lang, 'opp.pipeline.owner', { owner: o.name || t(lang, 'opp.pipeline.noOwner'), count: o.count, total: money(o.total), weighted: money(o.weighted) }));
    }
  }
  if (soonest.length) lines.push('', t(lang, 'opp.pipeline.open'), ...openOpportunityLines(soonest, lang, timezone).slice(1));
  return { text: lines.join('\n'), choices: openOpportunityChoices(soonest, soonest.length) };
}
