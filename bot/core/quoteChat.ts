import { getCustomerForActor } from '../../crm/customers/customers.js';
import { getOpportunityForActor } from '../../crm/opportunities/opportunities.js';
import { getProduct, listActiveProducts } from '../../crm/products/products.js';
import { decideQuote, issueQuote, listQuotesOfCustomer, MAX_QUOTE_LINES, winWithQuote } from '../../crm/quotes/quotes.js';
import { quoteTotals, readDiscount, readQuantity, readTypedLine, lineTotal, type Discount } from '../../crm/quotes/quoteMath.js';
import { CrmError, isCrmError } from '../../crm/shared/errors.js';
import { formatVnd } from '../../crm/shared/money.js';
import { errorMessage, t, type Lang } from '../../i18n/index.js';
import { actionData, parseAction, type Action } from './actions.js';
import { deliverQuote } from './quoteDelivery.js';
import { clearFlow, setFlow } from './session.js';
import type { StaffTurn } from './turn.js';
import type { Choice, Reply } from './types.js';
import { cancelChoice } from './choices.js';

/**
 * Quotes in the chat, the same on every channel: `/quote` (or 📄 on a customer or opportunity
 * card) collects lines — products picked from the list, found by typed words, or typed in full —
 * then quantities, a discount, and shows the total for confirmation. crm/quotes records it, renders
 * the PDF and checks who may quote whom; bot/core/quoteDelivery.ts sends it.
 */

export type QuoteAction = Extract<Action, { kind: `quote${string}` }>;

export function isQuoteAction(action: Action): action is QuoteAction {
  return action.kind.startsWith('quote');
}

/** The flow this module owns, as the `flow` name in the chat session. */
export const QUOTE_FLOWS = ['quote'];

const PER_PAGE = 6;

interface DraftLine {
  productId?: string;
  name: string;
  unit: string;
  quantity: number;
  unitPrice: number;
}

interface QuoteDraft {
  customerId: string;
  opportunityId?: string;
  customerName: string;
  lines: DraftLine[];
  query?: string;
  page?: number;
  pendingProductId?: string;
  discount?: Discount;
}

/** `/quote` while a customer or opportunity card is open: its buttons say which one. */
export async function quoteCommand(turn: StaffTurn): Promise<Reply[]> {
  for (const choice of [...turn.session.lastChoices].reverse()) {
    const a = parseAction(choice.data);
    if (a?.kind === 'quoteNew' || a?.kind === 'stageMenu') return startQuote(turn, a.customerId);
    if (a?.kind === 'quoteNewForOpportunity' || a?.kind === 'oppMoveMenu') return startQuoteForOpportunity(turn, a.opportunityId);
  }
  return [{ text: t(turn.lang, 'quote.needCard') }];
}

async function startQuote(turn: StaffTurn, customerId: string, opportunityId?: string): Promise<Reply[]> {
  const customer = await getCustomerForActor(turn.actor, customerId);
  const draft: QuoteDraft = { customerId: String(customer._id), opportunityId, customerName: customer.name, lines: [], page: 0 };
  return [...(await waitingQuotes(turn, customer._id)), ...(await showLines(turn, draft))];
}

/** Quotes sent and not yet answered, with the customer's answer as buttons: one tap from the card. */
async function waitingQuotes(turn: StaffTurn, customerId: unknown): Promise<Reply[]> {
  const { lang } = turn;
  const waiting = await listQuotesOfCustomer(turn.actor, customerId, 3, 'sent');
  if (!waiting.length) return [];
  const lines = waiting.map((q) => t(lang, 'quote.waiting.line', { code: q.code, total: formatVnd(q.total, lang) }));
  const choices = waiting.flatMap((q) => [
    { label: `✅ ${q.code}`, data: actionData.quoteAccept(q._id) },
    { label: `❌ ${q.code}`, data: actionData.quoteReject(q._id) },
  ]);
  return [{ text: [t(lang, 'quote.waiting'), ...lines].join('\n'), choices }];
}

async function startQuoteForOpportunity(turn: StaffTurn, opportunityId: string): Promise<Reply[]> {
  const opportunity = await getOpportunityForActor(turn.actor, opportunityId);
  if (!opportunity.customer) throw new CrmError('opportunity.targetRequired');
  return startQuote(turn, String(opportunity.customer), String(opportunity._id));
}

