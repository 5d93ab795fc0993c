import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * Opens of a tracked email (the open pixel), one document per tracking id. Only written when the
 * admin turned open tracking on (EMAIL_OPEN_TRACKING). An image-blocking client never counts, and a
 * mail server that fetches images ahead may count an open nobody made: opens are an indication.
 */
const emailOpenSchema = new Schema(
  {
    trackingId: { type: String, required: true, maxlength: 200 },
    customer: { type: Schema.Types.ObjectId, ref: 'Customer', required: true },
    firstOpenedAt: { type: Date, required: true },
    lastOpenedAt: { type: Date, required: true },
    count: { type: Number, default: 0 },
  },
  { timestamps: true },
);
emailOpenSchema.index({ trackingId: 1 }, { unique: true });
emailOpenSchema.index({ customer: 1, firstOpenedAt: -1 });

export type EmailOpenFields = InferSchemaType<typeof emailOpenSchema>;
export const EmailOpen = model('EmailOpen', emailOpenSchema);
