import { Schema, model, type InferSchemaType } from 'mongoose';
import { CHAT_CHANNELS } from './channels.js';

/** What a stored file is, as the team sees it: a picture shown inline, or a document to download. */
export const ATTACHMENT_KINDS = ['photo', 'document'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

/**
 * A file kept with a customer: a site photo or a contract a salesperson sent while the card was
 * open, or a picture the customer sent. The bytes live in GridFS (bucket `attachments`, same
 * database: one backup holds everything); this document says whose it is and what it really is.
 * `contentType` is what the bytes were sniffed to be, never what the sender claimed.
 */
const attachmentSchema = new Schema(
  {
    customer: { type: Schema.Types.ObjectId, ref: 'Customer', required: true },
    kind: { type: String, enum: ATTACHMENT_KINDS, required: true },
    /** The GridFS file id (attachments.files). */
    fileId: { type: Schema.Types.ObjectId, required: true },
    originalName: { type: String, trim: true, maxlength: 255, required: true },
    contentType: { type: String, required: true },
    size: { type: Number, required: true, min: 0 },
    /** `staff`: uploadedBy sent it; `customer`: the customer sent it on `channel`. */
    from: { type: String, enum: ['staff', 'customer'], required: true },
    uploadedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    channel: { type: String, enum: [...CHAT_CHANNELS, 'panel'] },
    /** The conversation line that shows it, when there is one (a customer's file). */
    interaction: { type: Schema.Types.ObjectId, ref: 'Interaction' },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
attachmentSchema.index({ customer: 1, createdAt: -1 });
attachmentSchema.index({ fileId: 1 }, { unique: true });

export type AttachmentFields = InferSchemaType<typeof attachmentSchema>;
export const Attachment = model('Attachment', attachmentSchema);
