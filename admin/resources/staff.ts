import type { ActionContext, ActionRequest } from 'adminjs';
import { User, ROLES, LANGUAGES, type Role, type Language } from '../../models/user.js';
import { Settings } from '../../models/settings.js';
import { AuditLog } from '../../models/auditLog.js';
import { CHAT_CHANNELS } from '../../models/channels.js';
import { createUser, setPassword, issueLinkCode } from '../../crm/users/users.js';
import { updateStaff, ensureEmailFree } from '../../crm/catalog/staff.js';
import { updateSettings } from '../../crm/settings/settings.js';
import { recordAudit, changedFields } from '../../crm/audit/audit.js';
import { auditStories, type AuditLine } from '../../crm/audit/auditStory.js';
import { toObjectId } from '../../crm/shared/ids.js';
import { CrmError } from '../../crm/shared/errors.js';
import { actorOf, isAdmin, isManagerOrAdmin } from '../access.js';
import { bool, crmNotice, optional, payloadOf, saveThrough } from '../respond.js';
import { Components } from '../components/index.js';

const adminOnly = { isAccessible: isAdmin };

/** How a staff user's chat accounts are linked: a one-time code, shown once. */
export function linkInstructions(code: string, botUsername?: string) {
  return {
    code,
    command: `/link ${code}`,
    telegramLink: botUsername ? `https://t.me/${botUsername}?start=link_${code}` : undefined,
  };
}

export function userResource(opts: { botUsername: () => string | undefined }) {
  const input = (p: Record<string, any>) => ({
    name: optional(p.name),
    email: optional(p.email),
    role: ROLES.includes(p.role) ? (p.role as Role) : undefined,
    language: LANGUAGES.includes(p.language) ? (p.language as Language) : undefined,
    active: bool(p.active),
    takesNewLeads: bool(p.takesNewLeads),
  });
  return {
    resource: User,
    options: {
      navigation: { name: 'setup', icon: 'Settings' },
      listProperties: ['name', 'email', 'role', 'active', 'takesNewLeads', 'chatIds.telegram', 'chatIds.zalo_oa', 'chatIds.zalo_bot'],
      showProperties: ['name', 'email', 'role', 'active', 'language', 'takesNewLeads', ...CHAT_CHANNELS.map((c) => `chatIds.${c}`), 'createdAt'],
      editProperties: ['name', 'email', 'password', 'role', 'language', 'active', 'takesNewLeads'],
      filterProperties: ['name', 'email', 'role', 'active'],
      properties: {
        passwordHash: { isVisible: false },
        linkCodeHash: { isVisible: false },
        linkCodeExpiresAt: { isVisible: false },
        lastLeadAssignedAt: { isVisible: false },
        // Only asked when creating; changing it later is the "reset password" action.
        password: { type: 'password', isVisible: { list: false, show: false, filter: false, edit: true } },
      },
      actions: {
        list: adminOnly,
        show: adminOnly,
        // Managers pick owners in customer forms, which searches users.
        search: { isAccessible: isManagerOrAdmin },
        delete: { isAccessible: false, isVisible: false },
        bulkDelete: { isAccessible: false, isVisible: false },
        new: {
          ...adminOnly,
          handler: saveThrough(async (request, context) => {
            const p = payloadOf(request);
            const fields = input(p);
            await ensureEmailFree(fields.email ?? '');
            const user = await createUser(actorOf(context), {
              name: fields.name ?? '',
              email: fields.email ?? '',
              role: fields.role ?? 'sales',
              language: fields.language,
              takesNewLeads: fields.takesNewLeads,
              password: optional(p.password),
            });
            await recordAudit(actorOf(context), { subject: 'user', action: 'create', recordId: user._id, details: user.email });
            return { id: String(user._id) };
          }, 'successfullyCreated'),
        },
        edit: {
          ...adminOnly,
          handler: saveThrough(async (request, context) => {
            const id = String(context.record!.id());
            await updateStaff(actorOf(context), id, input(payloadOf(request)));
            return { id };
          }, 'successfullyUpdated'),
        },
        resetPassword: {
          actionType: 'record',
          icon: 'Key',
          ...adminOnly,
          component: Components.ActionForm,
          custom: { fields: [{ name: 'password', type: 'password', required: true }] },
          handler: async (request: ActionRequest, _res: unknown, context: ActionContext) => {
            const { record, currentAdmin } = context;
            if (request.method !== 'post') return { record: record!.toJSON(currentAdmin) };
            try {
              await setPassword(actorOf(context), toObjectId(record!.id(), 'notFound.user'), String(payloadOf(request).password ?? ''));
              await recordAudit(actorOf(context), { subject: 'user', action: 'resetPassword', recordId: String(record!.id()) });
              return { record: record!.toJSON(currentAdmin), notice: { message: 'passwordChanged', type: 'success' } };
            } catch (e) {
              return { record: record!.toJSON(currentAdmin), notice: crmNotice(e) };
            }
          },
        },
        linkCode: {
          actionType: 'record',
          icon: 'Link',
          ...adminOnly,
          component: Components.ActionForm,
          custom: { fields: [], kind: 'linkCode' },
          handler: async (request: ActionRequest, _res: unknown, context: ActionContext) => {
            const { record, currentAdmin } = context;
            if (request.method !== 'post') return { record: record!.toJSON(currentAdmin) };
            try {
              const { code, expiresAt } = await issueLinkCode(actorOf(context), toObjectId(record!.id(), 'notFound.user'));
              await recordAudit(actorOf(context), { subject: 'user', action: 'linkCode', recordId: String(record!.id()) });
              // The code is in this response only: just its hash is stored.
              return { record: record!.toJSON(currentAdmin), result: { ...linkInstructions(code, opts.botUsername()), expiresAt } };
            } catch (e) {
              return { record: record!.toJSON(currentAdmin), notice: crmNotice(e) };
            }
          },
        },
      },
    },
  };
}

