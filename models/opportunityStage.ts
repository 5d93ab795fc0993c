import { bumpsCacheVersion } from './cacheVersion.js';
import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';

/**
 * A step of the opportunity pipeline (Tiếp cận → Đánh giá nhu cầu → Gửi báo giá → Thương lượng →
 * Thắng / Thua), edited and ordered by the admin. Separate from the customer's relationship stages:
 * one customer can have several opportunities at different steps.
 */
export const OPPORTUNITY_STAGE_KINDS = ['open', 'won', 'lost'] as const;
export type OpportunityStageKind = (typeof OPPORTUNITY_STAGE_KINDS)[number];

const opportunityStageSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 60 },
    code: { type: String, required: true, trim: true, lowercase: true, match: /^[a-z0-9_-]{1,30}$/ },
    color: { type: String, default: '#64748b', match: /^#[0-9a-fA-F]{6}$/ },
    order: { type: Number, required: true, default: 0 },
    kind: { type: String, enum: OPPORTUNITY_STAGE_KINDS, required: true, default: 'open' },
    /** The probability (%) an opportunity gets when it enters this step, unless one was typed. */
    probability: { type: Number, min: 0, max: 100 },
    active: { type: Boolean, default: true },
  },
  { timestamps: true },
);
opportunityStageSchema.index({ code: 1 }, { unique: true });
opportunityStageSchema.index({ order: 1 });

export type OpportunityStageFields = InferSchemaType<typeof opportunityStageSchema>;
export type OpportunityStageDoc = HydratedDocument<OpportunityStageFields>;
// Kept in every process's memory (crm/shared/versionedCache.ts): any write, the panel's too, tells them.
bumpsCacheVersion(opportunityStageSchema, 'opportunityStages');
export const OpportunityStage = model('OpportunityStage', opportunityStageSchema);
