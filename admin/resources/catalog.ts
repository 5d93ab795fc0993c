import type { ActionContext, ActionRequest } from 'adminjs';
import { Stage, STAGE_KINDS, type StageKind } from '../../models/stage.js';
import { Source } from '../../models/source.js';
import { Group } from '../../models/group.js';
import { SOURCE_CHANNELS, type SourceChannel } from '../../models/channels.js';
import { createStage, updateStage, deleteStage, reorderStagesAs } from '../../crm/catalog/stageEditing.js';
import { createSource, updateSource, deleteSource, createGroup, updateGroup, deleteGroup } from '../../crm/catalog/catalog.js';
import { listStages } from '../../crm/stages/stages.js';
import { actorOf, isManagerOrAdmin, isStaff } from '../access.js';
import type { Actor } from '../../crm/users/actor.js';
import { bool, crmNotice, deleteThrough, optional, payloadOf, saveThrough } from '../respond.js';
import { Components } from '../components/index.js';

/** Read by everyone (the lists customers are sorted by), changed by managers and admins. */
export const readOnlyForSales = {
  list: { isAccessible: isStaff },
  show: { isAccessible: isStaff },
  search: { isAccessible: isStaff },
  bulkDelete: { isAccessible: false, isVisible: false },
};

/** new / edit / delete of a catalog resource, each through its crm service as the logged-in person. */
export function editableThrough<I>(
  input: (p: Record<string, any>) => I,
  service: {
    create: (actor: Actor, input: I) => Promise<{ _id: unknown }>;
    update: (actor: Actor, id: string, input: I) => Promise<unknown>;
    remove: (actor: Actor, id: string) => Promise<void>;
  },
  canEdit: (context: ActionContext) => boolean = isManagerOrAdmin,
) {
  return {
    new: {
      isAccessible: canEdit,
      handler: saveThrough(async (request, context) => ({ id: String((await service.create(actorOf(context), input(payloadOf(request))))._id) }), 'successfullyCreated'),
    },
    edit: {
      isAccessible: canEdit,
      handler: saveThrough(async (request, context) => {
        const id = String(context.record!.id());
        await service.update(actorOf(context), id, input(payloadOf(request)));
        return { id };
      }, 'successfullyUpdated'),
    },
    delete: { isAccessible: canEdit, handler: deleteThrough((id, context) => service.remove(actorOf(context), id)) },
  };
}

type Ordered = { _id: unknown; name: string; color: string; kind: string; active: boolean };

/**
 * The drag-and-drop order page of an ordered list (StageReorder): GET lists the items in order;
 * POST saves the order at once and answers with the order the server kept.
 */
export function reorderAction<T extends Ordered>(opts: {
  list: () => Promise<T[]>;
  save: (actor: Actor, ids: string[]) => Promise<T[]>;
  canEdit: (context: ActionContext) => boolean;
}) {
  const shape = (items: T[]) => items.map((s) => ({ id: String(s._id), name: s.name, color: s.color, kind: s.kind, active: s.active }));
  return {
    actionType: 'resource' as const,
    icon: 'List',
    isAccessible: opts.canEdit,
    component: Components.StageReorder,
    handler: async (request: ActionRequest, _res: unknown, context: ActionContext) => {
      if (request.method !== 'post') return { stages: shape(await opts.list()) };
      const ids = String(payloadOf(request).ids ?? '').split(',').filter(Boolean);
      try {
        return { stages: shape(await opts.save(actorOf(context), ids)), notice: { message: 'stagesReordered', type: 'success' } };
      } catch (e) {
        return { notice: crmNotice(e) };
      }
    },
  };
}

export function stageResource() {
  const input = (p: Record<string, any>) => ({
    name: optional(p.name),
    code: optional(p.code),
    color: optional(p.color),
    kind: STAGE_KINDS.includes(p.kind) ? (p.kind as StageKind) : undefined,
    isDefault: bool(p.isDefault),
    active: bool(p.active),
  });
  return {
    resource: Stage,
    options: {
      navigation: { name: 'setup', icon: 'Settings' },
      listProperties: ['order', 'name', 'color', 'kind', 'isDefault', 'active'],
      editProperties: ['name', 'code', 'color', 'kind', 'isDefault', 'active'],
      sort: { sortBy: 'order', direction: 'asc' },
      properties: { color: { components: { list: Components.ColorBadge, show: Components.ColorBadge, edit: Components.ColorPicker } } },
      actions: {
        ...readOnlyForSales,
        ...editableThrough(input, { create: createStage, update: updateStage, remove: deleteStage }),
        // The chat menus follow the order at once.
        reorder: reorderAction({ list: () => listStages({ includeInactive: true }), save: reorderStagesAs, canEdit: isManagerOrAdmin }),
      },
    },
  };
}

export function sourceResource() {
  const input = (p: Record<string, any>) => ({
    name: optional(p.name),
    code: optional(p.code),
    channel: SOURCE_CHANNELS.includes(p.channel) ? (p.channel as SourceChannel) : undefined,
    active: bool(p.active),
  });
  return {
    resource: Source,
    options: {
      navigation: { name: 'setup', icon: 'Settings' },
      listProperties: ['name', 'code', 'channel', 'active'],
      editProperties: ['name', 'code', 'channel', 'active'],
      actions: {
        ...readOnlyForSales,
        ...editableThrough(input, { create: createSource, update: updateSource, remove: deleteSource }),
      },
    },
  };
}

export function groupResource() {
  const input = (p: Record<string, any>) => ({ name: optional(p.name), description: optional(p.description), active: bool(p.active) });
  return {
    resource: Group,
    options: {
      navigation: { name: 'setup', icon: 'Settings' },
      listProperties: ['name', 'description', 'active'],
      editProperties: ['name', 'description', 'active'],
      actions: {
        ...readOnlyForSales,
        ...editableThrough(input, { create: createGroup, update: updateGroup, remove: deleteGroup }),
      },
    },
  };
}
