import { populator, type ActionContext, type ActionRequest } from 'adminjs';
import { Opportunity } from '../../models/opportunity.js';
import { OPPORTUNITY_STATUSES } from '../../models/opportunity.js';
import {
  createOpportunity,
  updateOpportunity,
  winOpportunity,
  loseOpportunity,
  opportunityScope,
  type OpportunityLineInput,
} from '../../crm/opportunities/index.js';
import { escapeRegex } from '../../crm/customers/searchText.js';
import { actorOf, adminOf, isStaff } from '../access.js';
import { scopedList, scopedSearch, type ListSpec } from '../listQuery.js';
import { optional, payloadOf, postThenShow, saveThrough } from '../respond.js';
import { Components } from '../components/index.js';
import { boardHandler, partyNames, wonNotice } from './opportunityBoard.js';
import type { ReplyDeps } from '../../bot/core/relay.js';
import { commentsJson, targetCommentActions } from './targetComments.js';

/** The list's filter: never another salesperson's opportunities, never deleted ones. */
const opportunityListSpec: ListSpec = {
  model: Opportunity,
  scope: (context) => ({ ...opportunityScope(actorOf(context)), deletedAt: null }),
  // Typed in a reference picker: part of the name, any case.
  special: { searchText: (query) => (query ? { name: { $regex: escapeRegex(query.slice(0, 100)), $options: 'i' } } : {}) },
  defaultSort: { sortBy: '_id', direction: 'desc' },
};

/** A salesperson may open only their own opportunities; managers and admins all of them. */
const canOpenOpportunity = (context: { currentAdmin?: unknown; record?: { param(name: string): unknown } }) => {
  const admin = adminOf(context);
  if (!admin) return false;
  if (admin.role !== 'sales') return true;
  return !context.record || String(context.record.param('owner')) === admin.id;
};

const isOpen = (context: ActionContext) => canOpenOpportunity(context) && context.record?.param('status') === 'open';

/** Lines from the form (`lines.0.name`…); a field absent from the request is left as it is. */
function linesInput(p: Record<string, any>): OpportunityLineInput[] | undefined {
  if (!('lines' in p)) return undefined;
  const rows = Array.isArray(p.lines) ? p.lines : [];
  return rows.map((l: Record<string, unknown>) => ({ name: String(l?.name ?? ''), quantity: Number(l?.quantity ?? 0), unitPrice: l?.unitPrice as number }));
}

function detailsInput(p: Record<string, any>, includeOwner: boolean) {
  const has = (key: string) => key in p;
  return {
    ...(has('name') ? { name: String(p.name ?? '') } : {}),
    ...(has('value') ? { value: String(p.value ?? '') } : {}),
    ...(has('probability') ? { probability: optional(p.probability) ?? null } : {}),
    ...(has('expectedCloseAt') ? { expectedCloseAt: optional(p.expectedCloseAt) ?? null } : {}),
    ...(has('source') ? { source: optional(p.source) ?? null } : {}),
    ...(includeOwner && has('owner') ? { owner: optional(p.owner) ?? null } : {}),
    ...(linesInput(p) ? { lines: linesInput(p) } : {}),
  };
}

/** The customer or organization each record is for, as a name: the list's "Khách hàng / Tổ chức" column. */
async function withParty<T extends { params: Record<string, unknown> }>(records: T[]): Promise<T[]> {
  const names = await partyNames(records.map((r) => ({ customer: r.params.customer, organization: r.params.organization })));
  return records.map((r, i) => ({ ...r, params: { ...r.params, party: names[i] } }));
}

/** Win or lose from the record page: a small form (final amount, or the reason) sent to crm/opportunities. */
type Notice = { message: string; type: 'success'; options: Record<string, string> };

function closeAction(icon: string, fields: { name: string; type: string; required?: boolean }[], run: (context: ActionContext, p: Record<string, any>) => Promise<Notice>) {
  return {
    actionType: 'record' as const,
    icon,
    isAccessible: isOpen,
    component: Components.ActionForm,
    custom: { fields },
    handler: postThenShow(run, (context) => String(context.record!.param('name') ?? '')),
  };
}

