import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * One staff member's read state for one customer's comments ("Mới cập nhật"). A new comment adds
 * one to `unread` of the owner and followers; opening the card sets it to zero. Counting a
 * person's unread comments is then one indexed query over their own marks, however many
 * comments exist.
 */
const commentReadSchema = new Schema({
  user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  customer: { type: Schema.Types.ObjectId, ref: 'Customer', required: true },
  unread: { type: Number, required: true, default: 0 },
  /** The latest unread comment's time, to list the freshest customers first. */
  lastAt: { type: Date },
  readAt: { type: Date },
});
commentReadSchema.index({ user: 1, customer: 1 }, { unique: true });
commentReadSchema.index({ user: 1, unread: 1 });

export type CommentReadFields = InferSchemaType<typeof commentReadSchema>;
export const CommentRead = model('CommentRead', commentReadSchema);
