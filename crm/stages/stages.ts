import type { Types } from 'mongoose';
import { Stage, type StageKind } from '../../models/stage.js';
import { CrmError } from '../shared/errors.js';
import { VersionedCache } from '../shared/versionedCache.js';

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

/**
 * Every stage (a handful, edited by admins), kept in each process: the card, the menus, stage
 * changes and the sweep look stages up here instead of asking the database per update. Any write
 * of a stage bumps the `stages` cache version (models/stage.ts), so other processes see it within
 * a second. Callers get copies, so changing one never changes the cached list.
 */
const allStages = new VersionedCache<StageInfo[]>('stages', async () => (await Stage.find({}).sort({ order: 1, _id: 1 }).lean()) as StageInfo[]);

async function cachedStages(): Promise<StageInfo[]> {
  return (await allStages.get()).map((s) => ({ ...s }));
}

/** Stages in their configured order; the chat menus and the admin lists follow it. */
export async function listStages(opts: { includeInactive?: boolean } = {}): Promise<StageInfo[]> {
  return (await cachedStages()).filter((s) => opts.includeInactive || s.active);
}

/** The stages a person may pick by hand: active and not the automatic dormant one. */
export async function listAssignableStages(): Promise<StageInfo[]> {
  return (await listStages()).filter((s) => s.kind !== 'dormant');
}

export async function getDefaultStage(): Promise<StageInfo> {
  const stages = await cachedStages();
  const stage = stages.find((s) => s.isDefault && s.active) ?? stages.find((s) => s.kind === 'open' && s.active);
  if (!stage) throw new CrmError('notFound.stage');
  return stage;
}

export async function getDormantStage(): Promise<StageInfo | null> {
  const dormant = (await cachedStages()).filter((s) => s.kind === 'dormant');
  // An active one first, then by order.
  return dormant.find((s) => s.active) ?? dormant[0] ?? null;
}

export async function getStage(id: Types.ObjectId): Promise<StageInfo> {
  const stage = await findStage(id);
  if (!stage) throw new CrmError('notFound.stage');
  return stage;
}

/** A stage by id, or null when there is none (a card still pointing at a deleted stage). */
export async function findStage(id: unknown): Promise<StageInfo | null> {
  if (id === null || id === undefined) return null;
  return (await cachedStages()).find((s) => String(s._id) === String(id)) ?? null;
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
