import { Schema, model } from 'mongoose';
import { isDuplicateKey } from '../crm/shared/errors.js';

/**
 * "This was done": one document per key (`digest:<user>:<day>`, `campaign-resolved:<id>`).
 * Claimed with an atomic upsert, so two workers or a restart never do the same thing twice.
 * The unique index makes real MongoDB refuse a racing second insert; the embedded server does
 * not enforce it, but its single-threaded upsert gives one document anyway (see STACK.md).
 */
const onceMarkSchema = new Schema({
  key: { type: String, required: true, maxlength: 200 },
  at: { type: Date, required: true },
});
onceMarkSchema.index({ key: 1 }, { unique: true });

export const OnceMark = model('JobOnceMark', onceMarkSchema);

/** True for the one caller that set the mark; false for everyone after (or at the same time). */
export async function claimOnce(key: string, now: Date): Promise<boolean> {
  try {
    const res = await OnceMark.findOneAndUpdate(
      { key },
      { $setOnInsert: { key, at: now } },
      { upsert: true, includeResultMetadata: true, lean: true },
    );
    return !res.lastErrorObject?.updatedExisting;
  } catch (e) {
    if (isDuplicateKey(e)) return false;
    throw e;
  }
}

export async function hasMark(key: string): Promise<boolean> {
  return (await OnceMark.exists({ key })) !== null;
}

export async function setMark(key: string, now: Date): Promise<void> {
  await claimOnce(key, now);
}
