import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { CHAT_CHANNELS } from './channels.js';

/**
 * `scheduled` until its time, `sending` while one worker holds it (claimed before the platform
 * call), then `sent`, `failed` (with a reason) or `cancelled`. A message never leaves `sending`
 * back to `scheduled` once a request may have gone out: at most once, never twice.
 */
export const SCHEDULED_MESSAGE_STATUSES = ['scheduled', 'sending', 'sent', 'failed', 'cancelled'] as const;
export type ScheduledMessageStatus = (typeof SCHEDULED_MESSAGE_STATUSES)[number];

/** A text to one customer at a set time: typed by a salesperson, or made by a care template (birthday, N days after won). */
const scheduledMessageSchema = new Schema(
  {
    customer: { type: Schema.Types.ObjectId, ref: 'Customer', required: true },
    /** The staff member who scheduled it (told when it cannot go out); none for a care message. */
    author: { type: Schema.Types.ObjectId, ref: 'User' },
    text: { type: String, required: true, trim: true, maxlength: 2000 },
    sendAt: { type: Date, required: true },
    status: { type: String, enum: SCHEDULED_MESSAGE_STATUSES, required: true, default: 'scheduled' },
    /** Why it failed or was not sent (`opted_out`, `blocked`, `quota: …`, `unknown_delivery`). */
    reason: { type: String, maxlength: 300 },
    /** Chosen when it is sent: the chat channel the customer last wrote on, else one that reaches them, else SMS or email. */
    channel: { type: String, enum: [...CHAT_CHANNELS, 'sms', 'email'] },
    /** When a worker took it for sending: a `sending` message much older than this was cut off by a crash. */
    claimedAt: { type: Date },
    sentAt: { type: Date },
    /** What records it on the customer's history: a `message_out`, or an email/SMS with its delivery status. */
    interaction: { type: Schema.Types.ObjectId, ref: 'Interaction' },
    cancelledBy: { type: Schema.Types.ObjectId, ref: 'User' },
    /** A care message: its template, and the occasion it is for (unique: once per customer per occasion). */
    careTemplate: { type: Schema.Types.ObjectId, ref: 'CareTemplate' },
    occasionKey: { type: String },
  },
  { timestamps: true },
);
// The job's due query, and the card's "still to send" list.
scheduledMessageSchema.index({ status: 1, sendAt: 1 });
scheduledMessageSchema.index({ customer: 1, status: 1, sendAt: 1 });
scheduledMessageSchema.index({ occasionKey: 1 }, { unique: true, partialFilterExpression: { occasionKey: { $exists: true } } });

export type ScheduledMessageFields = InferSchemaType<typeof scheduledMessageSchema>;
export type ScheduledMessageRecord = ScheduledMessageFields & { _id: Types.ObjectId };
export const ScheduledMessage = model('ScheduledMessage', scheduledMessageSchema);
