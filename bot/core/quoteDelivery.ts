import { getCustomerForActor } from '../../crm/customers/customers.js';
import { lastInboundChannel } from '../../crm/interactions/lastInboundChannel.js';
import { markQuoteSent, type IssuedQuote, type QuoteRecord } from '../../crm/quotes/quotes.js';
import { formatVnd } from '../../crm/shared/money.js';
import type { Actor } from '../../crm/users/actor.js';
import { CHAT_CHANNELS, type ChatChannel } from '../../models/channels.js';
import { t, type Lang } from '../../i18n/index.js';
import { actionData } from './actions.js';
import type { CoreDeps } from './turn.js';
import type { Choice, Reply, ReplyDocument } from './types.js';

const CHANNEL_NAMES: Record<ChatChannel, string> = { telegram: 'Telegram', zalo_oa: 'Zalo OA', zalo_bot: 'Zalo Bot', web: 'Website' };
/** Telegram's cap on a document's caption. */
const MAX_CAPTION = 1024;

/**
 * What the customer reads with the PDF, and instead of it where their channel cannot carry files
 * (Zalo, the web chat): the code, the lines and the total, in the quote's language.
 */
export function quoteCaption(quote: QuoteRecord, companyName: string, lang: Lang): string {
  const money = (n: number) => formatVnd(n, lang);
  const lines = quote.lines.slice(0, 10).map((l, i) => `${i + 1}. ${l.name} — ${l.quantity} ${l.unit ?? ''} × ${money(l.unitPrice)}`.replace(/\s+×/, ' ×'));
  if (quote.lines.length > 10) lines.push('…');
  const text = [t(lang, 'quote.caption', { code: quote.code, company: companyName, total: money(quote.total) }), ...lines].join('\n');
  return text.length > MAX_CAPTION ? `${text.slice(0, MAX_CAPTION - 1)}…` : text;
}

/** The buttons on a sent quote's message: the customer's answer. */
export function quoteStatusChoices(quote: { _id: unknown }, lang: Lang): Choice[] {
  return [
    { label: t(lang, 'quote.action.accept'), data: actionData.quoteAccept(quote._id) },
    { label: t(lang, 'quote.action.reject'), data: actionData.quoteReject(quote._id) },
  ];
}

/**
 * Delivers an issued quote: to the customer on their chat channel (the one they last wrote on),
 * or to the salesperson to forward. A channel that carries no files gets the summary and the
 * salesperson the PDF; a refused send falls back to the salesperson. Logged once as sent.
 * Returns the replies for the salesperson's own chat.
 */
export async function deliverQuote(deps: Pick<CoreDeps, 'notifier' | 'logger'>, actor: Actor, issued: IssuedQuote, to: 'customer' | 'me', staffLang: Lang, companyName: string, now: Date): Promise<Reply[]> {
  const { quote } = issued;
  const document: ReplyDocument = { filename: issued.filename, mime: 'application/pdf', bytes: issued.pdf };
  const total = formatVnd(quote.total, staffLang);
  const caption = quoteCaption(quote, companyName, issued.lang);
  const toMe = (text: string): Reply[] => [{ text, document, choices: quoteStatusChoices(quote, staffLang) }];
  const params = { code: quote.code, total, name: issued.customerName };
  if (to === 'me') {
    await markQuoteSent(actor, quote._id, 'staff', now);
    return toMe(t(staffLang, 'quote.sent.staff', params));
  }
  const customer = await getCustomerForActor(actor, quote.customer);
  const chatIds = (customer.chatIds ?? {}) as Partial<Record<ChatChannel, string | null>>;
  const unreachable = (customer.unreachable ?? {}) as Partial<Record<ChatChannel, boolean | null>>;
  const wanted = await lastInboundChannel(customer._id);
  const channel = wanted && chatIds[wanted] && !unreachable[wanted] ? wanted : CHAT_CHANNELS.find((c) => chatIds[c] && !unreachable[c] && deps.notifier.sender(c));
  const outcome = channel ? await deps.notifier.sendToCustomer(customer._id, [{ text: caption, document }], { channel }) : undefined;
  if (!outcome?.channel || !outcome.result.ok) {
    const reason = outcome && !outcome.result.ok ? outcome.result.reason : 'not_configured';
    deps.logger.warn({ quote: quote.code, reason }, 'quote not delivered to the customer');
    await markQuoteSent(actor, quote._id, 'staff', now);
    return toMe(t(staffLang, 'quote.sent.failed', { ...params, reason }));
  }
  await markQuoteSent(actor, quote._id, outcome.channel, now);
  const sent = t(staffLang, 'quote.sent.customer', { ...params, channel: CHANNEL_NAMES[outcome.channel] });
  // The customer got the summary only: the salesperson gets the file to forward as well.
  if (!deps.notifier.sender(outcome.channel)?.sendsDocuments) return toMe(`${sent}\n${t(staffLang, 'quote.sent.staff', params)}`);
  return [{ text: sent, choices: quoteStatusChoices(quote, staffLang) }];
}
