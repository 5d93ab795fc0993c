import { Schema, model } from 'mongoose';

/**
 * An admin panel session. The session id is a plain unique field and `_id` stays an ObjectId,
 * because the embedded database refuses string `_id`s (which is why connect-mongo is not used).
 */
const adminSessionSchema = new Schema({
  sid: { type: String, required: true },
  /** The express-session data, stored as JSON text so any value round-trips unchanged. */
  data: { type: String, required: true },
  expiresAt: { type: Date, required: true },
});
adminSessionSchema.index({ sid: 1 }, { unique: true });
// Real MongoDB deletes expired sessions by itself; the store also checks expiry on read,
// because the embedded server never runs TTL deletions.
adminSessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export const AdminSession = model('AdminSession', adminSessionSchema);
