import { Schema, model, type InferSchemaType } from 'mongoose';

export const ZALO_INBOX_CHANNELS = ['zalo_oa', 'zalo_bot'] as const;
export type ZaloInboxChannel = (typeof ZALO_INBOX_CHANNELS)[number];

/**
 * Zalo events as accepted from a webhook (or long polling), stored before Zalo gets its 200 and
 * processed from here. `key` is the event's natural id (the message id, or event+user+time for
 * events without one): the same delivery twice is one document, so it is processed once.
 */
const zaloInboxSchema = new Schema(
  {
    channel: { type: String, enum: ZALO_INBOX_CHANNELS, required: true },
    key: { type: String, required: true, maxlength: 300 },
    eventName: { type: String, required: true, maxlength: 100 },
    payload: { type: Schema.Types.Mixed, required: true },
    receivedAt: { type: Date, required: true },
    /** pending → processing → done; failed after too many attempts (kept for a look by hand). */
    status: { type: String, enum: ['pending', 'processing', 'done', 'failed'], default: 'pending' },
    attempts: { type: Number, default: 0 },
    /** A processing claim older than this is taken over (the processor crashed mid-way). */
    claimedUntil: { type: Date },
    /** Not retried before this (back-off after a failed attempt). */
    notBefore: { type: Date },
    processedAt: { type: Date },
    lastError: { type: String, maxlength: 1000 },
  },
  { timestamps: true },
);
zaloInboxSchema.index({ channel: 1, key: 1 }, { unique: true });
zaloInboxSchema.index({ channel: 1, status: 1, receivedAt: 1 });

export type ZaloInboxFields = InferSchemaType<typeof zaloInboxSchema>;
export const ZaloInbox = model('ZaloInbox', zaloInboxSchema);
