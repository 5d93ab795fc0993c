import { Schema, model, type InferSchemaType } from 'mongoose';

/** The audit trail of every stage move, by a user or by the system. */
const stageChangeSchema = new Schema({
  customer: { type: Schema.Types.ObjectId, ref: 'Customer', required: true },
  from: { type: Schema.Types.ObjectId, ref: 'Stage' },
  to: { type: Schema.Types.ObjectId, ref: 'Stage', required: true },
  /** Absent when the system moved the customer (don't-forget sweep, revert on contact). */
  by: { type: Schema.Types.ObjectId, ref: 'User' },
  reason: { type: String, trim: true, maxlength: 500 },
  at: { type: Date, required: true, default: () => new Date() },
});
// One move of one customer to one stage at one instant: a sweep re-run after a crash cannot log twice.
stageChangeSchema.index({ customer: 1, at: -1, to: 1 }, { unique: true });
stageChangeSchema.index({ at: -1 });

export type StageChangeFields = InferSchemaType<typeof stageChangeSchema>;
export const StageChange = model('StageChange', stageChangeSchema);
