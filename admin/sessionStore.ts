import session from 'express-session';
import { AdminSession } from '../models/adminSession.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * express-session store over a mongoose model. Written here instead of using connect-mongo because
 * connect-mongo stores the session id as a string `_id`, which the embedded database refuses; the
 * id lives in a unique `sid` field and `_id` stays an ObjectId, which works on both databases.
 */
export class MongooseSessionStore extends session.Store {
  private pruneTimer?: NodeJS.Timeout;

  /** Expired sessions are ignored on read; pruning only frees space (the embedded database has no TTL). */
  startPruning(everyMs = 60 * 60 * 1000): void {
    this.pruneTimer = setInterval(() => void this.prune().catch(() => undefined), everyMs);
    this.pruneTimer.unref();
  }

  stopPruning(): void {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
  }

  async prune(now = new Date()): Promise<number> {
    const res = await AdminSession.deleteMany({ expiresAt: { $lte: now } });
    return res.deletedCount;
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    AdminSession.findOne({ sid: String(sid) })
      .lean()
      .then((doc) => {
        if (!doc || doc.expiresAt.getTime() <= Date.now()) return callback(null, null);
        callback(null, JSON.parse(doc.data) as session.SessionData);
      }, callback);
  }

  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    AdminSession.findOneAndUpdate(
      { sid: String(sid) },
      { $set: { data: JSON.stringify(data), expiresAt: expiryOf(data) } },
      { upsert: true },
    ).then(() => callback?.(), (err) => callback?.(err));
  }

  override touch(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    AdminSession.updateOne({ sid: String(sid) }, { $set: { expiresAt: expiryOf(data) } }).then(
      () => callback?.(),
      (err) => callback?.(err),
    );
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    AdminSession.deleteOne({ sid: String(sid) }).then(
      () => callback?.(),
      (err) => callback?.(err),
    );
  }
}

function expiryOf(data: session.SessionData): Date {
  const expires = data.cookie?.expires;
  return expires ? new Date(expires) : new Date(Date.now() + DAY_MS);
}
