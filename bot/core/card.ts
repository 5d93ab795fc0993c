import { DateTime } from 'luxon';
import type { CustomerCard } from '../../crm/customers/customerCard.js';
import { formatPhone } from '../../crm/customers/phone.js';
import { formatVnd } from '../../crm/shared/money.js';
import { canActOnCustomer, seesAllCustomers, type Actor } from '../../crm/users/actor.js';
import { CHAT_CHANNELS } from '../../models/channels.js';
import { LOGGED_INTERACTION_TYPES } from '../../models/interaction.js';
import { t, type Lang, type MessageKey } from '../../i18n/index.js';
import { actionData } from './actions.js';
import type { Choice, Reply } from './types.js';
import { openOpportunityChoices, openOpportunityLines } from './opportunityCard.js';
import { contactPosition } from './orgCard.js';
import { scheduleCardChoices, scheduleCardLines } from './scheduleMessageChat.js';
import { commentCardChoices } from './comments.js';

/** A date as the team reads it, in the company's time zone: `Thứ 6 27/11 14:30`, with the year only when it is not this one. */
export function formatWhen(date: Date, lang: Lang, timezone: string, now: Date = new Date()): string {
  const local = DateTime.fromJSDate(date, { zone: timezone }).setLocale(lang === 'vi' ? 'vi' : 'en');
  const sameYear = local.year === DateTime.fromJSDate(now, { zone: timezone }).year;
  return local.toFormat(sameYear ? 'ccc dd/MM HH:mm' : 'ccc dd/MM/yyyy HH:mm');
}

function formatDay(date: Date, timezone: string): string {
  return DateTime.fromJSDate(new Date(date), { zone: timezone }).toFormat('dd/MM/yyyy');
}

export function recurrenceLabel(lang: Lang, recurrence: string): string {
  return t(lang, `chat.recurrence.${recurrence}` as MessageKey);
}

export function typeLabel(lang: Lang, type: string): string {
  return t(lang, `chat.type.${type}` as MessageKey);
}

function outcomeLabel(lang: Lang, outcome: string): string {
  const key = `chat.outcome.${outcome}`;
  const text = t(lang, key as MessageKey);
  return text === key ? outcome : text;
}

/** The card as text: who, how to reach them, where they stand, what happened lately, what is planned. */
export function renderCard(card: CustomerCard, lang: Lang, timezone: string): string {
  const c = card.customer;
  const lines = [t(lang, 'chat.card.title', { code: c.code, name: c.name })];
  if (c.phones?.length) lines.push(t(lang, 'chat.card.phones', { phones: c.phones.map(formatPhone).join(', ') }));
  if (c.email) lines.push(`✉️ ${c.email}`);
  if (card.organization) {
    const position = contactPosition(lang, c);
    lines.push(t(lang, 'chat.card.organization', { org: `${card.organization.code} · ${card.organization.name}${position ? ` — ${position}` : ''}` }));
  }
  lines.push(t(lang, 'chat.card.stage', { stage: card.stage?.name ?? '—' }));
  lines.push(t(lang, 'chat.card.owner', { owner: card.owner?.name ?? t(lang, 'chat.card.noOwner') }));
  if (card.source) lines.push(t(lang, 'chat.card.source', { source: card.source.name }));
  if (card.referrer) lines.push(t(lang, 'chat.card.referrer', { referrer: card.referrer.name }));
  if (c.need) lines.push(t(lang, 'chat.card.need', { need: c.need }));
  // More than one need stated: every one of them, oldest first, so none is lost to the latest.
  const needs = c.needs ?? [];
  if (needs.length > 1) {
    lines.push(t(lang, 'chat.card.needs'));
    for (const n of needs.slice(-5)) lines.push(`• ${formatDay(n.at, timezone)} ${clip(n.text, 80)}`);
  }
  for (const deal of card.deals.slice(0, 2)) lines.push(`💰 ${formatVnd(deal.amount, lang)}`);
  const opportunities = openOpportunityLines(card.openOpportunities, lang, timezone);
  if (opportunities.length) lines.push('', ...opportunities);
  if (card.activeFollowUps.length) {
    lines.push('', t(lang, 'chat.card.followUps'));
    for (const f of card.activeFollowUps.slice(0, 3)) {
      const repeats = f.recurrence && f.recurrence !== 'none' ? ` ${t(lang, 'chat.card.repeats', { recurrence: recurrenceLabel(lang, f.recurrence).toLowerCase() })}` : '';
      lines.push(`⏰ ${formatWhen(f.dueAt, lang, timezone)}${repeats}${f.note ? ` — ${f.note}` : ''}`);
    }
  }
  lines.push(...scheduleCardLines(card, lang, timezone));
  if (card.lastInteractions.length) {
    lines.push('', t(lang, 'chat.card.interactions'));
    for (const i of card.lastInteractions.slice(0, 3)) {
      const detail = [i.outcome ? outcomeLabel(lang, i.outcome) : '', i.text ? clip(i.text, 80) : ''].filter(Boolean).join(': ');
      lines.push(`• ${formatWhen(i.occurredAt, lang, timezone)} ${typeLabel(lang, i.type)}${detail ? ` — ${detail}` : ''}`);
    }
  }
  return lines.join('\n');
}

export function clip(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** What can be done from the card. Reassign only for those who see every customer. */
export function cardActions(card: CustomerCard, lang: Lang, actor: Actor, timezone: string): Choice[] {
  const id = String(card.customer._id);
  // A follower reads and comments; the buttons that change the customer are not offered.
  if (!canActOnCustomer(actor, card.customer)) {
    const org = card.organization ? [{ label: `🏢 ${card.organization.name}`.slice(0, 60), data: actionData.openOrg(card.organization.id) }] : [];
    return [...commentCardChoices(id, lang, false), ...org];
  }
  const choices: Choice[] = LOGGED_INTERACTION_TYPES.map((type) => ({ label: t(lang, `chat.action.${type}` as MessageKey), data: actionData.log(type, id) }));
  choices.push({ label: t(lang, 'chat.action.stage'), data: actionData.stageMenu(id) });
  choices.push({ label: t(lang, 'chat.action.followUp'), data: actionData.followUp(id) });
  if (card.offersOpportunities) choices.push({ label: t(lang, 'opp.action.new'), data: actionData.oppNew(id) }, ...openOpportunityChoices(card.openOpportunities));
  if (seesAllCustomers(actor)) choices.push({ label: t(lang, 'chat.action.reassign'), data: actionData.reassignMenu(id) });
  const chatIds = (card.customer.chatIds ?? {}) as Record<string, string | undefined>;
  if (CHAT_CHANNELS.some((c) => chatIds[c])) choices.push({ label: t(lang, 'chat.action.reply'), data: actionData.reply(id) });
  if (card.organization) choices.push({ label: `🏢 ${card.organization.name}`.slice(0, 60), data: actionData.openOrg(card.organization.id) });
  choices.push(...scheduleCardChoices(card, lang, actor, timezone));
  choices.push({ label: t(lang, 'quote.action.new'), data: actionData.quoteNew(id) });
  choices.push(...commentCardChoices(id, lang, true));
  return choices;
}

export function cardReply(card: CustomerCard, lang: Lang, actor: Actor, timezone: string, header?: string): Reply {
  const following = canActOnCustomer(actor, card.customer) ? '' : `\n\n${t(lang, 'comment.following')}`;
  const text = renderCard(card, lang, timezone) + following;
  return { text: header ? `${header}\n\n${text}` : text, choices: cardActions(card, lang, actor, timezone) };
}
