import { Schema, model, type InferSchemaType } from 'mongoose';

/** A won deal: recorded when a customer moves to a `won` stage with an amount, or an opportunity is won. */
const dealSchema = new Schema(
  {
    // An opportunity with an organization only has no customer to name; every other deal has one.
    customer: { type: Schema.Types.ObjectId, ref: 'Customer', required: function (this: { organization?: unknown }) { return !this.organization; } },
    organization: { type: Schema.Types.ObjectId, ref: 'Organization' },
    /** The opportunity whose win recorded it: at most one deal per opportunity. */
    opportunity: { type: Schema.Types.ObjectId, ref: 'Opportunity' },
    amount: { type: Number, required: true, min: 0, max: 1e15 },
    closedAt: { type: Date, required: true, default: () => new Date() },
    by: { type: Schema.Types.ObjectId, ref: 'User' },
    // Copied from the customer when the deal closes, so revenue reports need no join.
    owner: { type: Schema.Types.ObjectId, ref: 'User' },
    source: { type: Schema.Types.ObjectId, ref: 'Source' },
  },
  { timestamps: true },
);
// Lists break ties on `_id`: indexes that end in it serve the whole sort.
dealSchema.index({ closedAt: -1, _id: -1 });
dealSchema.index({ customer: 1 });
dealSchema.index({ opportunity: 1 }, { unique: true, partialFilterExpression: { opportunity: { $exists: true } } });
dealSchema.index({ owner: 1, closedAt: -1, _id: -1 });

export type DealFields = InferSchemaType<typeof dealSchema>;
export const Deal = model('Deal', dealSchema);
