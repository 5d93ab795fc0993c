import { type ActionContext, type ActionRequest } from 'adminjs';
import { Organization } from '../../models/organization.js';
import {
  createOrganization,
  deleteOrganization,
  getOrganizationForActor,
  organizationScope,
  organizationSearchFilter,
  updateOrganization,
  type OrganizationInput,
} from '../../crm/organizations/organizations.js';
import { getOrganizationCard } from '../../crm/organizations/organizationCard.js';
import { linkContact, unlinkContact } from '../../crm/organizations/contacts.js';
import { getCustomerForActor } from '../../crm/customers/customers.js';
import type { Actor } from '../../crm/users/actor.js';
import { actorOf, isStaff } from '../access.js';
import { scopedList, scopedSearch, type ListSpec } from '../listQuery.js';
import { deleteThrough, list, onlyVisibleThrough, optional, payloadOf, saveThrough } from '../respond.js';
import { Components } from '../components/index.js';
import type { ReplyDeps } from '../../bot/core/relay.js';
import { commentsJson, targetCommentActions } from './targetComments.js';

/**
 * Organizations (khách hàng tổ chức) in the panel. A salesperson sees those they own or where
 * they own a contact, on every route (list, search, show, edit, delete); every change goes
 * through crm/organizations, so a bad or taken tax code is refused there with its notice.
 */

const organizationListSpec: ListSpec = {
  model: Organization,
  scope: async (context) => ({ ...(await organizationScope(actorOf(context))), deletedAt: null }),
  special: { searchText: (value) => organizationSearchFilter(value) },
  defaultSort: { sortBy: '_id', direction: 'desc' },
};

/** Runs before a record action: the visibility rule needs the contacts' owners. */
const onlyVisible = onlyVisibleThrough(getOrganizationForActor);

/** The service input from the form; a field absent from the request is left as it is. */
function organizationInput(p: Record<string, any>): OrganizationInput {
  const input: Record<string, unknown> = {};
  for (const key of ['name', 'taxCode', 'address', 'province', 'website', 'domain', 'industry', 'notes'] as const) {
    if (key in p) input[key] = optional(p[key]) ?? '';
  }
  if ('owner' in p) input.owner = optional(p.owner) ?? null;
  if ('source' in p) input.source = optional(p.source) ?? null;
  if ('groups' in p) input.groups = list(p.groups);
  return input as OrganizationInput;
}

export function organizationResource(deps: { reply?: ReplyDeps } = {}) {
  return {
    resource: Organization,
    options: {
      navigation: { name: 'crm', icon: 'Briefcase' },
      listProperties: ['code', 'name', 'taxCode', 'province', 'owner', 'createdAt'],
      filterProperties: ['searchText', 'owner', 'province', 'industry', 'source', 'groups', 'createdAt'],
      showProperties: ['code', 'name', 'taxCode', 'address', 'province', 'website', 'domain', 'industry', 'owner', 'source', 'groups', 'notes', 'contacts', 'comments', 'createdAt'],
      editProperties: ['name', 'taxCode', 'address', 'province', 'website', 'domain', 'industry', 'owner', 'source', 'groups', 'notes'],
      sort: { sortBy: '_id', direction: 'desc' },
      properties: {
        searchText: { isVisible: { list: false, show: false, edit: false, filter: true } },
        notes: { type: 'textarea' },
        address: { type: 'textarea' },
        contacts: { type: 'string', isVisible: { list: false, show: true, edit: false, filter: false }, components: { show: Components.OrganizationContacts } },
        comments: { type: 'string', isVisible: { list: false, show: true, edit: false, filter: false }, components: { show: Components.TargetComments } },
      },
      actions: {
        list: { isAccessible: isStaff, handler: scopedList(organizationListSpec) },
        // The reference pickers' search: scoped like the list, Vietnamese-aware like /find.
        search: { isAccessible: isStaff, handler: scopedSearch(organizationListSpec) },
        show: {
          isAccessible: isStaff,
          before: onlyVisible,
          handler: async (_request: ActionRequest, _res: unknown, context: ActionContext) => {
            const card = await getOrganizationCard(actorOf(context), context.record!.id());
            const contacts = card.contacts.map(({ customer: c, lastInteractions, activeFollowUps }) => ({
              id: String(c._id), code: c.code, name: c.name, jobTitle: c.jobTitle ?? '', contactRole: c.contactRole ?? '', phones: c.phones,
              interactions: lastInteractions.map((i) => ({ id: String(i._id), type: i.type, text: i.text ?? '', occurredAt: i.occurredAt })),
              followUps: activeFollowUps.map((f) => ({ id: String(f._id), type: f.type, note: f.note ?? '', dueAt: f.dueAt })),
            }));
            const json = context.record!.toJSON(context.currentAdmin);
            const comments = await commentsJson(actorOf(context), 'organization', card.organization._id);
            return { record: { ...json, params: { ...json.params, contactsJson: JSON.stringify(contacts), commentsJson: comments } } };
          },
        },
        new: {
          isAccessible: isStaff,
          handler: saveThrough(async (request, context) => {
            const created = await createOrganization(actorOf(context), organizationInput(payloadOf(request)));
            return { id: String(created._id) };
          }, 'successfullyCreated'),
        },
        edit: {
          isAccessible: isStaff,
          before: onlyVisible,
          handler: saveThrough(async (request, context) => {
            const id = String(context.record!.id());
            await updateOrganization(actorOf(context), id, organizationInput(payloadOf(request)));
            return { id };
          }, 'successfullyUpdated'),
        },
        delete: {
          isAccessible: isStaff,
          before: onlyVisible,
          handler: deleteThrough((id, context) => deleteOrganization(actorOf(context), id)),
        },
        bulkDelete: { isAccessible: false, isVisible: false },
        // Comments: the visibility rule runs before each, as for show (crm checks it again).
        ...Object.fromEntries(Object.entries(targetCommentActions('organization', isStaff, deps.reply)).map(([name, action]) => [name, { ...action, before: onlyVisible }])),
      },
    },
  };
}

/**
 * The customer form's contact fields (organization, job title, buying role), saved through
 * crm/organizations after the customer itself: an emptied organization unlinks the person.
 */
export async function saveContactFields(actor: Actor, customerId: string, p: Record<string, any>): Promise<void> {
  if (!('organization' in p) && !('jobTitle' in p) && !('contactRole' in p)) return;
  const organization = 'organization' in p ? optional(p.organization) : optional((await getCustomerForActor(actor, customerId)).organization);
  if (!organization) {
    await unlinkContact(actor, customerId);
    return;
  }
  await linkContact(actor, organization, customerId, { jobTitle: 'jobTitle' in p ? String(p.jobTitle ?? '') : undefined, contactRole: 'contactRole' in p ? String(p.contactRole ?? '') : undefined });
}
