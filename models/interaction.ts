import { Schema, model, type InferSchemaType } from 'mongoose';
import { CHAT_CHANNELS } from './channels.js';

/** What a salesperson logs by hand, plus the chat messages in and out. */
export const LOGGED_INTERACTION_TYPES = ['call', 'meeting', 'email', 'sms', 'note'] as const;
export const INTERACTION_TYPES = [...LOGGED_INTERACTION_TYPES, 'message_in', 'message_out'] as const;
export type InteractionType = (typeof INTERACTION_TYPES)[number];
export type LoggedInteractionType = (typeof LOGGED_INTERACTION_TYPES)[number];

const interactionSchema = new Schema(
  {
    customer: { type: Schema.Types.ObjectId, ref: 'Customer', required: true },
    /** Absent for a customer's own message. */
    user: { type: Schema.Types.ObjectId, ref: 'User' },
    type: { type: String, enum: INTERACTION_TYPES, required: true },
    channel: { type: String, enum: [...CHAT_CHANNELS, 'phone', 'email', 'in_person', 'other'] },
    text: { type: String, trim: true, maxlength: 5000 },
    outcome: { type: String, trim: true, maxlength: 500 },
    occurredAt: { type: Date, required: true, default: () => new Date() },
    /** Whether this resets the don't-forget clock (a salesperson reached the customer). */
    countsAsContact: { type: Boolean, default: true },
    /** An email or SMS chot sent itself: whether the provider took it, or why not (its own code kept). */
    delivery: {
      type: new Schema(
        {
          status: { type: String, enum: ['sent', 'failed'], required: true },
          reason: { type: String, maxlength: 50 },
          code: { type: String, maxlength: 50 },
          detail: { type: String, maxlength: 300 },
          providerId: { type: String, maxlength: 200 },
          trackingId: { type: String, maxlength: 200 },
          costVnd: { type: Number },
        },
        { _id: false },
      ),
    },
  },
  { timestamps: true },
);
// Lists break ties on `_id`: indexes that end in it serve the whole sort.
interactionSchema.index({ customer: 1, occurredAt: -1, _id: -1 });
interactionSchema.index({ user: 1, occurredAt: -1 });
interactionSchema.index({ occurredAt: -1, _id: -1 });

export type InteractionFields = InferSchemaType<typeof interactionSchema>;
export const Interaction = model('Interaction', interactionSchema);
