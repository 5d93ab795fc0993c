import type { Types } from 'mongoose';
import { OpportunityStage, type OpportunityStageKind } from '../../models/opportunityStage.js';
import { CrmError } from '../shared/errors.js';
import { toObjectId } from '../shared/ids.js';

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

/** The pipeline's steps in the admin's order: chat buttons and board columns follow it. */
export async function listOpportunityStages(opts: { includeInactive?: boolean } = {}): Promise<OpportunityStageInfo[]> {
  const filter = opts.includeInactive ? {} : { active: true };
  return (await OpportunityStage.find(filter).sort({ order: 1, _id: 1 }).lean()) as OpportunityStageInfo[];
}

export async function getOpportunityStage(id: unknown): Promise<OpportunityStageInfo> {
  const stage = await OpportunityStage.findById(toObjectId(id, 'notFound.stage')).lean();
  if (!stage) throw new CrmError('notFound.stage');
  return stage as OpportunityStageInfo;
}

/** The first active step of a kind: new opportunities start in the first open one; won and lost close them. */
export async function firstOpportunityStage(kind: OpportunityStageKind): Promise<OpportunityStageInfo> {
  const stage =
    (await OpportunityStage.findOne({ kind, active: true }).sort({ order: 1, _id: 1 }).lean()) ??
    (kind === 'open' ? null : await OpportunityStage.findOne({ kind }).sort({ order: 1, _id: 1 }).lean());
  if (!stage) throw new CrmError('notFound.stage');
  return stage as OpportunityStageInfo;
}
