import { Schema, model, type InferSchemaType } from 'mongoose';

/** What a comment is about: a customer today; organizations and opportunities use the same shape. */
export const COMMENT_TARGET_KINDS = ['customer', 'organization', 'opportunity'] as const;
export type CommentTargetKind = (typeof COMMENT_TARGET_KINDS)[number];

/** Longest comment accepted; a chat message fits, an essay is refused with a message (not cut). */
export const COMMENT_MAX_LENGTH = 2000;

const targetSchema = new Schema(
  {
    kind: { type: String, enum: COMMENT_TARGET_KINDS, required: true },
    id: { type: Schema.Types.ObjectId, required: true },
  },
  { _id: false },
);

/** The team talking about a customer: who wrote what, whom they named with @, and when. */
const commentSchema = new Schema(
  {
    author: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    target: { type: targetSchema, required: true },
    text: { type: String, required: true, trim: true, maxlength: COMMENT_MAX_LENGTH },
    /** Colleagues named with @ (resolved user ids, never the typed names). */
    mentions: { type: [{ type: Schema.Types.ObjectId, ref: 'User' }], default: [] },
    createdAt: { type: Date, required: true, default: () => new Date() },
    editedAt: { type: Date },
    /** Kept for the record: a deleted comment disappears from every view but is never erased. */
    deletedAt: { type: Date },
  },
);
commentSchema.index({ 'target.kind': 1, 'target.id': 1, createdAt: -1 });
commentSchema.index({ author: 1, createdAt: -1 });

export type CommentFields = InferSchemaType<typeof commentSchema>;
export const Comment = model('Comment', commentSchema);
