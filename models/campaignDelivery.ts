import { Schema, model, type InferSchemaType } from 'mongoose';
import { CHAT_CHANNELS } from './channels.js';

/** `sending` is claimed before the platform call, so a crash never leads to a second send. */
export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

const campaignDeliverySchema = new Schema(
  {
    campaign: { type: Schema.Types.ObjectId, ref: 'Campaign', required: true },
    customer: { type: Schema.Types.ObjectId, ref: 'Customer', required: true },
    channel: { type: String, enum: CHAT_CHANNELS },
    status: { type: String, enum: DELIVERY_STATUSES, required: true, default: 'pending' },
    reason: { type: String, maxlength: 500 },
    attempts: { type: Number, default: 0 },
    sentAt: { type: Date },
  },
  { timestamps: true },
);
campaignDeliverySchema.index({ campaign: 1, customer: 1 }, { unique: true });
// The next pending delivery is claimed in `_id` order: the index gives that order without a sort.
campaignDeliverySchema.index({ campaign: 1, status: 1, _id: 1 });
// Opting a customer out looks up their deliveries.
campaignDeliverySchema.index({ customer: 1, status: 1 });

export type CampaignDeliveryFields = InferSchemaType<typeof campaignDeliverySchema>;
export const CampaignDelivery = model('CampaignDelivery', campaignDeliverySchema);