function lineText(lang: Lang, l: DraftLine, n: number): string {
  return t(lang, 'quote.line', { n, name: l.name, quantity: l.quantity.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-US'), unit: l.unit, price: formatVnd(l.unitPrice, lang), total: formatVnd(lineTotal(l), lang) }).replace(/ {2,}/g, ' ');
}

/** The building screen: lines so far, then a page of products (all, or those matching the search). */
async function showLines(turn: StaffTurn, draft: QuoteDraft, header?: string): Promise<Reply[]> {
  const { lang } = turn;
  await setFlow(turn.session, 'quote', 'lines', { ...draft, pendingProductId: undefined });
  const page = draft.page ?? 0;
  const { products, more } = await listActiveProducts({ query: draft.query, page, perPage: PER_PAGE });
  const text: string[] = [];
  if (header) text.push(header, '');
  text.push(t(lang, 'quote.build.title', { name: draft.customerName }));
  if (draft.lines.length) text.push('', t(lang, 'quote.build.lines'), ...draft.lines.map((l, i) => lineText(lang, l, i + 1)));
  text.push('');
  if (draft.query && !products.length) text.push(t(lang, 'quote.build.none', { query: draft.query }));
  else if (!draft.query && !products.length) text.push(t(lang, 'quote.build.empty'));
  else {
    if (draft.query) text.push(t(lang, 'quote.build.found', { query: draft.query }));
    text.push(t(lang, 'quote.build.help'));
  }
  const choices: Choice[] = products.map((p) => ({ label: `${p.name.slice(0, 40)} · ${formatVnd(p.price, lang)}${p.unit ? `/${p.unit}` : ''}`, data: actionData.quoteProduct(p._id) }));
  if (page > 0) choices.push({ label: t(lang, 'quote.action.prev'), data: actionData.quotePage(page - 1) });
  if (more) choices.push({ label: t(lang, 'quote.action.next'), data: actionData.quotePage(page + 1) });
  if (draft.query) choices.push({ label: t(lang, 'quote.action.all'), data: actionData.quoteAll });
  if (draft.lines.length) choices.push({ label: t(lang, 'quote.action.done'), data: actionData.quoteDone });
  choices.push(cancelChoice(lang));
  return [{ text: text.join('\n'), choices }];
}

function draftOf(turn: StaffTurn): QuoteDraft | undefined {
  return turn.session.flow === 'quote' ? (turn.session.data as unknown as QuoteDraft) : undefined;
}

function addLine(draft: QuoteDraft, line: DraftLine): QuoteDraft {
  if (draft.lines.length >= MAX_QUOTE_LINES) throw new CrmError('quote.tooManyLines', { max: MAX_QUOTE_LINES });
  return { ...draft, lines: [...draft.lines, line], query: undefined, page: 0 };
}

function summary(turn: StaffTurn, draft: QuoteDraft): string {
  const { lang } = turn;
  const totals = quoteTotals(draft.lines, draft.discount);
  const money = (n: number) => formatVnd(n, lang);
  const lines = [t(lang, 'quote.confirm', { name: draft.customerName }), ...draft.lines.map((l, i) => lineText(lang, l, i + 1)), '', t(lang, 'quote.subtotal', { amount: money(totals.subtotal) })];
  if (totals.discountAmount) lines.push(t(lang, 'quote.discount', { percent: draft.discount?.kind === 'percent' ? ` ${draft.discount.value}%` : '', amount: money(totals.discountAmount) }));
  lines.push(t(lang, 'quote.total', { amount: money(totals.total) }));
  return lines.join('\n');
}

async function askDiscount(turn: StaffTurn, draft: QuoteDraft): Promise<Reply[]> {
  if (!draft.lines.length) throw new CrmError('quote.noLines');
  await setFlow(turn.session, 'quote', 'discount', { ...draft });
  const subtotal = formatVnd(quoteTotals(draft.lines).subtotal, turn.lang);
  return [{ text: t(turn.lang, 'quote.ask.discount', { subtotal }), choices: [{ label: t(turn.lang, 'chat.skip'), data: actionData.skip }, cancelChoice(turn.lang)] }];
}

async function askConfirm(turn: StaffTurn, draft: QuoteDraft): Promise<Reply[]> {
  const { lang } = turn;
  await setFlow(turn.session, 'quote', 'confirm', { ...draft });
  const customer = await getCustomerForActor(turn.actor, draft.customerId);
  const reachable = Object.values((customer.chatIds ?? {}) as Record<string, string | null>).some(Boolean);
  const choices: Choice[] = [];
  if (reachable) choices.push({ label: t(lang, 'quote.action.sendCustomer'), data: actionData.quoteSend('customer') });
  choices.push({ label: t(lang, 'quote.action.sendMe'), data: actionData.quoteSend('me') }, cancelChoice(lang));
  return [{ text: `${summary(turn, draft)}\n\n${t(lang, 'quote.confirm.how')}`, choices }];
}

export async function runQuoteAction(turn: StaffTurn, action: QuoteAction): Promise<Reply[]> {
  const { lang } = turn;
  const draft = draftOf(turn);
  switch (action.kind) {
    case 'quoteNew':
      await clearFlow(turn.session);
      return startQuote(turn, action.customerId);
    case 'quoteNewForOpportunity':
      await clearFlow(turn.session);
      return startQuoteForOpportunity(turn, action.opportunityId);
    case 'quoteProduct': {
      if (!draft) return [{ text: t(lang, 'quote.needCard') }];
      const product = await getProduct(action.productId);
      if (!product.active) throw new CrmError('notFound.product');
      await setFlow(turn.session, 'quote', 'quantity', { ...draft, pendingProductId: String(product._id) });
      return [{ text: t(lang, 'quote.ask.quantity', { name: product.name, unit: product.unit || '—', price: formatVnd(product.price, lang) }) }];
    }
    case 'quotePage':
      if (!draft) return [{ text: t(lang, 'quote.needCard') }];
      return showLines(turn, { ...draft, page: action.page });
    case 'quoteAll':
      if (!draft) return [{ text: t(lang, 'quote.needCard') }];
      return showLines(turn, { ...draft, query: undefined, page: 0 });
    case 'quoteDone':
      if (!draft) return [{ text: t(lang, 'quote.needCard') }];
      return askDiscount(turn, draft);
    case 'quoteSend': {
      if (!draft || turn.session.step !== 'confirm') return [{ text: t(lang, 'quote.needCard') }];
      const issued = await issueQuote(
        turn.actor,
        {
          customerId: draft.customerId,
          opportunityId: draft.opportunityId,
          lines: draft.lines.map((l) => (l.productId ? { productId: l.productId, quantity: l.quantity } : { name: l.name, unit: l.unit, quantity: l.quantity, unitPrice: l.unitPrice })),
          discount: draft.discount,
        },
        turn.now,
      );
      // The quote is recorded: a second tap on an old confirm button must not issue another.
      await clearFlow(turn.session);
      return deliverQuote(turn.deps, turn.actor, issued, action.to, lang, turn.companyName, turn.now);
    }
    case 'quoteAccept':
    case 'quoteReject': {
      const status = action.kind === 'quoteAccept' ? 'accepted' : 'rejected';
      const result = await decideQuote(turn.actor, action.quoteId, status, turn.now);
      const code = result.quote.code;
      const replies: Reply[] = [{ text: t(lang, result.changed ? (status === 'accepted' ? 'quote.status.accepted' : 'quote.status.rejected') : 'quote.status.already', { code }) }];
      if (result.offerWin) {
        const amount = formatVnd(result.offerWin.amount, lang);
        replies.push({
          text: t(lang, 'quote.offerWin', { code: result.offerWin.code, amount }),
          choices: [{ label: t(lang, 'quote.action.win', { code: result.offerWin.code, amount }), data: actionData.quoteWin(result.quote._id) }],
        });
      }
      return replies;
    }
    case 'quoteWin': {
      const win = await winWithQuote(turn.actor, action.quoteId, turn.now);
      const header = win.changed
        ? t(lang, 'opp.win.done', { code: win.opportunity.code, amount: formatVnd(win.amount, lang) })
        : t(lang, 'opp.win.already', { code: win.opportunity.code });
      return [{ text: header, choices: [{ label: t(lang, 'opp.action.customer'), data: actionData.open(win.opportunity.customer) }] }];
    }
  }
}

/** The next answer while a quote is being built; a refusal is told and the same question stays open. */
export async function continueQuoteFlow(turn: StaffTurn, action?: Action): Promise<Reply[]> {
  const { lang, text } = turn;
  const draft = draftOf(turn)!;
  const retry = (e: unknown, choices: Choice[] = [cancelChoice(lang)]): Reply[] => {
    if (!isCrmError(e)) throw e;
    return [{ text: errorMessage(lang, e), choices }];
  };
  switch (turn.session.step) {
    case 'lines': {
      if (!text) return showLines(turn, draft);
      let typed;
      try {
        typed = readTypedLine(text);
      } catch (e) {
        return retry(e);
      }
      // Not a whole line: the words are a search in the product list.
      if (!typed) return showLines(turn, { ...draft, query: text.slice(0, 60), page: 0 });
      const next = addLine(draft, { name: typed.name, unit: typed.unit ?? '', quantity: typed.quantity, unitPrice: typed.unitPrice });
      return showLines(turn, next);
    }
    case 'quantity': {
      let quantity;
      try {
        quantity = readQuantity(text).quantity;
      } catch (e) {
        return retry(e, []);
      }
      const product = await getProduct(draft.pendingProductId);
      const next = addLine(draft, { productId: String(product._id), name: product.name, unit: product.unit ?? '', quantity, unitPrice: product.price });
      return showLines(turn, next);
    }
    case 'discount': {
      let discount: Discount | undefined;
      if (action?.kind !== 'skip') {
        try {
          discount = readDiscount(text);
        } catch (e) {
          return retry(e, [{ label: t(lang, 'chat.skip'), data: actionData.skip }, cancelChoice(lang)]);
        }
      }
      return askConfirm(turn, { ...draft, discount });
    }
    case 'confirm':
      return askConfirm(turn, draft);
    default:
      await clearFlow(turn.session);
      return [];
  }
}
