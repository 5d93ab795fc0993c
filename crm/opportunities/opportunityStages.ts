import type { Types } from 'mongoose';
import { OpportunityStage, type OpportunityStageKind } from '../../models/opportunityStage.js';
import { CrmError } from '../shared/errors.js';
import { toObjectId } from '../shared/ids.js';
import { VersionedCache } from '../shared/versionedCache.js';

export interface OpportunityStageInfo {
  _id: Types.ObjectId;
  name: string;
  code: string;
  color: string;
  order: number;
  kind: OpportunityStageKind;
  probability?: number | null;
  active: boolean;
}

/**
 * The pipeline's steps (a handful, edited by admins), kept in each process: cards, /pipeline and
 * moves look them up here. Any write of a step bumps the `opportunityStages` cache version
 * (models/opportunityStage.ts). Callers get copies.
 */
const allSteps = new VersionedCache<OpportunityStageInfo[]>(
  'opportunityStages',
  async () => (await OpportunityStage.find({}).sort({ order: 1, _id: 1 }).lean()) as OpportunityStageInfo[],
);

async function cachedSteps(): Promise<OpportunityStageInfo[]> {
  return (await allSteps.get()).map((s) => ({ ...s }));
}

/** The pipeline's steps in the admin's order: chat buttons and board columns follow it. */
export async function listOpportunityStages(opts: { includeInactive?: boolean } = {}): Promise<OpportunityStageInfo[]> {
  return (await cachedSteps()).filter((s) => opts.includeInactive || s.active);
}

export async function getOpportunityStage(id: unknown): Promise<OpportunityStageInfo> {
  const _id = toObjectId(id, 'notFound.stage');
  const stage = (await cachedSteps()).find((s) => String(s._id) === String(_id));
  if (!stage) throw new CrmError('notFound.stage');
  return stage;
}

/** Step names by id, for lines that show where each opportunity stands. */
export async function opportunityStageNames(): Promise<Map<string, string>> {
  return new Map((await allSteps.get()).map((s) => [String(s._id), s.name]));
}

/** The first active step of a kind: new opportunities start in the first open one; won and lost close them. */
export async function firstOpportunityStage(kind: OpportunityStageKind): Promise<OpportunityStageInfo> {
  const steps = (await cachedSteps()).filter((s) => s.kind === kind);
  const stage = steps.find((s) => s.active) ?? (kind === 'open' ? undefined : steps[0]);
  if (!stage) throw new CrmError('notFound.stage');
  return stage;
}
