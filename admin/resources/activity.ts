import { populator, ForbiddenError, type ActionContext, type ActionRequest } from 'adminjs';
import { Interaction } from '../../models/interaction.js';
import { FollowUp, FOLLOW_UP_TYPES, RECURRENCES } from '../../models/followUp.js';
import { Deal } from '../../models/deal.js';
import { Customer } from '../../models/customer.js';
import { completeFollowUp, rescheduleFollowUp, cancelFollowUp } from '../../crm/followups/followups.js';
import { recordAudit } from '../../crm/audit/audit.js';
import { actorOf, adminOf, isStaff } from '../access.js';
import { scopedList } from '../listQuery.js';
import { crmNotice, optional, payloadOf, postThenShow } from '../respond.js';
import { Components } from '../components/index.js';
import { getSettings } from '../../crm/settings/settings.js';
import { scheduleFollowUpFromForm } from './customerPage.js';
import { DateTime } from 'luxon';

/** Lists of what happened; they are written by the chat and the services, so the panel only reads them. */
const readOnly = {
  new: { isAccessible: false, isVisible: false },
  edit: { isAccessible: false, isVisible: false },
  delete: { isAccessible: false, isVisible: false },
  bulkDelete: { isAccessible: false, isVisible: false },
};

const salesId = (context: ActionContext) => {
  const admin = adminOf(context);
  return admin?.role === 'sales' ? admin.id : undefined;
};

/** Owner-scoped record access (follow-ups, deals): a salesperson opens only their own. */
const ownsRecord = (context: ActionContext) => {
  const admin = adminOf(context);
  if (!admin) return false;
  return admin.role !== 'sales' || !context.record || String(context.record.param('owner')) === admin.id;
};

/** A show handler that checks, with a query, that the record is the salesperson's to see. */
function guardedShow(visible: (context: ActionContext) => Promise<boolean>) {
  return async (_request: ActionRequest, _res: unknown, context: ActionContext) => {
    if (!(await visible(context))) throw new ForbiddenError();
    const [record] = await populator([context.record!], context);
    return { record: record.toJSON(context.currentAdmin) };
  };
}

export function interactionResource() {
  return {
    resource: Interaction,
    options: {
      navigation: { name: 'crm', icon: 'MessageCircle' },
      listProperties: ['occurredAt', 'customer', 'user', 'type', 'channel', 'text'],
      filterProperties: ['customer', 'user', 'type', 'channel', 'occurredAt'],
      // AdminJS reads a dotted key such as `delivery.status` as a path in its translations and fell
      // back to English labels for the sub-fields; the interaction's outcome already says sent or failed.
      properties: { delivery: { isVisible: false } },
      sort: { sortBy: 'occurredAt', direction: 'desc' },
      actions: {
        ...readOnly,
        list: {
          isAccessible: isStaff,
          handler: scopedList({
            model: Interaction,
            defaultSort: { sortBy: 'occurredAt', direction: 'desc' },
            // Interactions belong to customers: a salesperson sees those of their own customers.
            scope: async (context) => {
              const owner = salesId(context);
              return owner ? { customer: { $in: await Customer.distinct('_id', { owner, deletedAt: null }) } } : {};
            },
          }),
        },
        show: {
          isAccessible: isStaff,
          handler: guardedShow(async (context) => {
            const owner = salesId(context);
            if (!owner) return true;
            return Boolean(await Customer.exists({ _id: context.record!.param('customer'), owner }));
          }),
        },
      },
    },
  };
}

function followUpAction(run: (context: ActionContext, p: Record<string, any>) => Promise<unknown>, message: string, fields: unknown[]) {
  return {
    actionType: 'record',
    isAccessible: (context: ActionContext) => ownsRecord(context) && ['scheduled', 'open'].includes(String(context.record?.param('status') ?? 'open')),
    component: Components.ActionForm,
    custom: { fields },
    handler: postThenShow(
      async (context, p) => {
        await run(context, p);
        await recordAudit(actorOf(context), { subject: 'followUp', action: message, recordId: String(context.record!.id()) });
        return { message: 'successfullyUpdated' };
      },
      (context) => followUpTitle(context.record!.params),
    ),
  };
}

