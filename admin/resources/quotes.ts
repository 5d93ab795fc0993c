import { populator, type ActionContext, type ActionRequest } from 'adminjs';
import { Quote, QUOTE_STATUSES } from '../../models/quote.js';
import { Customer } from '../../models/customer.js';
import { decideQuote, getQuoteForActor, winWithQuote } from '../../crm/quotes/quotes.js';
import { customerScope } from '../../crm/users/actor.js';
import { actorOf, isStaff } from '../access.js';
import { scopedList, type ListSpec } from '../listQuery.js';
import { onlyVisibleThrough, postThenShow } from '../respond.js';
import { Components } from '../components/index.js';
// Read at request time only, so the import cycle with panel.ts (which lists this resource) is harmless.
import { ROOT_PATH } from '../panel.js';

/** A salesperson lists the quotes of their own customers; managers and admins every quote. */
const quoteListSpec: ListSpec = {
  model: Quote,
  scope: async (context) => {
    const scope = customerScope(actorOf(context));
    if (!Object.keys(scope).length) return {};
    const ids = await Customer.find({ ...scope, deletedAt: null }).distinct('_id');
    return { customer: { $in: ids } };
  },
  defaultSort: { sortBy: 'createdAt', direction: 'desc' },
};

/** Runs before a record action: the quote's customer decides. */
const onlyVisible = onlyVisibleThrough(getQuoteForActor);

/** The customer's answer from the record page: POST only (a GET reads), through crm/quotes. */
function decideAction(icon: string, run: (context: ActionContext) => Promise<{ message: string; options?: Record<string, string> }>) {
  return {
    actionType: 'record' as const,
    icon,
    isAccessible: isStaff,
    before: onlyVisible,
    component: false as const,
    handler: postThenShow((context) => run(context)),
  };
}

export function quoteResource() {
  return {
    resource: Quote,
    options: {
      navigation: { name: 'sales', icon: 'Briefcase' },
      listProperties: ['code', 'customer', 'total', 'status', 'channel', 'sentAt', 'createdBy'],
      showProperties: ['code', 'customer', 'opportunity', 'lines', 'subtotal', 'discountAmount', 'total', 'status', 'channel', 'sentAt', 'decidedAt', 'createdBy', 'pdf'],
      filterProperties: ['status', 'customer', 'createdBy', 'sentAt'],
      sort: { sortBy: 'createdAt', direction: 'desc' },
      properties: {
        subtotal: { type: 'number', components: { list: Components.MoneyValue, show: Components.MoneyValue } },
        discountAmount: { type: 'number', components: { list: Components.MoneyValue, show: Components.MoneyValue } },
        total: { type: 'number', components: { list: Components.MoneyValue, show: Components.MoneyValue } },
        status: { availableValues: QUOTE_STATUSES.map((s) => ({ value: s, label: s })) },
        pdf: { type: 'string', components: { show: Components.QuotePdfLink }, isVisible: { list: false, show: true, edit: false, filter: false } },
        lines: { components: { show: Components.QuoteLines } },
        pdfFileId: { isVisible: false },
        pdfSize: { isVisible: false },
        discountKind: { isVisible: false },
        discountValue: { isVisible: false },
      },
      actions: {
        list: { isAccessible: isStaff, handler: scopedList(quoteListSpec) },
        search: { isAccessible: false, isVisible: false },
        show: {
          isAccessible: isStaff,
          before: onlyVisible,
          handler: async (_request: ActionRequest, _res: unknown, context: ActionContext) => {
            const [record] = await populator([context.record!], context);
            const json = record.toJSON(context.currentAdmin);
            return { record: { ...json, params: { ...json.params, pdf: `${ROOT_PATH}/quotes/${record.id()}/pdf` } } };
          },
        },
        // Quotes are built in the chat and kept as sent: the panel reads them and records the answer.
        new: { isAccessible: false, isVisible: false },
        edit: { isAccessible: false, isVisible: false },
        delete: { isAccessible: false, isVisible: false },
        bulkDelete: { isAccessible: false, isVisible: false },
        accept: decideAction('Check', async (context): Promise<{ message: string; options: Record<string, string> }> => {
          const result = await decideQuote(actorOf(context), String(context.record!.id()), 'accepted');
          return result.offerWin
            ? { message: 'quoteAcceptedOfferWin', options: { code: result.quote.code, opportunity: result.offerWin.code } }
            : { message: 'quoteAccepted', options: { code: result.quote.code } };
        }),
        reject: decideAction('X', async (context) => {
          const result = await decideQuote(actorOf(context), String(context.record!.id()), 'rejected');
          return { message: 'quoteRejected', options: { code: result.quote.code } };
        }),
        winOpportunity: decideAction('Award', async (context) => {
          const win = await winWithQuote(actorOf(context), String(context.record!.id()));
          return { message: 'quoteWon', options: { opportunity: win.opportunity.code } };
        }),
      },
    },
  };
}
