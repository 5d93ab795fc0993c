import { Schema, model } from 'mongoose';

/**
 * One row per customer and salesperson: when the last "new message" alert went out, and what came
 * in since without an alert of its own. The chat core sends the first message of a burst at once
 * and folds the rest into one summary per window ("3 tin mới từ KH000215"); the row lives in the
 * database so a restart, or another process receiving the next message, continues the same window.
 */
const messageAlertSchema = new Schema({
  customer: { type: Schema.Types.ObjectId, ref: 'Customer', required: true },
  owner: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  /** Until when further messages are held back for the summary. */
  until: { type: Date, required: true },
  /** Messages received since the last alert, not yet announced. */
  pending: { type: Number, required: true, default: 0 },
  lastText: { type: String },
  lastChannel: { type: String },
});
messageAlertSchema.index({ customer: 1, owner: 1 }, { unique: true });
messageAlertSchema.index({ pending: 1, until: 1 });

export const MessageAlert = model('MessageAlert', messageAlertSchema);
