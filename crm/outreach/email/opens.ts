import type { Types } from 'mongoose';
import { EmailOpen } from '../../../models/emailOpen.js';

/** Records one load of the open pixel: the first sets when it was first opened, each one counts. */
export async function recordEmailOpen(trackingId: string, customerId: Types.ObjectId, at: Date = new Date()): Promise<void> {
  await EmailOpen.updateOne(
    { trackingId },
    { $setOnInsert: { trackingId, customer: customerId, firstOpenedAt: at }, $set: { lastOpenedAt: at }, $inc: { count: 1 } },
    { upsert: true },
  );
}

/** Which of these tracked emails were opened, and when first (for campaign reports). */
export async function emailOpens(trackingIds: readonly string[]): Promise<Map<string, Date>> {
  const opens = await EmailOpen.find({ trackingId: { $in: [...trackingIds] } }).select('trackingId firstOpenedAt').lean();
  return new Map(opens.map((o) => [o.trackingId, o.firstOpenedAt]));
}
