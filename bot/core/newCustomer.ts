import { createCustomer } from '../../crm/customers/customers.js';
import { captureLeadForExisting } from '../../crm/customers/captureLead.js';
import { findPhoneHolder, getHolder, type CustomerHolder } from '../../crm/customers/phoneHolder.js';
import { findReferrer } from '../../crm/customers/referrer.js';
import { formatPhone, tryNormalizePhone } from '../../crm/customers/phone.js';
import { CrmError, isCrmError } from '../../crm/shared/errors.js';
import { listActiveStaff } from '../../crm/users/users.js';
import { errorMessage, t, type Lang } from '../../i18n/index.js';
import { actionData, type Action } from './actions.js';
import { clearFlow, setFlow } from './session.js';
import { notifyStaffAndRemember } from './staffNotify.js';
import { openCard } from './staff.js';
import type { StaffTurn } from './turn.js';
import type { Choice, Reply } from './types.js';
import { organizationsInUse } from '../../crm/organizations/organizations.js';
import { matchOrganization } from '../../crm/organizations/matchOrganization.js';
import { linkLeadToCompany, type LeadCompany } from '../../crm/organizations/leadCompany.js';
import { readCompanyAnswer } from './companyAnswer.js';
import { cancelChoice } from './choices.js';

/**
 * Staff `/new`: name, phone, need, then who referred them — each but the name skippable. A phone
 * already on record never ends in a refusal at the last step: it is recognised when typed, and
 * the salesperson either adds to their own customer or is told whose customer it is and offered
 * what they may do about it (tell the owner, ask a manager).
 */

interface NewData {
  name?: string;
  phone?: string;
  need?: string;
  /** Set when the phone belongs to a customer this salesperson may open: the need goes there. */
  existingId?: string;
  /** B2B: the company typed at "Công ty?", with the salesperson's answer to a name match. */
  company?: LeadCompany;
  [key: string]: unknown;
}

const skipChoice = (lang: Lang): Choice => ({ label: t(lang, 'chat.skip'), data: actionData.skip });
export async function startNewCustomer(turn: StaffTurn): Promise<Reply[]> {
  await setFlow(turn.session, 'new', 'name');
  return [{ text: t(turn.lang, 'chat.new.askName'), choices: [cancelChoice(turn.lang)] }];
}

