import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';

export const FOLLOW_UP_TYPES = ['call', 'meeting', 'email', 'sms', 'task'] as const;
export type FollowUpType = (typeof FOLLOW_UP_TYPES)[number];
/** `scheduled` until due, `open` once due and not done, then `completed` or `cancelled`. */
export const FOLLOW_UP_STATUSES = ['scheduled', 'open', 'completed', 'cancelled'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];
export const RECURRENCES = ['none', 'daily', 'weekly', 'monthly', 'every_n_days'] as const;
export type Recurrence = (typeof RECURRENCES)[number];

const followUpSchema = new Schema(
  {
    customer: { type: Schema.Types.ObjectId, ref: 'Customer', required: true },
    owner: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    type: { type: String, enum: FOLLOW_UP_TYPES, required: true, default: 'call' },
    dueAt: { type: Date, required: true },
    recurrence: { type: String, enum: RECURRENCES, default: 'none' },
    /** For `every_n_days`. */
    everyDays: { type: Number, min: 1, max: 365 },
    status: { type: String, enum: FOLLOW_UP_STATUSES, required: true, default: 'scheduled' },
    note: { type: String, trim: true, maxlength: 1000 },
    completedAt: { type: Date },
    /** The dueAt a reminder was sent for: one reminder per occurrence, even with two workers. */
    remindedFor: { type: Date },
    /** The occurrence this one follows, for a recurring series. */
    previous: { type: Schema.Types.ObjectId, ref: 'FollowUp' },
  },
  { timestamps: true },
);
followUpSchema.index({ owner: 1, status: 1, dueAt: 1 });
followUpSchema.index({ customer: 1, status: 1, dueAt: 1 });
followUpSchema.index({ status: 1, dueAt: 1 });
// The panel's list, sorted by due date with `_id` as tie-breaker, for everyone and for one salesperson.
followUpSchema.index({ dueAt: 1, _id: 1 });
followUpSchema.index({ owner: 1, dueAt: 1, _id: 1 });
// A recurring series has at most one next occurrence, even if "done" is pressed twice.
followUpSchema.index({ previous: 1 }, { unique: true, sparse: true });

export type FollowUpFields = InferSchemaType<typeof followUpSchema>;
export type FollowUpDoc = HydratedDocument<FollowUpFields>;
export const FollowUp = model('FollowUp', followUpSchema);
