import type { Types } from 'mongoose';
import { Stage, type StageKind } from '../../models/stage.js';
import { CrmError } from '../shared/errors.js';

export interface StageInfo {
  _id: Types.ObjectId;
  name: string;
  code: string;
  color: string;
  order: number;
  kind: StageKind;
  isDefault: boolean;
  active: boolean;
}

/** Stages in their configured order; the chat menus and the admin lists follow it. */
export async function listStages(opts: { includeInactive?: boolean } = {}): Promise<StageInfo[]> {
  const filter = opts.includeInactive ? {} : { active: true };
  return (await Stage.find(filter).sort({ order: 1, _id: 1 }).lean()) as StageInfo[];
}

/** The stages a person may pick by hand: active and not the automatic dormant one. */
export async function listAssignableStages(): Promise<StageInfo[]> {
  return (await listStages()).filter((s) => s.kind !== 'dormant');
}

export async function getDefaultStage(): Promise<StageInfo> {
  const stage =
    (await Stage.findOne({ isDefault: true, active: true }).lean()) ??
    (await Stage.findOne({ kind: 'open', active: true }).sort({ order: 1 }).lean());
  if (!stage) throw new CrmError('notFound.stage');
  return stage as StageInfo;
}

export async function getDormantStage(): Promise<StageInfo | null> {
  return (await Stage.findOne({ kind: 'dormant' }).sort({ active: -1, order: 1 }).lean()) as StageInfo | null;
}

export async function getStage(id: Types.ObjectId): Promise<StageInfo> {
  const stage = await Stage.findById(id).lean();
  if (!stage) throw new CrmError('notFound.stage');
  return stage as StageInfo;
}

/** Saves a new order for the stages (admin panel reorder): the list is the ids, first to last. */
export async function reorderStages(orderedIds: Types.ObjectId[]): Promise<void> {
  await Stage.bulkWrite(orderedIds.map((id, i) => ({ updateOne: { filter: { _id: id }, update: { $set: { order: (i + 1) * 10 } } } })));
}

/** Makes one stage the default for new leads; at most one is. */
export async function setDefaultStage(id: Types.ObjectId): Promise<void> {
  const stage = await getStage(id);
  if (stage.kind !== 'open' || !stage.active) throw new CrmError('invalid', { field: 'isDefault' });
  await Stage.updateMany({ _id: { $ne: id }, isDefault: true }, { $set: { isDefault: false } });
  await Stage.updateOne({ _id: id }, { $set: { isDefault: true } });
}
