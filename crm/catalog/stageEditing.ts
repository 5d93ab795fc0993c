import { Stage, STAGE_KINDS, type StageKind } from '../../models/stage.js';
import { Customer } from '../../models/customer.js';
import { CrmError } from '../shared/errors.js';
import { toObjectId } from '../shared/ids.js';
import { assertRole, type Actor } from '../users/actor.js';
import { getStage, listStages, setDefaultStage, type StageInfo } from '../stages/stages.js';
import { saveOrder } from '../shared/reorder.js';
import { recordAudit, changedFields } from '../audit/audit.js';
import { labelEdits } from './labelEdits.js';
import { codeFromName } from './catalog.js';

export interface StageInput {
  name?: string;
  code?: string;
  color?: string;
  kind?: StageKind;
  isDefault?: boolean;
  active?: boolean;
}

/**
 * Editing the pipeline (admin panel). Rules kept here: one dormant stage only (the don't-forget
 * rule needs exactly one to move customers to), at most one default, and the default must be an
 * active open stage.
 */
export async function createStage(actor: Actor, input: StageInput): Promise<StageInfo> {
  assertRole(actor, 'admin', 'manager');
  const name = String(input.name ?? '').trim();
  if (!name) throw new CrmError('invalid', { field: 'name' });
  const kind = input.kind ?? 'open';
  if (!STAGE_KINDS.includes(kind)) throw new CrmError('invalid', { field: 'kind' });
  if (kind === 'dormant' && (await Stage.exists({ kind: 'dormant' }))) throw new CrmError('invalid', { field: 'kind' });
  const code = (input.code?.trim() || codeFromName(name, 30)).toLowerCase();
  if (await Stage.exists({ code })) throw new CrmError('invalid', { field: 'code' });
  const last = await Stage.findOne().sort({ order: -1 }).select('order').lean();
  const doc = await Stage.create({
    name,
    code,
    color: input.color || undefined,
    kind,
    order: (last?.order ?? 0) + 10,
    active: input.active ?? true,
    isDefault: false,
  });
  if (input.isDefault) await setDefaultStage(doc._id);
  await recordAudit(actor, { subject: 'stage', action: 'create', recordId: doc._id, details: name });
  return getStage(doc._id);
}

export async function updateStage(actor: Actor, id: unknown, patch: StageInput): Promise<StageInfo> {
  assertRole(actor, 'admin', 'manager');
  const stage = await getStage(toObjectId(id, 'notFound.stage'));
  const $set: Record<string, unknown> = await labelEdits(Stage, stage, patch);
  if (patch.kind !== undefined && patch.kind !== stage.kind) {
    if (!STAGE_KINDS.includes(patch.kind)) throw new CrmError('invalid', { field: 'kind' });
    // The dormant stage is the sweep's target; turning it into another kind (or a second one into
    // dormant) would leave the rule with none or two.
    if (stage.kind === 'dormant' || patch.kind === 'dormant') throw new CrmError('invalid', { field: 'kind' });
    if (stage.isDefault && patch.kind !== 'open') throw new CrmError('invalid', { field: 'kind' });
    $set.kind = patch.kind;
  }
  if (patch.active !== undefined && Boolean(patch.active) !== stage.active) {
    if (!patch.active && stage.isDefault) throw new CrmError('invalid', { field: 'active' });
    $set.active = Boolean(patch.active);
  }
  if (Object.keys($set).length) await Stage.updateOne({ _id: stage._id }, { $set }, { runValidators: true });
  if (patch.isDefault === true && !stage.isDefault) await setDefaultStage(stage._id);
  if (patch.isDefault === false && stage.isDefault) throw new CrmError('invalid', { field: 'isDefault' });
  await recordAudit(actor, { subject: 'stage', action: 'edit', recordId: stage._id, details: changedFields({ ...$set, isDefault: patch.isDefault }) });
  return getStage(stage._id);
}

/** Removes a stage no customer is in; a stage in use can only be deactivated. */
export async function deleteStage(actor: Actor, id: unknown): Promise<void> {
  assertRole(actor, 'admin', 'manager');
  const stage = await getStage(toObjectId(id, 'notFound.stage'));
  const count = await Customer.countDocuments({ $or: [{ stage: stage._id }, { previousStage: stage._id }] });
  if (count > 0) throw new CrmError('inUse', { count });
  if (stage.isDefault || stage.kind === 'dormant') throw new CrmError('invalid', { field: 'kind' });
  await Stage.deleteOne({ _id: stage._id });
  await recordAudit(actor, { subject: 'stage', action: 'delete', recordId: stage._id, details: stage.name });
}

/** Saves a new order (first to last). Ids not given keep their place after the given ones. */
export async function reorderStagesAs(actor: Actor, ids: unknown[]): Promise<StageInfo[]> {
  assertRole(actor, 'admin', 'manager');
  const count = await saveOrder(Stage, await listStages({ includeInactive: true }), ids, 'notFound.stage');
  await recordAudit(actor, { subject: 'stage', action: 'reorder', details: count + ' stages' });
  return listStages({ includeInactive: true });
}
