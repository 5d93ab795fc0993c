import { OpportunityStage, OPPORTUNITY_STAGE_KINDS, type OpportunityStageKind } from '../../models/opportunityStage.js';
import { Opportunity } from '../../models/opportunity.js';
import { CrmError } from '../shared/errors.js';
import { saveOrder } from '../shared/reorder.js';
import { assertRole, type Actor } from '../users/actor.js';
import { recordAudit, changedFields } from '../audit/audit.js';
import { labelEdits } from '../catalog/labelEdits.js';
import { codeFromName } from '../catalog/catalog.js';
import { getOpportunityStage, listOpportunityStages, type OpportunityStageInfo } from './opportunityStages.js';

export interface PipelineStepInput {
  name?: string;
  code?: string;
  color?: string;
  kind?: OpportunityStageKind;
  /** null clears it: opportunities entering the step then keep their own probability. */
  probability?: number | null;
  active?: boolean;
}

/**
 * Editing the opportunity pipeline (admin only, from the panel). Rules kept here: the board always
 * has somewhere to put an open, a won and a lost opportunity, so the last active step of each kind
 * can be neither removed, deactivated nor turned into another kind; and a step that opportunities
 * sit in keeps its kind (an open deal must not become "won" behind its owner's back) and cannot be
 * deleted, only deactivated.
 */
function checkedProbability(value: number | null | undefined): number | null | undefined {
  if (value === undefined || value === null) return value;
  if (!Number.isFinite(value) || value < 0 || value > 100) throw new CrmError('invalid', { field: 'probability' });
  return Math.round(value);
}

/** Refuses to leave the pipeline without an active step of the kind `step` is the last of. */
async function assertNotLastOfKind(step: OpportunityStageInfo): Promise<void> {
  if (!step.active) return;
  const others = await OpportunityStage.countDocuments({ kind: step.kind, active: true, _id: { $ne: step._id } });
  if (others === 0) throw new CrmError('opportunityStage.lastOfKind', { name: step.name });
}

export async function createPipelineStep(actor: Actor, input: PipelineStepInput): Promise<OpportunityStageInfo> {
  assertRole(actor, 'admin');
  const name = String(input.name ?? '').trim();
  if (!name) throw new CrmError('invalid', { field: 'name' });
  const kind = input.kind ?? 'open';
  if (!OPPORTUNITY_STAGE_KINDS.includes(kind)) throw new CrmError('invalid', { field: 'kind' });
  const code = (input.code?.trim() || codeFromName(name, 30)).toLowerCase();
  if (await OpportunityStage.exists({ code })) throw new CrmError('invalid', { field: 'code' });
  const last = await OpportunityStage.findOne().sort({ order: -1 }).select('order').lean();
  const probability = checkedProbability(input.probability);
  const doc = await OpportunityStage.create({
    name,
    code,
    color: input.color || undefined,
    kind,
    order: (last?.order ?? 0) + 10,
    ...(probability != null ? { probability } : {}),
    active: input.active ?? true,
  });
  await recordAudit(actor, { subject: 'opportunityStage', action: 'create', recordId: doc._id, details: name });
  return getOpportunityStage(doc._id);
}

export async function updatePipelineStep(actor: Actor, id: unknown, patch: PipelineStepInput): Promise<OpportunityStageInfo> {
  assertRole(actor, 'admin');
  const step = await getOpportunityStage(id);
  const $set: Record<string, unknown> = await labelEdits(OpportunityStage, step, patch);
  const $unset: Record<string, 1> = {};
  if (patch.probability !== undefined) {
    const probability = checkedProbability(patch.probability);
    if (probability === null) $unset.probability = 1;
    else $set.probability = probability;
  }
  if (patch.kind !== undefined && patch.kind !== step.kind) {
    if (!OPPORTUNITY_STAGE_KINDS.includes(patch.kind)) throw new CrmError('invalid', { field: 'kind' });
    const count = await Opportunity.countDocuments({ stage: step._id });
    if (count > 0) throw new CrmError('opportunityStage.inUse', { count });
    await assertNotLastOfKind(step);
    $set.kind = patch.kind;
  }
  if (patch.active === false && step.active) await assertNotLastOfKind(step);
  if (patch.active !== undefined) $set.active = Boolean(patch.active);
  const update = { ...(Object.keys($set).length ? { $set } : {}), ...(Object.keys($unset).length ? { $unset } : {}) };
  if (Object.keys(update).length) await OpportunityStage.updateOne({ _id: step._id }, update, { runValidators: true });
  await recordAudit(actor, { subject: 'opportunityStage', action: 'edit', recordId: step._id, details: changedFields({ ...$set, ...$unset }) });
  return getOpportunityStage(step._id);
}

/** Removes a step no opportunity (open, closed or deleted) is in; one in use can only be deactivated. */
export async function deletePipelineStep(actor: Actor, id: unknown): Promise<void> {
  assertRole(actor, 'admin');
  const step = await getOpportunityStage(id);
  const count = await Opportunity.countDocuments({ stage: step._id });
  if (count > 0) throw new CrmError('opportunityStage.inUse', { count });
  await assertNotLastOfKind(step);
  await OpportunityStage.deleteOne({ _id: step._id });
  await recordAudit(actor, { subject: 'opportunityStage', action: 'delete', recordId: step._id, details: step.name });
}

/** Saves a new order (first to last); the board's columns follow it. */
export async function reorderPipelineSteps(actor: Actor, ids: unknown[]): Promise<OpportunityStageInfo[]> {
  assertRole(actor, 'admin');
  const count = await saveOrder(OpportunityStage, await listOpportunityStages({ includeInactive: true }), ids, 'notFound.stage');
  await recordAudit(actor, { subject: 'opportunityStage', action: 'reorder', details: count + ' steps' });
  return listOpportunityStages({ includeInactive: true });
}
