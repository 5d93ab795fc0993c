import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { CHAT_CHANNELS } from './channels.js';

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

const segmentSchema = new Schema(
  {
    stages: [{ type: Schema.Types.ObjectId, ref: 'Stage' }],
    groups: [{ type: Schema.Types.ObjectId, ref: 'Group' }],
    sources: [{ type: Schema.Types.ObjectId, ref: 'Source' }],
    owners: [{ type: Schema.Types.ObjectId, ref: 'User' }],
    contactedWithinDays: { type: Number, min: 1, max: 3650 },
    notContactedForDays: { type: Number, min: 1, max: 3650 },
  },
  { _id: false },
);

const countersSchema = new Schema(
  {
    targeted: { type: Number, default: 0 },
    sent: { type: Number, default: 0 },
    failed: { type: Number, default: 0 },
    skipped: { type: Number, default: 0 },
  },
  { _id: false },
);

const campaignSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 120 },
    channels: { type: [{ type: String, enum: CHAT_CHANNELS }], default: ['telegram'] },
    segment: { type: segmentSchema, default: () => ({}) },
    template: { type: String, required: true, maxlength: 2000 },
    scheduledAt: { type: Date },
    status: { type: String, enum: CAMPAIGN_STATUSES, required: true, default: 'draft' },
    counters: { type: countersSchema, default: () => ({}) },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User' },
    startedAt: { type: Date },
    completedAt: { type: Date },
  },
  { timestamps: true },
);
campaignSchema.index({ status: 1, scheduledAt: 1 });

export type CampaignFields = InferSchemaType<typeof campaignSchema>;
export type CampaignDoc = HydratedDocument<CampaignFields>;
export const Campaign = model('Campaign', campaignSchema);
