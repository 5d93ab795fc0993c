import { Customer } from '../../models/customer.js';
import { Group } from '../../models/group.js';
import { User } from '../../models/user.js';
import { createCustomer, updateCustomer, deleteCustomer, buildSearchFilter, getCustomerForActor } from '../../crm/customers/customers.js';
import { changeStage } from '../../crm/stages/changeStage.js';
import { customerScope, type Actor } from '../../crm/users/actor.js';
import { listAssignableStages } from '../../crm/stages/stages.js';
import { bulkAddToGroup, bulkAssignOwner, bulkChangeStage, type BulkResult } from '../../crm/bulk/bulkCustomers.js';
import { previewImport, commitImport } from '../../crm/imports/csvImport.js';
import { recordAudit, changedFields } from '../../crm/audit/audit.js';
import { formatPhone } from '../../crm/customers/phone.js';
import { actorOf, adminOf, isManagerOrAdmin, isStaff } from '../access.js';
import { scopedList, scopedSearch, type ListSpec } from '../listQuery.js';
import { crmNotice, deleteThrough, list, noticeKey, optional, payloadOf, saveThrough } from '../respond.js';
import { IMPORT_CSV_MAX_BYTES, IMPORT_CSV_MAX_TEXT } from '../frontDoor.js';
import { Components } from '../components/index.js';
import { REFERRER_FIELD, referrerInput, withReferrerText } from '../referrerField.js';
import { assertBirthdayField, BIRTHDAY_FIELD, saveBirthdayField, withBirthdayText } from '../birthdayField.js';
import { customerPageActions, customerPageData } from './customerPage.js';
import { canReadCustomerPage, customerCommentActions } from './customerComments.js';
import { saveContactFields } from './organizations.js';
import type { ReplyDeps } from '../../bot/core/relay.js';
import { populator, type ActionContext, type ActionRequest } from 'adminjs';

/** The customer list's filter: the search box goes through the crm's Vietnamese-aware search. */
export const customerListSpec: ListSpec = {
  model: Customer,
  scope: (context) => ({ ...customerScope(actorOf(context)), deletedAt: null }),
  special: { searchText: (value) => buildSearchFilter(value) },
  // Newest first by _id (creation order): the same order as by createdAt, and a sort every database
  // serves from an index (the embedded one walks its ordered copy of `_id` and stops after a page).
  defaultSort: { sortBy: '_id', direction: 'desc' },
};

/** The edit form shows phones as people dial them (0912 345 678); saving reads either form back. */
async function phonesAsDialled(response: { record?: { params?: Record<string, unknown> } }, request: ActionRequest) {
  const params = response.record?.params;
  if (request.method !== 'post' && params) {
    for (const key of Object.keys(params)) if (/^phones\.\d+$/.test(key) && typeof params[key] === 'string') params[key] = formatPhone(params[key] as string);
  }
  return response;
}

/** A salesperson may open only their own customers; managers and admins all of them. */
const canOpenCustomer = (context: { currentAdmin?: unknown; record?: { param(name: string): unknown } }) => {
  const admin = adminOf(context);
  if (!admin) return false;
  if (admin.role !== 'sales') return true;
  return !context.record || String(context.record.param('owner')) === admin.id;
};

/** The service input from the form. A field absent from the request is left as it is, never cleared. */
function customerInput(p: Record<string, any>, includeOwner: boolean) {
  const has = (key: string) => key in p;
  return {
    ...(has('name') ? { name: optional(p.name) ?? '' } : {}),
    ...(has('phones') ? { phones: list(p.phones) } : {}),
    ...(has('email') ? { email: optional(p.email) ?? '' } : {}),
    ...(has('need') ? { need: optional(p.need) ?? '' } : {}),
    ...(has('notes') ? { notes: optional(p.notes) ?? '' } : {}),
    ...(has('source') ? { source: optional(p.source) ?? null } : {}),
    ...(has('groups') ? { groups: list(p.groups) } : {}),
    ...(includeOwner && has('owner') ? { owner: optional(p.owner) ?? null } : {}),
    ...(p.language === 'vi' || p.language === 'en' ? { language: p.language as 'vi' | 'en' } : {}),
  };
}

