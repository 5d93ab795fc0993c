import type { OrganizationCard } from '../../crm/organizations/organizationCard.js';
import { formatPhone } from '../../crm/customers/phone.js';
import type { Actor } from '../../crm/users/actor.js';
import { t, type Lang, type MessageKey } from '../../i18n/index.js';
import { actionData } from './actions.js';
import type { Choice, Reply } from './types.js';
import { openOpportunityChoices, openOpportunityLines } from './opportunityCard.js';

/** The buttons one part of the product puts under an organization card. */
export type OrganizationCardActions = (card: OrganizationCard, lang: Lang, actor: Actor) => Choice[];

/**
 * The organization card's buttons, in order, one builder per part: contacts here; opportunities
 * add theirs by appending a builder, without touching the card.
 */
export const organizationCardActions: OrganizationCardActions[] = [
  (card, lang) => [{ label: t(lang, 'chat.org.action.addContact'), data: actionData.addContact(card.organization._id) }],
  (card, lang) => (card.contacts.length ? [{ label: t(lang, 'chat.org.action.log'), data: actionData.logForOrg(card.organization._id) }] : []),
  (card, lang) => [{ label: t(lang, 'opp.action.new'), data: actionData.oppNewForOrganization(card.organization._id) }, ...openOpportunityChoices(card.openOpportunities)],
  (card, lang) => [{ label: t(lang, 'comment.action.comments'), data: actionData.targetComments('organization', card.organization._id) }],
];

export function contactRoleLabel(lang: Lang, role: string): string {
  return t(lang, `chat.role.${role}` as MessageKey);
}

/** "Giám đốc (Người quyết định)": what a contact does there, from what is known. */
export function contactPosition(lang: Lang, c: { jobTitle?: string | null; contactRole?: string | null }): string {
  const role = c.contactRole ? contactRoleLabel(lang, c.contactRole) : '';
  if (c.jobTitle && role) return `${c.jobTitle} (${role})`;
  return c.jobTitle || role;
}

/** The card as text: the company, its tax code and owner, then each contact and how to call them. */
export function renderOrganizationCard(card: OrganizationCard, lang: Lang, timezone: string): string {
  const o = card.organization;
  const lines = [t(lang, 'chat.org.card.title', { code: o.code, name: o.name })];
  if (o.taxCode) lines.push(t(lang, 'chat.org.card.taxCode', { taxCode: o.taxCode }));
  if (o.address || o.province) lines.push(`📍 ${[o.address, o.province].filter(Boolean).join(', ')}`);
  if (o.website || o.domain) lines.push(`🌐 ${o.website || o.domain}`);
  lines.push(t(lang, 'chat.card.owner', { owner: card.owner?.name ?? t(lang, 'chat.card.noOwner') }));
  lines.push('', card.contacts.length ? t(lang, 'chat.org.card.contacts') : t(lang, 'chat.org.card.noContacts'));
  for (const { customer: c } of card.contacts.slice(0, 15)) {
    const position = contactPosition(lang, c);
    const phone = c.phones?.[0] ? formatPhone(c.phones[0]) : '';
    lines.push(`• ${c.name}${position ? ` — ${position}` : ''}${phone ? ` · ${phone}` : ''}`);
  }
  const opportunities = openOpportunityLines(card.openOpportunities, lang, timezone);
  if (opportunities.length) lines.push('', ...opportunities);
  return lines.join('\n');
}

export function organizationCardReply(card: OrganizationCard, lang: Lang, actor: Actor, timezone: string, header?: string): Reply {
  const text = renderOrganizationCard(card, lang, timezone);
  return { text: header ? `${header}\n\n${text}` : text, choices: organizationCardActions.flatMap((build) => build(card, lang, actor)) };
}
