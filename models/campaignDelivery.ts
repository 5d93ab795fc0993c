import { Schema, model, type InferSchemaType } from 'mongoose';
import { CAMPAIGN_CHANNELS } from './campaign.js';

/** `sending` is claimed before the platform call, so a crash never leads to a second send. */
export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

const campaignDeliverySchema = new Schema(
  {
    campaign: { type: Schema.Types.ObjectId, ref: 'Campaign', required: true },
    customer: { type: Schema.Types.ObjectId, ref: 'Customer', required: true },
    channel: { type: String, enum: CAMPAIGN_CHANNELS },
    /** The customer's owner when the campaign was resolved: whose KPI a delivered SMS/ZNS or an opened email counts for. */
    owner: { type: Schema.Types.ObjectId, ref: 'User' },
    /** Outreach only: the email or phone it went to, and the id the provider reports back with (receipts, opens). */
    address: { type: String, maxlength: 200 },
    trackingId: { type: String, maxlength: 80 },
    providerId: { type: String, maxlength: 200 },
    /** The provider's own code for a refusal (Zalo's -1xx, SMTP 5xx, the gateway's), as it said it. */
    providerCode: { type: String, maxlength: 60 },
    costVnd: { type: Number },
    /** A delivery receipt, when the provider sends one; without it "sent" means accepted by the provider. */
    receipt: { type: String, enum: ['delivered', 'failed'] },
    receiptAt: { type: Date },
    /** Email: the first time the open-tracking pixel was loaded. */
    openedAt: { type: Date },
    status: { type: String, enum: DELIVERY_STATUSES, required: true, default: 'pending' },
    reason: { type: String, maxlength: 500 },
    attempts: { type: Number, default: 0 },
    /** Which batch claim moved it to `sending` (a random token): the claimer reads back only what it won. */
    claim: { type: String, maxlength: 40 },
    sentAt: { type: Date },
  },
  { timestamps: true },
);
campaignDeliverySchema.index({ campaign: 1, customer: 1 }, { unique: true });
// The next pending delivery is claimed in `_id` order: the index gives that order without a sort.
campaignDeliverySchema.index({ campaign: 1, status: 1, _id: 1 });
// Opting a customer out looks up their deliveries.
campaignDeliverySchema.index({ customer: 1, status: 1 });
campaignDeliverySchema.index({ trackingId: 1 }, { unique: true, sparse: true });
// The interactions KPI reads qualifying outreach deliveries by owner and time.
campaignDeliverySchema.index({ owner: 1, sentAt: 1 });

export type CampaignDeliveryFields = InferSchemaType<typeof campaignDeliverySchema>;
export const CampaignDelivery = model('CampaignDelivery', campaignDeliverySchema);
