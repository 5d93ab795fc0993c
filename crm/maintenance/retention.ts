import { PROCESSED_UPDATE_RETENTION_DAYS, ProcessedUpdate } from '../../models/processedUpdate.js';
import { WEB_MESSAGE_RETENTION_DAYS, WebMessage } from '../../models/webMessage.js';

/**
 * How long chot keeps records that only serve a short window, so a busy bot's database and the
 * embedded database's memory stop growing with traffic:
 * - processed update ids stop a redelivered update (webhook retry, polling overlap) from being
 *   handled twice; platforms redeliver within hours (Telegram keeps an update at most 24 h);
 * - web chat bubbles let a visitor who reloads the page see the conversation again; the
 *   conversation itself is kept on the customer as interactions.
 * The TTL indexes on the models do the same on a real MongoDB; the embedded database ignores TTL
 * indexes, so the retention job deletes with the same limits on both.
 */
const DAY = 24 * 3600 * 1000;

export interface RetentionLimits {
  processedUpdateMs: number;
  webMessageMs: number;
}

export const DEFAULT_RETENTION: RetentionLimits = { processedUpdateMs: PROCESSED_UPDATE_RETENTION_DAYS * DAY, webMessageMs: WEB_MESSAGE_RETENTION_DAYS * DAY };

/** Deletes what is older than the limits at `now`; returns how many of each went. */
export async function deleteExpired(now: Date, limits: RetentionLimits = DEFAULT_RETENTION): Promise<{ processedUpdates: number; webMessages: number }> {
  const [updates, messages] = await Promise.all([
    ProcessedUpdate.deleteMany({ at: { $lt: new Date(now.getTime() - limits.processedUpdateMs) } }),
    WebMessage.deleteMany({ createdAt: { $lt: new Date(now.getTime() - limits.webMessageMs) } }),
  ]);
  return { processedUpdates: updates.deletedCount, webMessages: messages.deletedCount };
}
