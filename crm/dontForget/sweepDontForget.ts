import type { Types } from 'mongoose';
import { Customer } from '../../models/customer.js';
import { Stage } from '../../models/stage.js';
import { StageChange } from '../../models/stageChange.js';
import { getSettings } from '../settings/settings.js';
import { getDormantStage } from '../stages/stages.js';
import { isDuplicateKey } from '../shared/errors.js';
import { rollCustomers } from '../rollups/record.js';

export interface SweptCustomer {
  _id: Types.ObjectId;
  code: string;
  name: string;
  owner?: Types.ObjectId | null;
  previousStage?: Types.ObjectId | null;
}

export interface SweepResult {
  moved: SweptCustomer[];
  threshold: Date;
}

/**
 * Moves every customer in an open stage not contacted for `dontForgetDays` to the dormant stage
 * ("Đừng quên"), remembering the stage it was in, with one StageChange each by the system.
 *
 * Database work is a constant number of commands, not one per customer: one updateMany per open
 * stage (a pipeline update would do it in one, but the embedded server lacks it), then the moved
 * customers are read back, audited with one insertMany and unmarked with one updateMany.
 * `sweepPending` makes it repairable: a crash after the move is finished by the next run, and
 * StageChange's unique key (customer, at, to) keeps the audit from being written twice.
 */
export async function sweepDontForget(now = new Date()): Promise<SweepResult> {
  const settings = await getSettings();
  const threshold = new Date(now.getTime() - settings.dontForgetDays * 24 * 60 * 60 * 1000);
  const dormant = await getDormantStage();
  if (!dormant) return { moved: [], threshold };
  const openStages = await Stage.find({ kind: 'open' }).select('_id').lean();
  const due = {
    deletedAt: null,
    $or: [{ lastContactAt: { $lt: threshold } }, { lastContactAt: null, createdAt: { $lt: threshold } }],
  };
  for (const stage of openStages) {
    await Customer.updateMany(
      { stage: stage._id, ...due },
      { $set: { stage: dormant._id, previousStage: stage._id, dormantSince: now, sweepPending: true } },
    );
  }
  // A large batch size: the moved customers come back in a few round trips, not one per 100.
  const moved = (await Customer.find({ sweepPending: true }, { code: 1, name: 1, owner: 1, previousStage: 1, dormantSince: 1, stage: 1, source: 1, createdAt: 1, referrer: 1 })
    .batchSize(50_000)
    .lean()) as (SweptCustomer & {
    dormantSince: Date;
    stage: Types.ObjectId;
    source?: Types.ObjectId | null;
    createdAt: Date;
    referrer?: { kind: string; id: Types.ObjectId } | null;
  })[];
  if (!moved.length) return { moved: [], threshold };
  try {
    await StageChange.insertMany(
      moved.map((c) => ({ customer: c._id, from: c.previousStage, to: c.stage, reason: 'dont_forget', at: c.dormantSince ?? now })),
      { ordered: false },
    );
  } catch (e) {
    // Duplicates are audit lines already written by a run that crashed before unmarking.
    if (!isDuplicateKey(e)) throw e;
  }
  // The moves are counted incrementally, from the stage each customer was in to dormant, in one bulk
  // write whatever the number moved, rather than marking the rollups for a recount: a moved customer
  // carries everything needed. Counted before unmarking, so a crash here is counted again by the
  // next run (off by the crashed batch until the verification job repairs it), never lost.
  await rollCustomers(moved.map((c) => ({ before: { ...c, stage: c.previousStage }, after: c })));
  // Unmark by the sweep times seen rather than by a list of ids: one small filter whatever the count
  // (a long `_id: {$in}` is slow on the embedded server), and a concurrent sweep's newer marks stay.
  const sweptAt = [...new Set(moved.map((c) => (c.dormantSince ?? now).getTime()))].map((t) => new Date(t));
  await Customer.updateMany({ sweepPending: true, dormantSince: { $in: sweptAt } }, { $unset: { sweepPending: 1 } });
  return { moved: moved.map(({ _id, code, name, owner, previousStage }) => ({ _id, code, name, owner, previousStage })), threshold };
}
