import { captureLead } from '../../crm/customers/captureLead.js';
import { CrmError, isCrmError } from '../../crm/shared/errors.js';
import { tryNormalizePhone } from '../../crm/customers/phone.js';
import { errorMessage, t, type Lang } from '../../i18n/index.js';
import { actionData, type Action } from './actions.js';
import { clearFlow, setFlow, type Session } from './session.js';
import { customerOfChat, notifyOwnerOfLead, receiveCustomerMessage } from './relay.js';
import { isOptOutReply } from '../../crm/campaigns/optOut.js';
import { optOutEverywhere } from '../../crm/outreach/optOut.js';
import type { Turn } from './turn.js';
import type { Reply } from './types.js';
import { organizationsInUse } from '../../crm/organizations/organizations.js';
import type { LeadCompany } from '../../crm/organizations/leadCompany.js';
import { readCompanyAnswer } from './companyAnswer.js';

/**
 * The lead intake for anyone not linked as staff: greeting, then name, phone and need, in any
 * order and skippable, then `captureLead`. Answers are stored in the chat session after every
 * step, so a restart in the middle loses nothing.
 */

const FIELDS = ['name', 'phone', 'need'] as const;
/** The intake step of a person whose answers are complete but whose lead was held back (LeadGate). */
const HELD = 'held';
/** "Công ty của bạn?": asked last, only once the team works with organizations. */
const COMPANY = 'company';
type Field = (typeof FIELDS)[number];

interface IntakeData {
  name?: string;
  phone?: string;
  need?: string;
  company?: LeadCompany;
  skipped?: (Field | typeof COMPANY)[];
  sourceCode?: string;
  firstMessage?: string;
  [key: string]: unknown;
}

/** Something that looks like a phone number inside a sentence ("em tên Lan, 0912 345 678"). */
const PHONE_IN_TEXT = /(\+?\d[\d\s.\-()]{6,18}\d)/;

export async function handleProspect(turn: Turn, action: Action | undefined, command: { name: string; arg: string } | undefined): Promise<Reply[]> {
  const { session } = turn;
  const sourceCode = turn.event.startParam?.startsWith('src_') ? turn.event.startParam.slice(4) : undefined;

  // "/stop" or "Hủy" from a known customer: no more campaign messages, on this channel or any other.
  if (isOptOutReply(turn.text) && session.flow !== 'intake') {
    const customer = await customerOfChat(turn);
    if (customer) {
      await optOutEverywhere(customer._id);
      return [{ text: t(turn.lang, 'outreach.optOut.chatDone', { company: turn.companyName }) }];
    }
  }

  if (command && command.name !== 'start') {
    if (command.name === 'cancel') {
      await clearFlow(session);
      return [{ text: t(turn.lang, 'chat.cancelled') }];
    }
    if (command.name === 'help') return [{ text: t(turn.lang, 'chat.greeting', { company: turn.companyName }) }];
    return [{ text: t(turn.lang, 'chat.intake.staffOnly') }];
  }

  if (session.flow !== 'intake') {
    const customer = await customerOfChat(turn);
    if (customer) {
      if (command) return [{ text: t(turn.lang, 'chat.intake.welcomeBack', { company: turn.companyName }) }];
      // A sticker or a photo without a caption: nothing to log or forward.
      if (!turn.text) return [];
      await receiveCustomerMessage(turn, customer, turn.text);
      return [];
    }
    // A new prospect: whatever they wrote first is kept as their first message.
    const data: IntakeData = { skipped: [], sourceCode, firstMessage: command ? undefined : turn.text || undefined };
    if (turn.event.contactPhone) data.phone = turn.event.contactPhone;
    else if (turn.text && !command) absorbPhone(data, turn.text);
    return ask(turn, data, [t(turn.lang, 'chat.greeting', { company: turn.companyName })]);
  }

  const data = { skipped: [], ...session.data } as IntakeData;
  if (command?.name === 'start') {
    // Pressing Start again mid-intake: keep the answers, ask the next question again.
    if (sourceCode) data.sourceCode = sourceCode;
    return ask(turn, data, [t(turn.lang, 'chat.greeting', { company: turn.companyName })]);
  }
  const current = session.step as Field | typeof HELD | typeof COMPANY | undefined;
  // Every answer is in, only the lead was held back (too many from this address): try again now.
  if (current === HELD) return ask(turn, data);
  if (action?.kind === 'skip') {
    if (current && !data.skipped!.includes(current)) data.skipped!.push(current);
    return ask(turn, data);
  }
  if (turn.event.contactPhone) {
    data.phone = tryNormalizePhone(turn.event.contactPhone) ?? turn.event.contactPhone;
    return ask(turn, data);
  }
  if (!turn.text) return ask(turn, data);
  if (current === COMPANY) return answerCompany(turn, data, turn.text);

  const rest = absorbPhone(data, turn.text);
  if (rest === null) {
    // It was meant as a phone number but is not a real one: say so and ask again.
    return [{ ...phoneQuestion(turn.lang), text: `${errorMessage(turn.lang, phoneError(turn.text))}` }];
  }
  if (rest) {
    let target: Field | undefined = current && current !== 'phone' ? current : FIELDS.find((f) => f !== 'phone' && !data[f]);
    // A sentence typed where the name was asked is what they need, not who they are.
    if (target === 'name' && !looksLikeName(rest) && !data.need) target = 'need';
    if (target) data[target] = target === 'name' ? rest.slice(0, 120) : rest.slice(0, 2000);
  }
  return ask(turn, data);
}

