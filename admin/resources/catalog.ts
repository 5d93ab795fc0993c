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
const readOnlyForSales = {
  list: { isAccessible: isStaff },
  show: { isAccessible: isStaff },
  search: { isAccessible: isStaff },
  bulkDelete: { isAccessible: false, isVisible: false },
};

/** new / edit / delete of a catalog resource, each through its crm service as the logged-in person. */
function editableThrough<I>(
  input: (p: Record<string, any>) => I,
  service: {
    create: (actor: Actor, input: I) => Promise<{ _id: unknown }>;
    update: (actor: Actor, id: string, input: I) => Promise<unknown>;
    remove: (actor: Actor, id: string) => Promise<void>;
  },
) {
  return {
    new: {
      isAccessible: isManagerOrAdmin,
      handler: saveThrough(async (request, context) => ({ id: String((await service.create(actorOf(context), input(payloadOf(request))))._id) }), 'successfullyCreated'),
    },
    edit: {
      isAccessible: isManagerOrAdmin,
      handler: saveThrough(async (request, context) => {
        const id = String(context.record!.id());
        await service.update(actorOf(context), id, input(payloadOf(request)));
        return { id };
      }, 'successfullyUpdated'),
    },
    delete: { isAccessible: isManagerOrAdmin, handler: deleteThrough((id, context) => service.remove(actorOf(context), id)) },
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
        reorder: {
          actionType: 'resource',
          icon: 'List',
          isAccessible: isManagerOrAdmin,
          component: Components.StageReorder,
          // GET lists the stages in order; POST saves the order at once (the chat menus follow it).
          handler: async (request: ActionRequest, _res: unknown, context: ActionContext) => {
            const shape = (stages: Awaited<ReturnType<typeof listStages>>) =>
              stages.map((s) => ({ id: String(s._id), name: s.name, color: s.color, kind: s.kind, active: s.active }));
            if (request.method !== 'post') return { stages: shape(await listStages({ includeInactive: true })) };
            const ids = String(payloadOf(request).ids ?? '').split(',').filter(Boolean);
            try {
              const stages = await reorderStagesAs(actorOf(context), ids);
              return { stages: shape(stages), notice: { message: 'stagesReordered', type: 'success' } };
            } catch (e) {
              return { notice: crmNotice(e) };
            }
          },
        },
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