async function bulkHandler(request: ActionRequest, context: ActionContext, run: (ids: string[], target: string) => Promise<BulkResult>) {
  const { records = [], currentAdmin, h, resource } = context;
  const json = records.map((r) => r.toJSON(currentAdmin));
  if (request.method !== 'post') return { records: json };
  const target = String(payloadOf(request).target ?? '');
  try {
    const result = await run(records.map((r) => String(r.id())), target);
    return {
      records: json,
      redirectUrl: h.resourceUrl({ resourceId: resource.id() }),
      notice: { message: result.failed.length ? 'bulkPartly' : 'bulkDone', type: result.failed.length ? 'error' : 'success', options: { done: result.done, failed: result.failed.length } },
    };
  } catch (e) {
    return { records: json, notice: crmNotice(e) };
  }
}

/** A bulk action that picks a target (owner, stage, group) and applies a crm bulk service. */
function bulkAction(icon: string, isAccessible: (context: ActionContext) => boolean, run: (actor: Actor, ids: string[], target: string) => Promise<BulkResult>) {
  return {
    actionType: 'bulk',
    icon,
    isAccessible,
    component: Components.BulkPick,
    handler: (request: ActionRequest, _res: unknown, context: ActionContext) => bulkHandler(request, context, (ids, target) => run(actorOf(context), ids, target)),
  };
}

