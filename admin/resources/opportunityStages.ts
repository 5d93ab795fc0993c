import { OpportunityStage, OPPORTUNITY_STAGE_KINDS, type OpportunityStageKind } from '../../models/opportunityStage.js';
import {
  createPipelineStep,
  updatePipelineStep,
  deletePipelineStep,
  reorderPipelineSteps,
} from '../../crm/opportunities/pipelineEditing.js';
import { listOpportunityStages } from '../../crm/opportunities/opportunityStages.js';
import { isAdmin } from '../access.js';
import { bool, optional } from '../respond.js';
import { Components } from '../components/index.js';
import { editableThrough, readOnlyForSales, reorderAction } from './catalog.js';

/** An emptied probability box means "none" (the opportunity keeps its own); anything else must be a number. */
function probabilityInput(value: unknown): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value === '') return null;
  return Number(String(value).replace(',', '.'));
}

/**
 * The opportunity pipeline's steps (Tiếp cận … Thắng / Thua): every staff member reads them (the
 * board's columns, the list's filter), only admins change them, each change through crm/opportunities.
 */
export function opportunityStageResource() {
  const input = (p: Record<string, any>) => ({
    name: optional(p.name),
    code: optional(p.code),
    color: optional(p.color),
    kind: OPPORTUNITY_STAGE_KINDS.includes(p.kind) ? (p.kind as OpportunityStageKind) : undefined,
    probability: probabilityInput(p.probability),
    active: bool(p.active),
  });
  return {
    resource: OpportunityStage,
    options: {
      navigation: { name: 'setup', icon: 'Settings' },
      listProperties: ['order', 'name', 'color', 'kind', 'probability', 'active'],
      editProperties: ['name', 'code', 'color', 'kind', 'probability', 'active'],
      showProperties: ['name', 'code', 'color', 'kind', 'probability', 'active', 'order'],
      sort: { sortBy: 'order', direction: 'asc' },
      properties: { color: { components: { list: Components.ColorBadge, show: Components.ColorBadge, edit: Components.ColorPicker } } },
      actions: {
        ...readOnlyForSales,
        ...editableThrough(input, { create: createPipelineStep, update: updatePipelineStep, remove: deletePipelineStep }, isAdmin),
        reorder: reorderAction({ list: () => listOpportunityStages({ includeInactive: true }), save: reorderPipelineSteps, canEdit: isAdmin }),
      },
    },
  };
}