/** Vietnamese full names run to four or five words; a longer text, or one with digits, is a sentence. */
function looksLikeName(text: string): boolean {
  return text.length <= 50 && text.split(/\s+/).length <= 5 && !/\d/.test(text);
}

/**
 * Takes a phone number out of a text. Returns the rest of the text, or null when the text is
 * essentially a number that is not a valid phone (so the person is told, not silently ignored).
 */
function absorbPhone(data: IntakeData, text: string): string | null {
  const match = PHONE_IN_TEXT.exec(text);
  const phone = match ? tryNormalizePhone(match[1]) : undefined;
  if (match && phone) {
    data.phone = phone;
    const rest = `${text.slice(0, match.index)} ${text.slice(match.index + match[1].length)}`;
    return rest.replace(/\s+/g, ' ').replace(/^[,.;:\-\s]+|[,.;:\-\s]+$/g, '');
  }
  // Only digits and separators, yet not a valid number: a mistyped phone, not a name or a need.
  if (/^[\d\s.+\-()]+$/.test(text.trim()) && (text.match(/\d/g)?.length ?? 0) >= 3) return null;
  return text.trim();
}

function phoneError(text: string): CrmError {
  return new CrmError('phone.invalid', { input: text.trim().slice(0, 40) });
}

function phoneQuestion(lang: Lang): Reply {
  return {
    text: t(lang, 'chat.intake.askPhone'),
    requestPhone: true,
    requestPhoneLabel: t(lang, 'chat.intake.phoneButton'),
    choices: [{ label: t(lang, 'chat.skip'), data: actionData.skip }],
  };
}

function companyQuestion(lang: Lang): Reply {
  return { text: t(lang, 'chat.intake.askCompany'), choices: [{ label: t(lang, 'chat.skip'), data: actionData.skip }] };
}

async function answerCompany(turn: Turn, data: IntakeData, text: string): Promise<Reply[]> {
  try {
    data.company = readCompanyAnswer(text);
  } catch (err) {
    // A mistyped tax code: say why and ask again; the other answers stay in the session.
    if (isCrmError(err)) return [{ ...companyQuestion(turn.lang), text: `${errorMessage(turn.lang, err)}\n${t(turn.lang, 'chat.intake.askCompany')}` }];
    throw err;
  }
  if (!data.company.name && !data.company.taxCode) return [companyQuestion(turn.lang)];
  return ask(turn, data);
}

function question(lang: Lang, field: Field): Reply {
  if (field === 'phone') return phoneQuestion(lang);
  const text = t(lang, field === 'name' ? 'chat.intake.askName' : 'chat.intake.askNeed');
  return { text, choices: [{ label: t(lang, 'chat.skip'), data: actionData.skip }] };
}

/** Asks the next unanswered question, or, when none is left, captures the lead. */
async function ask(turn: Turn, data: IntakeData, before: string[] = []): Promise<Reply[]> {
  const next = FIELDS.find((f) => !data[f] && !data.skipped?.includes(f));
  const lead: Reply[] = before.map((text) => ({ text }));
  if (next) {
    await setFlow(turn.session, 'intake', next, data);
    return [...lead, question(turn.lang, next)];
  }
  if (!data.company && !data.skipped?.includes(COMPANY) && (await organizationsInUse())) {
    await setFlow(turn.session, 'intake', COMPANY, data);
    return [...lead, companyQuestion(turn.lang)];
  }
  return [...lead, ...(await finish(turn, turn.session, data))];
}

async function finish(turn: Turn, session: Session, data: IntakeData): Promise<Reply[]> {
  const { origin } = turn.event;
  if (origin && turn.deps.leadGate && !turn.deps.leadGate.tryTake(origin, turn.now.getTime())) {
    // Too many new leads from one address: nothing is created, nobody is alerted, and the answers
    // stay in the session, so the person's next message (after a while) completes the intake.
    await setFlow(session, 'intake', HELD, data);
    turn.deps.logger.warn({ channel: turn.event.channel, origin }, 'new lead held back: too many from one address');
    return [{ text: t(turn.lang, 'chat.intake.held') }];
  }
  let captured;
  try {
    captured = await captureLead(
      {
        channel: turn.event.channel,
        chatId: turn.event.chatId,
        name: data.name || turn.event.displayName,
        phone: data.phone,
        need: data.need,
        sourceCode: data.sourceCode,
        language: turn.lang,
        message: data.firstMessage,
        company: data.company,
      },
      turn.now,
    );
  } catch (err) {
    if (isCrmError(err, 'organization.taxCodeInvalid')) {
      delete data.company;
      await setFlow(session, 'intake', COMPANY, data);
      return [{ ...companyQuestion(turn.lang), text: errorMessage(turn.lang, err) }];
    }
    if (isCrmError(err, 'phone.invalid')) {
      delete data.phone;
      await setFlow(session, 'intake', 'phone', data);
      return [{ ...phoneQuestion(turn.lang), text: errorMessage(turn.lang, err) }];
    }
    throw err;
  }
  await clearFlow(session);
  if (captured.owner) {
    await notifyOwnerOfLead(turn.deps, captured.owner, captured.customer._id, turn.event.channel, captured.isNew, turn.timezone);
  }
  const name = data.name?.trim();
  return [{ text: name ? t(turn.lang, 'chat.intake.done', { name, company: turn.companyName }) : t(turn.lang, 'chat.intake.doneNoName', { company: turn.companyName }) }];
}
