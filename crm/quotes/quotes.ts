import type { Types } from 'mongoose';
import { Quote, type QuoteFields, type QuoteStatus } from '../../models/quote.js';
import { Opportunity } from '../../models/opportunity.js';
import { CrmError } from '../shared/errors.js';
import { sameId, toObjectId } from '../shared/ids.js';
import { formatVnd } from '../shared/money.js';
import { actorUserId, type Actor } from '../users/actor.js';
import { getCustomerForActor } from '../customers/customers.js';
import { formatPhone } from '../customers/phone.js';
import { getOpportunityForActor } from '../opportunities/opportunities.js';
import { winOpportunity, type WinResult } from '../opportunities/closeOpportunity.js';
import { logInteraction } from '../interactions/interactions.js';
import { getSettings } from '../settings/settings.js';
import { readCompanyLogo } from '../settings/companyLogo.js';
import { getProduct } from '../products/products.js';
import { t, isLang, type Lang } from '../../i18n/index.js';
import type { ChatChannel } from '../../models/channels.js';
import { lineTotal, quoteTotals, type Discount } from './quoteMath.js';
import { nextQuoteCode } from './quoteCodes.js';
import { renderQuotePdf } from './quotePdf.js';
import { readQuotePdf, storeQuotePdf } from './quoteFiles.js';

export type QuoteRecord = QuoteFields & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

/** A quote longer than this is a contract, not a chat quote; it also bounds the PDF's size. */
export const MAX_QUOTE_LINES = 50;

/** A line as the chat or the panel gives it: a product from the list, or typed in full. */
export interface QuoteLineInput {
  productId?: string;
  name?: string;
  unit?: string;
  quantity: number;
  unitPrice?: number;
}

export interface QuoteInput {
  customerId: unknown;
  opportunityId?: unknown;
  lines: QuoteLineInput[];
  discount?: Discount;
}

async function resolveLine(l: QuoteLineInput) {
  if (!(Number(l.quantity) > 0) || Number(l.quantity) > 1e6) throw new CrmError('quote.quantityInvalid');
  const quantity = Number(l.quantity);
  if (l.productId) {
    const p = await getProduct(l.productId);
    const line = { product: p._id, name: p.name, unit: p.unit ?? '', quantity, unitPrice: p.price };
    return { ...line, total: lineTotal(line) };
  }
  const name = String(l.name ?? '').replace(/\s+/g, ' ').trim().slice(0, 200);
  const unitPrice = Number(l.unitPrice);
  if (!name || !Number.isInteger(unitPrice) || unitPrice < 0 || unitPrice > 1e15) throw new CrmError('quote.lineInvalid');
  const line = { name, unit: String(l.unit ?? '').trim().slice(0, 30), quantity, unitPrice };
  return { ...line, total: lineTotal(line) };
}

export interface IssuedQuote {
  quote: QuoteRecord;
  pdf: Buffer;
  filename: string;
  customerName: string;
  lang: Lang;
}

/**
 * Records a quote for a customer the actor may act on (and one of that customer's opportunities),
 * computes its totals in whole đồng, renders the PDF and stores it. The quote stays a draft until
 * it is delivered (markQuoteSent), so a failed send can be retried without a second code.
 */
export async function issueQuote(actor: Actor, input: QuoteInput, now = new Date()): Promise<IssuedQuote> {
  const customer = await getCustomerForActor(actor, input.customerId);
  let opportunity: { _id: Types.ObjectId; name: string } | undefined;
  if (input.opportunityId) {
    const o = await getOpportunityForActor(actor, input.opportunityId);
    if (!sameId(o.customer, customer._id)) throw new CrmError('forbidden');
    opportunity = o;
  }
  if (!input.lines?.length) throw new CrmError('quote.noLines');
  if (input.lines.length > MAX_QUOTE_LINES) throw new CrmError('quote.tooManyLines', { max: MAX_QUOTE_LINES });
  const lines = [];
  for (const l of input.lines) lines.push(await resolveLine(l));
  const totals = quoteTotals(lines, input.discount);
  const settings = await getSettings();
  const lang: Lang = isLang(settings.defaultLanguage) ? settings.defaultLanguage : 'vi';
  const created = await Quote.create({
    code: await nextQuoteCode(),
    customer: customer._id,
    opportunity: opportunity?._id,
    lines,
    ...totals,
    discountKind: totals.discountAmount ? input.discount?.kind : undefined,
    discountValue: totals.discountAmount ? input.discount?.value : undefined,
    status: 'draft',
    createdBy: actorUserId(actor),
  });
  const pdf = await renderQuotePdf({
    code: created.code,
    createdAt: now,
    customer: { name: customer.name, phone: customer.phones?.[0] ? formatPhone(customer.phones[0]) : undefined },
    opportunityName: opportunity?.name,
    lines,
    ...totals,
    discountKind: input.discount?.kind,
    discountValue: input.discount?.value,
    staffName: actor.kind === 'user' ? actor.name : undefined,
    company: { name: settings.companyName, logo: await readCompanyLogo() },
    lang,
    timezone: settings.timezone,
  });
  const filename = `${created.code}.pdf`;
  const pdfFileId = await storeQuotePdf(filename, pdf, { quote: created._id });
  const quote = (await Quote.findByIdAndUpdate(created._id, { $set: { pdfFileId, pdfSize: pdf.length } }, { returnDocument: 'after', lean: true })) as QuoteRecord;
  return { quote, pdf, filename, customerName: customer.name, lang };
}

