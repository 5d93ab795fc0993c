import { Schema, model, type InferSchemaType } from 'mongoose';
import { CHAT_CHANNELS } from './channels.js';

/**
 * A salesperson was at a place for a customer (Getfly's "check-in"): the coordinates their phone
 * sent and when. Kept apart from interactions because a check-in may come before the meeting is
 * logged, or without one.
 */
const checkInSchema = new Schema(
  {
    customer: { type: Schema.Types.ObjectId, ref: 'Customer', required: true },
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    latitude: { type: Number, required: true, min: -90, max: 90 },
    longitude: { type: Number, required: true, min: -180, max: 180 },
    at: { type: Date, required: true },
    channel: { type: String, enum: CHAT_CHANNELS },
    /** Sent while logging this kind of interaction (`meeting`), if so. */
    during: { type: String, trim: true, maxlength: 40 },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
checkInSchema.index({ customer: 1, at: -1 });

export type CheckInFields = InferSchemaType<typeof checkInSchema>;
export const CheckIn = model('CheckIn', checkInSchema);