export function opportunityResource(deps: { reply?: ReplyDeps } = {}) {
  return {
    resource: Opportunity,
    options: {
      navigation: { name: 'sales', icon: 'Briefcase' },
      listProperties: ['code', 'name', 'party', 'value', 'probability', 'expectedCloseAt', 'stage', 'owner', 'status'],
      filterProperties: ['status', 'stage', 'owner', 'source', 'expectedCloseAt'],
      showProperties: ['code', 'name', 'party', 'customer', 'value', 'probability', 'expectedCloseAt', 'stage', 'status', 'lostReason', 'owner', 'source', 'lines', 'deal', 'closedAt', 'lastActivityAt', 'createdAt', 'comments'],
      editProperties: ['name', 'customer', 'value', 'probability', 'expectedCloseAt', 'owner', 'source', 'lines'],
      sort: { sortBy: '_id', direction: 'desc' },
      properties: {
        party: { type: 'string', isVisible: { list: true, show: true, edit: false, filter: false } },
        // The organizations' own page links them; here the name (party) says which one.
        organization: { isVisible: false },
        value: { type: 'number', components: { list: Components.MoneyValue, show: Components.MoneyValue } },
        expectedCloseAt: { type: 'date' },
        stage: { components: { list: Components.ColorBadge, show: Components.ColorBadge } },
        status: { availableValues: OPPORTUNITY_STATUSES.map((s) => ({ value: s, label: s })) },
        lostReason: { type: 'textarea' },
        deletedAt: { isVisible: false },
        code: { isVisible: { list: true, show: true, edit: false, filter: false } },
        comments: { type: 'string', isVisible: { list: false, show: true, edit: false, filter: false }, components: { show: Components.TargetComments } },
      },
      actions: {
        list: {
          isAccessible: isStaff,
          handler: async (request: ActionRequest, response: unknown, context: ActionContext) => {
            const page = await scopedList(opportunityListSpec)(request, response, context);
            return { ...page, records: await withParty(page.records) };
          },
        },
        // The reference pickers' search (a Deal's opportunity): scoped like the list.
        search: { isAccessible: isStaff, handler: scopedSearch(opportunityListSpec) },
        show: {
          isAccessible: canOpenOpportunity,
          handler: async (_request: ActionRequest, _res: unknown, context: ActionContext) => {
            const [record] = await populator([context.record!], context);
            const [json] = await withParty([record.toJSON(context.currentAdmin)]);
            const comments = await commentsJson(actorOf(context), 'opportunity', context.record!.id());
            return { record: { ...json, params: { ...json.params, commentsJson: comments } } };
          },
        },
        new: {
          isAccessible: isStaff,
          handler: saveThrough(async (request, context) => {
            const p = payloadOf(request);
            const created = await createOpportunity(actorOf(context), {
              ...detailsInput(p, true),
              customer: optional(p.customer) ?? null,
              organization: optional(p.organization) ?? null,
              ...(optional(p.stage) ? { stage: optional(p.stage) } : {}),
            });
            return { id: String(created._id) };
          }, 'successfullyCreated'),
        },
        edit: {
          isAccessible: isOpen,
          handler: saveThrough(async (request, context) => {
            const id = String(context.record!.id());
            const p = payloadOf(request);
            // A salesperson's form still carries the owner: only a real change is an owner change.
            const ownerChanged = p.owner !== undefined && String(optional(p.owner) ?? '') !== String(context.record!.param('owner') ?? '');
            await updateOpportunity(actorOf(context), id, detailsInput(p, ownerChanged));
            return { id };
          }, 'successfullyUpdated'),
        },
        // Opportunities close as won or lost; removing one is not a panel action.
        delete: { isAccessible: false, isVisible: false },
        bulkDelete: { isAccessible: false, isVisible: false },
        ...targetCommentActions('opportunity', canOpenOpportunity, deps.reply),
        win: closeAction('Award', [{ name: 'amount', type: 'text' }], async (context, p) =>
          wonNotice(await winOpportunity(actorOf(context), String(context.record!.id()), { amount: optional(p.amount) }))),
        lose: closeAction('XCircle', [{ name: 'reason', type: 'textarea', required: true }], async (context, p) => {
          const lost = await loseOpportunity(actorOf(context), String(context.record!.id()), { reason: String(p.reason ?? '') });
          return { message: 'oppLostDone', type: 'success' as const, options: { name: lost.name } };
        }),
        board: {
          actionType: 'resource',
          icon: 'Columns',
          isAccessible: isStaff,
          component: Components.OpportunityBoard,
          handler: boardHandler,
        },
      },
    },
  };
}

