import { ProcessedUpdate } from '../../models/processedUpdate.js';
import type { ChatChannel } from '../../models/channels.js';
import { isDuplicateKey } from '../../crm/shared/errors.js';

/**
 * Claims an update for handling. True the first time (channel, updateId) is seen, false after.
 * One atomic upsert whose metadata says whether the row existed: that holds on the embedded
 * server, which does not enforce the unique index, and on real MongoDB, where the index also
 * settles two claims racing.
 */
export async function claimUpdate(channel: ChatChannel, updateId: string, now = new Date()): Promise<boolean> {
  try {
    const result = await ProcessedUpdate.collection.findOneAndUpdate(
      { channel, updateId: String(updateId) },
      { $setOnInsert: { channel, updateId: String(updateId), at: now } },
      { upsert: true, includeResultMetadata: true },
    );
    return !result.lastErrorObject?.updatedExisting;
  } catch (err) {
    // A duplicate key here means another process claimed it at the same moment.
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}
