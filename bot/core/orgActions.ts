import { createCustomer, findCustomers, getCustomerForActor } from '../../crm/customers/customers.js';
import { tryNormalizePhone } from '../../crm/customers/phone.js';
import { getOrganizationCard } from '../../crm/organizations/organizationCard.js';
import { getOrganizationForActor } from '../../crm/organizations/organizations.js';
import { linkContact } from '../../crm/organizations/contacts.js';
import { CrmError } from '../../crm/shared/errors.js';
import { CONTACT_ROLES } from '../../models/customer.js';
import { LOGGED_INTERACTION_TYPES } from '../../models/interaction.js';
import { errorMessage, t, type Lang, type MessageKey } from '../../i18n/index.js';
import { actionData, type Action } from './actions.js';
import { clearFlow, setFlow } from './session.js';
import { contactRoleLabel, organizationCardReply } from './orgCard.js';
import type { StaffTurn } from './turn.js';
import type { Choice, Reply } from './types.js';
import { cancelChoice } from './choices.js';

/**
 * The organization card in the chat and what its buttons start: adding a contact (a customer on
 * record by phone or KH code, or a new person), then their role and title; logging an interaction
 * with one chosen contact. Every change goes through crm/organizations and crm/customers.
 */

interface ContactFlowData {
  organizationId: string;
  org: string;
  customerId?: string;
  name?: string;
  phone?: string;
  [key: string]: unknown;
}

const skipChoice = (lang: Lang): Choice => ({ label: t(lang, 'chat.skip'), data: actionData.skip });
export async function openOrganizationCard(turn: StaffTurn, organizationId: unknown, header?: string): Promise<Reply[]> {
  const card = await getOrganizationCard(turn.actor, organizationId);
  return [organizationCardReply(card, turn.lang, turn.actor, turn.timezone, header)];
}

export async function startAddContact(turn: StaffTurn, organizationId: string): Promise<Reply[]> {
  const org = await getOrganizationForActor(turn.actor, organizationId);
  await setFlow(turn.session, 'orgContact', 'who', { organizationId: String(org._id), org: org.name });
  return [{ text: t(turn.lang, 'chat.org.askContact', { org: org.name }), choices: [cancelChoice(turn.lang)] }];
}

/** The next answer of "add contact"; `step` is the question it answers. */
export async function continueAddContact(turn: StaffTurn, step: string | undefined, action?: Action): Promise<Reply[]> {
  const { lang, text, session } = turn;
  const data = session.data as ContactFlowData;
  const skipped = action?.kind === 'skip';
  switch (step) {
    case 'who': {
      if (!text) return [{ text: t(lang, 'chat.org.askContact', { org: data.org }), choices: [cancelChoice(lang)] }];
      const phone = /^[\d\s.+\-()]+$/.test(text) ? tryNormalizePhone(text) : undefined;
      if (phone || /^kh\s*\d{1,6}$/i.test(text)) {
        const { customers } = await findCustomers(turn.actor, text, { limit: 2 });
        if (customers.length === 1) return linkAndAskRole(turn, data, customers[0]._id);
        if (!phone) throw new CrmError('notFound.customer');
        await setFlow(session, 'orgContact', 'name', { ...data, phone });
        return [{ text: t(lang, 'chat.org.askNewName', { phone: text }), choices: [cancelChoice(lang)] }];
      }
      await setFlow(session, 'orgContact', 'phone', { ...data, name: text.slice(0, 120) });
      return [{ text: t(lang, 'chat.org.askNewPhone', { name: text.slice(0, 120) }), choices: [skipChoice(lang), cancelChoice(lang)] }];
    }
    case 'name':
      if (!text) return [{ text: t(lang, 'chat.org.askNewName', { phone: data.phone ?? '' }), choices: [cancelChoice(lang)] }];
      return createAndLink(turn, { ...data, name: text.slice(0, 120) });
    case 'phone': {
      if (skipped) return createAndLink(turn, data);
      const phone = tryNormalizePhone(text);
      if (!phone) return [{ text: errorMessage(lang, new CrmError('phone.invalid', { input: text.slice(0, 40) })), choices: [skipChoice(lang), cancelChoice(lang)] }];
      return createAndLink(turn, { ...data, phone });
    }
    case 'role': {
      const role = action?.kind === 'contactRole' ? action.role : undefined;
      if (role) await linkContact(turn.actor, data.organizationId, data.customerId, { contactRole: role });
      else if (!skipped) return [roleQuestion(lang, data)];
      await setFlow(session, 'orgContact', 'title', data);
      return [{ text: t(lang, 'chat.org.askTitle', { name: data.name ?? '' }), choices: [skipChoice(lang), cancelChoice(lang)] }];
    }
    case 'title': {
      if (!skipped && text) await linkContact(turn.actor, data.organizationId, data.customerId, { jobTitle: text });
      await clearFlow(session);
      return openOrganizationCard(turn, data.organizationId, t(lang, 'chat.org.contactAdded', { name: data.name ?? '', org: data.org }));
    }
    default:
      await clearFlow(session);
      return [];
  }
}

async function createAndLink(turn: StaffTurn, data: ContactFlowData): Promise<Reply[]> {
  const created = await createCustomer(turn.actor, { name: data.name, phones: data.phone ? [data.phone] : [] });
  return linkAndAskRole(turn, data, created._id);
}

async function linkAndAskRole(turn: StaffTurn, data: ContactFlowData, customerId: unknown): Promise<Reply[]> {
  const linked = await linkContact(turn.actor, data.organizationId, customerId);
  const next = { ...data, customerId: String(linked._id), name: linked.name };
  await setFlow(turn.session, 'orgContact', 'role', next);
  return [roleQuestion(turn.lang, next)];
}

function roleQuestion(lang: Lang, data: ContactFlowData): Reply {
  return {
    text: t(lang, 'chat.org.askRole', { name: data.name ?? '', org: data.org }),
    choices: [...CONTACT_ROLES.map((r) => ({ label: contactRoleLabel(lang, r), data: actionData.contactRole(r) })), skipChoice(lang)],
  };
}

/** "Log interaction" on the card: first whom, among the contacts the salesperson may act on. */
export async function pickContactToLog(turn: StaffTurn, organizationId: string): Promise<Reply[]> {
  const card = await getOrganizationCard(turn.actor, organizationId);
  return [
    {
      text: t(turn.lang, 'chat.org.pickContact', { org: card.organization.name }),
      choices: card.contacts.slice(0, 20).map(({ customer: c }) => ({ label: `${c.code} · ${c.name}`, data: actionData.logPickType(c._id) })),
    },
  ];
}

/** Then what: the same interaction types as on the customer card, leading into its log flow. */
export async function pickTypeToLog(turn: StaffTurn, customerId: string): Promise<Reply[]> {
  const customer = await getCustomerForActor(turn.actor, customerId);
  return [
    {
      text: t(turn.lang, 'chat.org.pickType', { name: customer.name }),
      choices: LOGGED_INTERACTION_TYPES.map((type) => ({ label: t(turn.lang, `chat.action.${type}` as MessageKey), data: actionData.log(type, customer._id) })),
    },
  ];
}
