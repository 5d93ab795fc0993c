import { Schema, model } from 'mongoose';
import { CHAT_CHANNELS } from './channels.js';

/**
 * The updates already handled, by channel and the platform's update id: a platform that delivers
 * an update twice (webhook retry, polling overlap) gets it handled once. Old rows may be deleted
 * at any time (the TTL index does that on real MongoDB); correctness never depends on it.
 */
const processedUpdateSchema = new Schema({
  channel: { type: String, enum: CHAT_CHANNELS, required: true },
  updateId: { type: String, required: true },
  at: { type: Date, required: true, default: () => new Date() },
});
processedUpdateSchema.index({ channel: 1, updateId: 1 }, { unique: true });
// The retention job (crm/maintenance/retention.ts) deletes with the same limit, also on the embedded database.
export const PROCESSED_UPDATE_RETENTION_DAYS = 2;
processedUpdateSchema.index({ at: 1 }, { expireAfterSeconds: PROCESSED_UPDATE_RETENTION_DAYS * 24 * 3600 });

export const ProcessedUpdate = model('ProcessedUpdate', processedUpdateSchema);
