import { Schema, model } from 'mongoose';

/**
 * A time-limited claim on a piece of work ("campaign <id> is being sent by worker X until T").
 * Agenda's lock already keeps one worker on the campaign job; the lease makes that true per
 * campaign even if that lock expires or someone runs the sender from elsewhere, which is what
 * allows a new holder to treat deliveries left in `sending` as interrupted.
 *
 * Expiry is compared on the caller's clock, not the database's: CongoDB has no update pipelines
 * (`$$NOW`) and the jobs' tests drive a manual clock. Worker clocks must therefore agree within a
 * few seconds (NTP), as the README says; a clock ahead by more than the lease could steal it.
 */
const leaseSchema = new Schema({
  key: { type: String, required: true, maxlength: 200 },
  holder: { type: String, maxlength: 200 },
  expiresAt: { type: Date, required: true },
});
leaseSchema.index({ key: 1 }, { unique: true });

export const JobLease = model('JobLease', leaseSchema);

/** Takes or renews the lease; true when `holder` has it until `now + ttlMs`. */
export async function acquireLease(key: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
  try {
    // Two steps, because an upsert with a condition on holder/expiry would insert a second document
    // on a server that does not enforce the unique index.
    await JobLease.updateOne({ key }, { $setOnInsert: { key, expiresAt: new Date(0) } }, { upsert: true });
  } catch (e) {
    if ((e as { code?: number }).code !== 11000) throw e;
  }
  const res = await JobLease.updateOne(
    { key, $or: [{ holder }, { expiresAt: { $lte: now } }] },
    { $set: { holder, expiresAt: new Date(now.getTime() + ttlMs) } },
  );
  return res.matchedCount === 1;
}

export async function releaseLease(key: string, holder: string): Promise<void> {
  await JobLease.updateOne({ key, holder }, { $set: { expiresAt: new Date(0) } });
}
