import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { CHAT_CHANNELS, type ChatChannel } from './channels.js';
import { OUTREACH_CHANNELS, type OutreachChannel } from '../crm/outreach/types.js';

/** Where a campaign message can go: a chat account, or an email address / phone number (outreach). */
export const CAMPAIGN_CHANNELS = [...CHAT_CHANNELS, ...OUTREACH_CHANNELS] as const;
export type CampaignChannel = ChatChannel | OutreachChannel;

/** Customer fields a ZNS template parameter can be filled from: a short fixed list, so nothing private leaks by a typo. */
export const ZNS_PARAM_FIELDS = ['name', 'code', 'owner', 'phone', 'email'] as const;
export type ZnsParamField = (typeof ZNS_PARAM_FIELDS)[number];

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

const znsParamSchema = new Schema(
  {
    /** The parameter's name in the template registered at Zalo (e.g. `customer_name`). */
    key: { type: String, required: true, trim: true, maxlength: 60 },
    field: { type: String, enum: ZNS_PARAM_FIELDS, required: true },
  },
  { _id: false },
);

/** What a campaign says on the outreach channels; the chat template is also the email and default SMS body. */
const outreachContentSchema = new Schema(
  {
    emailSubject: { type: String, trim: true, maxlength: 200 },
    /** Empty: the SMS carries the chat template. */
    smsText: { type: String, maxlength: 1000 },
    znsTemplateId: { type: String, trim: true, maxlength: 40 },
    znsParams: { type: [znsParamSchema], default: [] },
  },
  { _id: false },
);

const campaignSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 120 },
    /** In order of preference: each customer gets the message once, on the first channel that reaches them. */
    channels: { type: [{ type: String, enum: CAMPAIGN_CHANNELS }], default: ['telegram'] },
    segment: { type: segmentSchema, default: () => ({}) },
    template: { type: String, required: true, maxlength: 2000 },
    outreach: { type: outreachContentSchema, default: () => ({}) },
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