/** The next answer of `/new`; `step` is the question it answers. */
export async function continueNewCustomer(turn: StaffTurn, step: string | undefined, action?: Action): Promise<Reply[]> {
  const { lang, text, session } = turn;
  const data = session.data as NewData;
  const skipped = action?.kind === 'skip';
  const ask = (key: 'chat.new.askPhone' | 'chat.new.askNeed' | 'chat.new.askReferrer', before?: string): Reply => ({
    text: [before, t(lang, key, { name: data.name ?? '' })].filter(Boolean).join('\n'),
    choices: [skipChoice(lang), cancelChoice(lang)],
  });
  switch (step) {
    case 'name': {
      if (!text) return [{ text: t(lang, 'chat.new.askName'), choices: [cancelChoice(lang)] }];
      await setFlow(session, 'new', 'phone', { name: text.slice(0, 120) });
      return [{ ...ask('chat.new.askPhone') }];
    }
    case 'phone': {
      if (!skipped) {
        const phone = tryNormalizePhone(text);
        if (!phone) return [{ ...ask('chat.new.askPhone'), text: errorMessage(lang, new CrmError('phone.invalid', { input: text.slice(0, 40) })) }];
        data.phone = phone;
        const holder = await findPhoneHolder(turn.actor, phone);
        if (holder && !holder.mayOpen) {
          await clearFlow(session);
          return [holderReply(lang, holder)];
        }
        if (holder) {
          await setFlow(session, 'new', 'need', { ...data, existingId: String(holder.customerId) });
          const known = t(lang, 'chat.new.existingOwn', { phone: formatPhone(phone), code: holder.code, name: holder.name });
          return [{ ...ask('chat.new.askNeed', known), choices: [skipChoice(lang), { label: t(lang, 'chat.action.open'), data: actionData.open(holder.customerId) }, cancelChoice(lang)] }];
        }
      }
      await setFlow(session, 'new', 'need', data);
      return [ask('chat.new.askNeed')];
    }
    case 'need': {
      const need = skipped ? undefined : text.slice(0, 2000) || undefined;
      if (data.existingId) {
        const added = await captureLeadForExisting(turn.actor, data.existingId, { channel: 'manual', name: data.name, need }, turn.now);
        await clearFlow(session);
        return openCard(turn, added.customer._id, t(lang, 'chat.new.added', { code: added.customer.code, name: added.customer.name }));
      }
      if (await organizationsInUse()) {
        await setFlow(session, 'new', 'company', { ...data, need });
        return [companyQuestion(lang, data.name)];
      }
      await setFlow(session, 'new', 'referrer', { ...data, need });
      return [ask('chat.new.askReferrer')];
    }
    case 'company': {
      if (skipped || !text) {
        await setFlow(session, 'new', 'referrer', data);
        return [ask('chat.new.askReferrer')];
      }
      let company: LeadCompany;
      try {
        company = readCompanyAnswer(text);
      } catch (err) {
        if (!isCrmError(err)) throw err;
        return [{ ...companyQuestion(lang, data.name), text: `${errorMessage(lang, err)}\n${t(lang, 'chat.new.askCompany', { name: data.name ?? '' })}` }];
      }
      const match = await matchOrganization(company);
      // Only a name in common: the salesperson says whether it is the same company.
      if (match?.by === 'name') {
        await setFlow(session, 'new', 'companyConfirm', { ...data, company });
        const o = match.organization;
        return [{
          text: t(lang, 'chat.new.companyNameMatch', { code: o.code, org: o.name, name: data.name ?? '' }),
          choices: [{ label: t(lang, 'chat.org.same'), data: actionData.sameCompany(true) }, { label: t(lang, 'chat.org.other'), data: actionData.sameCompany(false) }, cancelChoice(lang)],
        }];
      }
      await setFlow(session, 'new', 'referrer', { ...data, company });
      return [ask('chat.new.askReferrer')];
    }
    case 'companyConfirm': {
      if (action?.kind !== 'sameCompany') return [{ text: t(lang, 'chat.staffUnknownChoice') }];
      await setFlow(session, 'new', 'referrer', { ...data, company: { ...data.company, nameMatch: action.same ? 'link' : 'new' } });
      return [ask('chat.new.askReferrer')];
    }
    case 'referrer':
      return create(turn, data, skipped ? undefined : text);
    default:
      await clearFlow(session);
      return [];
  }
}

async function create(turn: StaffTurn, data: NewData, referrerText: string | undefined): Promise<Reply[]> {
  const { lang } = turn;
  const again = (err: unknown): Reply[] => [{ text: errorMessage(lang, err), choices: [skipChoice(lang), cancelChoice(lang)] }];
  try {
    const referrer = referrerText ? await findReferrer(referrerText) : undefined;
    const created = await createCustomer(turn.actor, { name: data.name, phones: data.phone ? [data.phone] : [], need: data.need, referrer });
    await clearFlow(turn.session);
    const company = data.company ? await linkLeadToCompany(created, data.company) : null;
    const done = t(lang, 'chat.new.done', { code: created.code, name: created.name });
    const linked = company ? t(lang, 'chat.new.linkedTo', { code: company.organization.code, org: company.organization.name }) : '';
    return openCard(turn, created._id, [done, linked].filter(Boolean).join('\n'));
  } catch (err) {
    // A referrer not found, ambiguous or the customer themselves: ask again, the rest is kept.
    if (isCrmError(err) && err.code.startsWith('referrer.')) return again(err);
    if (isCrmError(err, 'phone.taken') && data.phone) {
      // Taken by someone else since the phone was typed: the same answer as at the phone step.
      await clearFlow(turn.session);
      const holder = await findPhoneHolder(turn.actor, data.phone);
      if (holder) return [holder.mayOpen ? { text: errorMessage(lang, err), choices: [{ label: holder.code, data: actionData.open(holder.customerId) }] } : holderReply(lang, holder)];
    }
    throw err;
  }
}