/** A quote the actor may see: the one of a customer they may act on. */
export async function getQuoteForActor(actor: Actor, id: unknown): Promise<QuoteRecord> {
  const quote = (await Quote.findById(toObjectId(id, 'notFound.quote')).lean()) as QuoteRecord | null;
  if (!quote) throw new CrmError('notFound.quote');
  await getCustomerForActor(actor, quote.customer);
  return quote;
}

export async function getQuotePdf(actor: Actor, id: unknown): Promise<{ quote: QuoteRecord; pdf: Buffer; filename: string }> {
  const quote = await getQuoteForActor(actor, id);
  if (!quote.pdfFileId) throw new CrmError('notFound.quote');
  return { quote, pdf: await readQuotePdf(quote.pdfFileId), filename: `${quote.code}.pdf` };
}

export async function listQuotesOfCustomer(actor: Actor, customerId: unknown, limit = 20, status?: QuoteStatus): Promise<QuoteRecord[]> {
  const customer = await getCustomerForActor(actor, customerId);
  return (await Quote.find({ customer: customer._id, ...(status ? { status } : {}) }).sort({ createdAt: -1 }).limit(limit).lean()) as QuoteRecord[];
}

/**
 * Marks a draft delivered (to the customer's channel, or to the salesperson to forward: `staff`)
 * and logs it on the customer's history. Once only: a second call finds it sent and changes nothing.
 */
export async function markQuoteSent(actor: Actor, id: unknown, channel: ChatChannel | 'staff', now = new Date()): Promise<QuoteRecord> {
  const quote = await getQuoteForActor(actor, id);
  const sent = (await Quote.findOneAndUpdate({ _id: quote._id, status: 'draft' }, { $set: { status: 'sent', sentAt: now, channel } }, { returnDocument: 'after', lean: true })) as QuoteRecord | null;
  if (!sent) return quote;
  const lang = (await getSettings()).defaultLanguage;
  const text = t(lang, 'quote.log', { code: sent.code, total: formatVnd(sent.total, isLang(lang) ? lang : 'vi') });
  if (channel === 'staff') await logInteraction(actor, sent.customer, { type: 'note', text, occurredAt: now, countsAsContact: false });
  else await logInteraction(actor, sent.customer, { type: 'message_out', text, channel, occurredAt: now });
  return sent;
}

export interface DecisionResult {
  quote: QuoteRecord;
  changed: boolean;
  /** Accepted, for an opportunity still open: the chat and the panel offer to win it with the quote total. */
  offerWin?: { opportunityId: Types.ObjectId; code: string; amount: number };
}

/** The customer's answer to a sent quote; a mistaken answer can be turned into the other one. */
export async function decideQuote(actor: Actor, id: unknown, status: Extract<QuoteStatus, 'accepted' | 'rejected'>, now = new Date()): Promise<DecisionResult> {
  if (status !== 'accepted' && status !== 'rejected') throw new CrmError('invalid', { field: 'status' });
  const quote = await getQuoteForActor(actor, id);
  if (quote.status === 'draft') throw new CrmError('quote.notSent');
  let current = quote;
  let changed = false;
  if (quote.status !== status) {
    const updated = (await Quote.findOneAndUpdate(
      { _id: quote._id, status: { $in: ['sent', 'accepted', 'rejected'] } },
      { $set: { status, decidedAt: now } },
      { returnDocument: 'after', lean: true },
    )) as QuoteRecord | null;
    if (!updated) throw new CrmError('quote.notSent');
    current = updated;
    changed = true;
  }
  let offerWin: DecisionResult['offerWin'];
  if (status === 'accepted' && current.opportunity) {
    const o = await Opportunity.findById(current.opportunity).select('code status').lean();
    if (o?.status === 'open') offerWin = { opportunityId: o._id, code: o.code, amount: current.total };
  }
  return { quote: current, changed, offerWin };
}

/** Wins the quote's opportunity with the quote total, through the one win the chat and the board use. */
export async function winWithQuote(actor: Actor, id: unknown, now = new Date()): Promise<WinResult & { amount: number }> {
  const quote = await getQuoteForActor(actor, id);
  if (quote.status !== 'accepted' || !quote.opportunity) throw new CrmError('quote.notSent');
  return { ...(await winOpportunity(actor, quote.opportunity, { amount: quote.total, now })), amount: quote.total };
}
