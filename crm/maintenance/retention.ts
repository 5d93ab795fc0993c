import { WEB_MESSAGE_RETENTION_DAYS, WebMessage } from '../../models/webMessage.js';

/**
 * How long chot keeps records that only serve a short window, so a busy bot's database and the
 * embedded database's memory stop growing with traffic: web chat bubbles let a visitor who
 * reloads the page see the conversation again; the conversation itself is kept on the customer
 * as interactions. (Processed update ids need no cleanup: each chat session keeps only its
 * latest few, bot/core/session.ts.)
 * The TTL index on the model does the same on a real MongoDB; the embedded database ignores TTL
 * indexes, so the retention job deletes with the same limit on both.
 */
const DAY = 24 * 3600 * 1000;

export interface RetentionLimits {
  webMessageMs: number;
}

export const DEFAULT_RETENTION: RetentionLimits = { webMessageMs: WEB_MESSAGE_RETENTION_DAYS * DAY };

/** Deletes what is older than the limits at `now`; returns how many went. */
export async function deleteExpired(now: Date, limits: RetentionLimits = DEFAULT_RETENTION): Promise<{ webMessages: number }> {
  const messages = await WebMessage.deleteMany({ createdAt: { $lt: new Date(now.getTime() - limits.webMessageMs) } });
  return { webMessages: messages.deletedCount };
}
