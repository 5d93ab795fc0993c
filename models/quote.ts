import { Schema, model, type InferSchemaType } from 'mongoose';
import { CHAT_CHANNELS } from './channels.js';

export const QUOTE_STATUSES = ['draft', 'sent', 'accepted', 'rejected'] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];
export const DISCOUNT_KINDS = ['percent', 'amount'] as const;

/** One line as it was quoted: name, unit and price are copied, so editing the product later does not rewrite a sent quote. */
const quoteLineSchema = new Schema(
  {
    product: { type: Schema.Types.ObjectId, ref: 'Product' },
    name: { type: String, required: true, trim: true, maxlength: 200 },
    unit: { type: String, trim: true, maxlength: 30, default: '' },
    quantity: { type: Number, required: true, min: 0, max: 1e9 },
    unitPrice: { type: Number, required: true, min: 0, max: 1e15 },
    total: { type: Number, required: true, min: 0 },
  },
  { _id: false },
);

/**
 * A quote (báo giá) to a customer, optionally for one of their opportunities. Money is whole đồng;
 * `subtotal`, `discountAmount` and `total` are computed by crm/quotes/quoteMath.ts and stored as sent.
 */
const quoteSchema = new Schema(
  {
    /** BG000001…: a counter of its own. */
    code: { type: String, required: true },
    customer: { type: Schema.Types.ObjectId, ref: 'Customer', required: true },
    opportunity: { type: Schema.Types.ObjectId, ref: 'Opportunity' },
    lines: { type: [quoteLineSchema], default: [] },
    subtotal: { type: Number, required: true, min: 0, default: 0 },
    discountKind: { type: String, enum: DISCOUNT_KINDS },
    /** A percent (0–100) or an amount in đồng, by `discountKind`. */
    discountValue: { type: Number, min: 0 },
    discountAmount: { type: Number, min: 0, default: 0 },
    total: { type: Number, required: true, min: 0, default: 0 },
    status: { type: String, enum: QUOTE_STATUSES, required: true, default: 'draft' },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User' },
    sentAt: { type: Date },
    /** Where the PDF went: a customer channel, or `staff` when the salesperson forwards it themself. */
    channel: { type: String, enum: [...CHAT_CHANNELS, 'staff'] },
    pdfFileId: { type: Schema.Types.ObjectId },
    pdfSize: { type: Number },
    decidedAt: { type: Date },
  },
  { timestamps: true },
);
quoteSchema.index({ code: 1 }, { unique: true });
quoteSchema.index({ customer: 1, createdAt: -1 });
quoteSchema.index({ opportunity: 1 });

export type QuoteFields = InferSchemaType<typeof quoteSchema>;
export const Quote = model('Quote', quoteSchema);