export function settingsResource() {
  return {
    resource: Settings,
    options: {
      navigation: { name: 'setup', icon: 'Settings' },
      listProperties: ['companyName', 'dontForgetDays', 'staleOpportunityDays', 'digestHour', 'timezone', 'defaultLanguage', 'roundRobin'],
      editProperties: ['companyName', 'dontForgetDays', 'staleOpportunityDays', 'digestHour', 'timezone', 'defaultLanguage', 'roundRobin'],
      properties: { key: { isVisible: false }, companyName: { description: 'settingsCompanyNameOutreach' } },
      actions: {
        // One settings document: the navigation item opens its form, not a list of one row.
        list: { ...adminOnly, component: Components.SettingsForm },
        show: adminOnly,
        search: adminOnly,
        new: { isAccessible: false, isVisible: false },
        delete: { isAccessible: false, isVisible: false },
        bulkDelete: { isAccessible: false, isVisible: false },
        edit: {
          ...adminOnly,
          handler: saveThrough(async (request, context) => {
            const p = payloadOf(request);
            const patch = {
              companyName: optional(p.companyName),
              timezone: optional(p.timezone),
              dontForgetDays: p.dontForgetDays !== undefined && p.dontForgetDays !== '' ? Number(p.dontForgetDays) : undefined,
              staleOpportunityDays: p.staleOpportunityDays !== undefined && p.staleOpportunityDays !== '' ? Number(p.staleOpportunityDays) : undefined,
              digestHour: p.digestHour !== undefined && p.digestHour !== '' ? Number(p.digestHour) : undefined,
              defaultLanguage: p.defaultLanguage === 'vi' || p.defaultLanguage === 'en' ? p.defaultLanguage : undefined,
              roundRobin: bool(p.roundRobin),
            } as const;
            for (const key of ['dontForgetDays', 'staleOpportunityDays', 'digestHour'] as const) {
              if (patch[key] !== undefined && !Number.isInteger(patch[key])) throw new CrmError('invalid', { field: key });
            }
            await updateSettings(actorOf(context), patch);
            await recordAudit(actorOf(context), { subject: 'settings', action: 'edit', recordId: String(context.record!.id()), details: changedFields(patch) });
            return { id: String(context.record!.id()) };
          }, 'successfullyUpdated'),
        },
      },
    },
  };
}

type RecordJson = { params: Record<string, any> };

/** Adds each shown audit line's story (record names looked up once per page) for AuditSentence. */
async function withStories<R extends { records?: RecordJson[]; record?: RecordJson }>(response: R): Promise<R> {
  const records = response.records ?? (response.record ? [response.record] : []);
  const stories = await auditStories(records.map((r) => r.params as AuditLine));
  records.forEach((r, i) => {
    r.params.story = JSON.stringify(stories[i]);
  });
  return response;
}

export function auditLogResource() {
  return {
    resource: AuditLog,
    options: {
      navigation: { name: 'setup', icon: 'Settings' },
      listProperties: ['at', 'story'],
      showProperties: ['at', 'story', 'userName', 'subject', 'action', 'details'],
      filterProperties: ['user', 'subject', 'at'],
      sort: { sortBy: 'at', direction: 'desc' },
      properties: {
        // Computed per page (withStories): the line as a sentence, in the reader's language.
        story: { type: 'string', components: { list: Components.AuditSentence, show: Components.AuditSentence }, isVisible: { list: true, show: true, edit: false, filter: false } },
      },
      actions: {
        list: { ...adminOnly, after: withStories },
        show: { ...adminOnly, after: withStories },
        search: adminOnly,
        new: { isAccessible: false, isVisible: false },
        edit: { isAccessible: false, isVisible: false },
        delete: { isAccessible: false, isVisible: false },
        bulkDelete: { isAccessible: false, isVisible: false },
      },
    },
  };
}