/**
 * What a follow-up form is about, as a person says it: the customer's name and the time in the
 * company's zone. AdminJS would show the record id ("Huỷ lịch: 6b0e4c58…").
 */
async function followUpTitle(params: Record<string, unknown>): Promise<string> {
  const [customer, { timezone }] = await Promise.all([Customer.findById(params.customer).select('name').lean(), getSettings()]);
  const due = params.dueAt ? DateTime.fromJSDate(new Date(String(params.dueAt)), { zone: timezone }).toFormat('HH:mm dd/MM/yyyy') : '';
  return [customer?.name, due].filter(Boolean).join(' · ');
}

/** "New" on the follow-up list: pick a customer (only one's own, for a salesperson) and a time. */
const newFollowUp = {
  isAccessible: isStaff,
  isVisible: true,
  component: Components.FollowUpForm,
  handler: async (request: ActionRequest, _res: unknown, context: ActionContext) => {
    const { h, resource } = context;
    // The form asks once for the company's zone (its time input is read in that zone) and the choices.
    if (request.method !== 'post') return { record: {}, form: { timezone: (await getSettings()).timezone, types: FOLLOW_UP_TYPES, recurrences: RECURRENCES } };
    const p = payloadOf(request);
    try {
      const followUp = await scheduleFollowUpFromForm(actorOf(context), optional(p.customer), p);
      await recordAudit(actorOf(context), { subject: 'followUp', action: 'create', recordId: String(followUp._id) });
      return {
        record: {},
        redirectUrl: h.recordActionUrl({ resourceId: resource.id(), recordId: String(followUp._id), actionName: 'show' }),
        notice: { message: 'successfullyCreated', type: 'success' },
      };
    } catch (e) {
      return { record: {}, notice: crmNotice(e) };
    }
  },
};

export function followUpResource() {
  return {
    resource: FollowUp,
    options: {
      navigation: { name: 'crm', icon: 'Calendar' },
      listProperties: ['dueAt', 'customer', 'owner', 'type', 'status', 'note'],
      filterProperties: ['customer', 'owner', 'type', 'status', 'dueAt'],
      showProperties: ['customer', 'owner', 'type', 'dueAt', 'status', 'recurrence', 'note', 'completedAt', 'createdAt'],
      sort: { sortBy: 'dueAt', direction: 'asc' },
      actions: {
        ...readOnly,
        list: {
          isAccessible: isStaff,
          handler: scopedList({
            model: FollowUp,
            defaultSort: { sortBy: 'dueAt', direction: 'asc' },
            scope: (context) => (salesId(context) ? { owner: salesId(context) } : {}),
          }),
        },
        new: newFollowUp,
        show: { isAccessible: ownsRecord },
        complete: followUpAction((context, p) => completeFollowUp(actorOf(context), context.record!.id(), { note: optional(p.note) }), 'complete', [
          { name: 'note', type: 'textarea' },
        ]),
        reschedule: followUpAction(
          (context, p) => rescheduleFollowUp(actorOf(context), context.record!.id(), new Date(String(p.dueAt ?? ''))),
          'reschedule',
          [{ name: 'dueAt', type: 'datetime-local', required: true }],
        ),
        cancel: followUpAction((context) => cancelFollowUp(actorOf(context), context.record!.id()), 'cancel', []),
      },
    },
  };
}

export function dealResource() {
  return {
    resource: Deal,
    options: {
      navigation: { name: 'crm', icon: 'DollarSign' },
      listProperties: ['closedAt', 'customer', 'amount', 'owner', 'source'],
      filterProperties: ['customer', 'owner', 'source', 'closedAt', 'amount'],
      sort: { sortBy: 'closedAt', direction: 'desc' },
      properties: { amount: { type: 'currency', props: { decimalSeparator: ',', groupSeparator: '.', suffix: ' ₫', decimalScale: 0 } } },
      actions: {
        ...readOnly,
        list: {
          isAccessible: isStaff,
          handler: scopedList({ model: Deal, defaultSort: { sortBy: 'closedAt', direction: 'desc' }, scope: (context) => (salesId(context) ? { owner: salesId(context) } : {}) }),
        },
        show: { isAccessible: ownsRecord },
      },
    },
  };
}