function companyQuestion(lang: Lang, name: string | undefined): Reply {
  return { text: t(lang, 'chat.new.askCompany', { name: name ?? '' }), choices: [skipChoice(lang), cancelChoice(lang)] };
}

/** Whose customer this is, with only the choices this salesperson may use. */
function holderReply(lang: Lang, holder: CustomerHolder): Reply {
  const params = { phone: holder.phone ? formatPhone(holder.phone) : '', code: holder.code, name: holder.name };
  const choices: Choice[] = [];
  if (holder.owner?.active) choices.push({ label: t(lang, 'chat.action.notifyOwner', { owner: holder.owner.name }), data: actionData.notifyOwner(holder.customerId) });
  choices.push({ label: t(lang, 'chat.action.askManager'), data: actionData.askManager(holder.customerId) });
  const text = holder.owner ? t(lang, 'chat.new.existingOther', { ...params, owner: holder.owner.name }) : t(lang, 'chat.new.existingNoOwner', params);
  return { text, choices };
}

/** "Tell the owner": a message to the owner on their linked channels, saying who asked about which customer. */
export async function notifyOwnerOf(turn: StaffTurn, customerId: string): Promise<Reply[]> {
  const holder = await getHolder(turn.actor, customerId);
  if (!holder) throw new CrmError('notFound.customer');
  if (!holder.owner?.active) return askManagerAbout(turn, customerId);
  const about = { by: turn.staff.name, code: holder.code, name: holder.name, phone: holder.phone ? formatPhone(holder.phone) : '—' };
  const outcomes = await notifyStaffAndRemember(
    turn.deps.notifier,
    holder.owner._id,
    (lang) => [{ text: t(lang, 'chat.new.askedAbout', about), choices: [{ label: t(lang, 'chat.action.open'), data: actionData.open(holder.customerId) }] }],
    { customer: holder.customerId },
  );
  if (!outcomes.some((o) => o.result.ok)) {
    return [{ text: t(turn.lang, 'chat.new.ownerUnreachable', { owner: holder.owner.name }), choices: [{ label: t(turn.lang, 'chat.action.askManager'), data: actionData.askManager(holder.customerId) }] }];
  }
  return [{ text: t(turn.lang, 'chat.new.ownerNotified', { owner: holder.owner.name, code: holder.code }) }];
}

/** "Ask a manager": every active manager and admin with a linked chat gets the request and the card's customer. */
export async function askManagerAbout(turn: StaffTurn, customerId: string): Promise<Reply[]> {
  const holder = await getHolder(turn.actor, customerId);
  if (!holder) throw new CrmError('notFound.customer');
  const managers = (await listActiveStaff(['manager', 'admin'])).filter((m) => String(m._id) !== String(turn.staff._id));
  let reached = 0;
  for (const manager of managers) {
    const about = { by: turn.staff.name, code: holder.code, name: holder.name, owner: holder.owner?.name ?? '—', phone: holder.phone ? formatPhone(holder.phone) : '—' };
    const outcomes = await notifyStaffAndRemember(
      turn.deps.notifier,
      manager,
      (lang) => [{ text: t(lang, 'chat.new.askedManager', about), choices: [{ label: t(lang, 'chat.action.open'), data: actionData.open(holder.customerId) }] }],
      { customer: holder.customerId },
    );
    if (outcomes.some((o) => o.result.ok)) reached += 1;
  }
  return [{ text: reached ? t(turn.lang, 'chat.new.managersNotified', { code: holder.code }) : t(turn.lang, 'chat.new.noManager') }];
}