export function customerResource(deps: { reply: ReplyDeps }) {
  return {
    resource: Customer,
    options: {
      navigation: { name: 'crm', icon: 'Users' },
      listProperties: ['code', 'name', 'phones', 'stage', 'owner', 'source', 'lastContactAt', 'createdAt'],
      filterProperties: ['searchText', 'stage', 'owner', 'source', 'groups', 'createdAt', 'lastContactAt'],
      showProperties: ['code', 'name', 'phones', 'email', 'organization', 'jobTitle', 'contactRole', 'stage', 'owner', 'source', 'groups', 'need', 'notes', 'lastContactAt', 'nextFollowUpAt', 'createdAt'],
      editProperties: ['name', 'phones', 'email', 'organization', 'jobTitle', 'contactRole', 'stage', 'owner', 'source', 'groups', REFERRER_FIELD, 'need', 'notes', 'language', BIRTHDAY_FIELD],
      sort: { sortBy: '_id', direction: 'desc' },
      properties: {
        searchText: { isVisible: { list: false, show: false, edit: false, filter: true } },
        phones: { components: { list: Components.PhoneList, show: Components.PhoneList } },
        need: { type: 'textarea' },
        notes: { type: 'textarea' },
        [REFERRER_FIELD]: { type: 'string', description: 'referrerHelp', custom: { tooltipDirection: 'right' }, isVisible: { list: false, filter: false, show: false, edit: true } },
        stage: { components: { list: Components.ColorBadge, show: Components.ColorBadge } },
        [BIRTHDAY_FIELD]: { type: 'string', description: 'birthdayHelp', isVisible: { list: false, filter: false, show: false, edit: true } },
      },
      actions: {
        list: { isAccessible: isStaff, handler: scopedList(customerListSpec) },
        // The reference pickers' search: scoped like the list, Vietnamese-aware like /find.
        search: { isAccessible: isStaff, handler: scopedSearch(customerListSpec) },
        show: {
          // Followers open the page too; every action that changes the customer keeps canOpenCustomer.
          isAccessible: canReadCustomerPage,
          component: Components.CustomerCard,
          // The card draws its own header: the customer's name as the title, not "Xem".
          hideActionHeader: true,
          handler: async (_request: ActionRequest, _res: unknown, context: ActionContext) => {
            const page = await customerPageData(actorOf(context), context.record!.id());
            const [record] = await populator([context.record!], context);
            const json = record.toJSON(context.currentAdmin);
            return { record: { ...json, params: { ...json.params, cardJson: JSON.stringify(page) } } };
          },
        },
        ...customerPageActions(canOpenCustomer, deps.reply),
        ...customerCommentActions(canReadCustomerPage, deps.reply),
        new: {
          isAccessible: isStaff,
          handler: saveThrough(async (request, context) => {
            const actor = actorOf(context);
            const p = payloadOf(request);
            assertBirthdayField(p);
            const created = await createCustomer(actor, { ...customerInput(p, true), ...(await referrerInput(p)) });
            await saveContactFields(actor, String(created._id), p);
            await saveBirthdayField(actor, String(created._id), p);
            await recordAudit(actor, { subject: 'customer', action: 'create', recordId: created._id, details: created.code });
            return { id: String(created._id) };
          }, 'successfullyCreated'),
        },
        edit: {
          isAccessible: canOpenCustomer,
          after: phonesAsDialled,
          handler: withBirthdayText(withReferrerText(saveThrough(async (request, context) => {
            const actor = actorOf(context);
            const id = String(context.record!.id());
            const before = await getCustomerForActor(actor, id);
            const p = payloadOf(request);
            assertBirthdayField(p);
            const ownerChanged = p.owner !== undefined && String(optional(p.owner) ?? '') !== String(before.owner ?? '');
            const input = { ...customerInput(p, ownerChanged), ...(await referrerInput(p)) };
            const stage = optional(p.stage);
            const stageChanges = Boolean(stage && stage !== String(before.stage));
            // A stage that cannot be chosen is refused before anything is saved, with the service's own reason.
            if (stageChanges && !(await listAssignableStages()).some((s) => String(s._id) === stage)) await changeStage(actor, id, stage, { reason: 'admin' });
            await updateCustomer(actor, id, input);
            await saveContactFields(actor, id, p);
            await saveBirthdayField(actor, id, p);
            if (stageChanges) await changeStage(actor, id, stage, { reason: 'admin' });
            await recordAudit(actor, { subject: 'customer', action: 'edit', recordId: id, details: changedFields({ ...input, stage }) });
            return { id };
          }, 'successfullyUpdated'))),
        },
        delete: {
          isAccessible: canOpenCustomer,
          handler: deleteThrough(async (id, context) => {
            const actor = actorOf(context);
            await deleteCustomer(actor, id);
            await recordAudit(actor, { subject: 'customer', action: 'delete', recordId: id });
          }),
        },
        bulkDelete: { isAccessible: false, isVisible: false },
        assignOwner: bulkAction('UserCheck', isManagerOrAdmin, bulkAssignOwner),
        // AdminJS checks isAccessible for every selected record, so a salesperson's selection must be all theirs.
        changeStage: bulkAction('GitCommit', canOpenCustomer, bulkChangeStage),
        addToGroup: bulkAction('Tag', canOpenCustomer, bulkAddToGroup),
        /** Options for the bulk pickers (not shown as a button). */
        choices: {
          actionType: 'resource',
          isVisible: false,
          isAccessible: isStaff,
          handler: async () => {
            const [stages, users, groups] = await Promise.all([
              listAssignableStages(),
              User.find({ active: true }).select('name role').sort({ name: 1 }).lean(),
              Group.find({ active: true }).select('name').sort({ name: 1 }).lean(),
            ]);
            return {
              stages: stages.map((s) => ({ value: String(s._id), label: s.name, color: s.color })),
              users: users.map((u) => ({ value: String(u._id), label: `${u.name} (${u.role})` })),
              groups: groups.map((g) => ({ value: String(g._id), label: g.name })),
            };
          },
        },
        importCsv: {
          actionType: 'resource',
          icon: 'Upload',
          isAccessible: isManagerOrAdmin,
          component: Components.CustomerImport,
          // The picker says the limit and checks the file before sending it.
          custom: { maxBytes: IMPORT_CSV_MAX_BYTES, maxText: IMPORT_CSV_MAX_TEXT },
          handler: async (request: ActionRequest, _res: unknown, context: ActionContext) => {
            if (request.method !== 'post') return {};
            const p = payloadOf(request);
            const actor = actorOf(context);
            if (Buffer.byteLength(String(p.csv ?? '')) > IMPORT_CSV_MAX_BYTES) {
              return { notice: { message: noticeKey('panel.csvTooLarge'), type: 'error', options: { max: IMPORT_CSV_MAX_TEXT } } };
            }
            try {
              if (p.step === 'commit') return { result: await commitImport(actor, String(p.csv ?? '')) };
              return { preview: await previewImport(actor, String(p.csv ?? '')) };
            } catch (e) {
              return { notice: crmNotice(e) };
            }
          },
        },
        exportCsv: {
          actionType: 'resource',
          icon: 'Download',
          isAccessible: isStaff,
          // The download itself is a plain route (admin/csvExport.ts); this button only points at it.
          component: Components.ActionForm,
          custom: { kind: 'download', href: '/admin/export/customers.csv' },
          handler: async () => ({}),
        },
      },
    },
  };
}

