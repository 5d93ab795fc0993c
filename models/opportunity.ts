import { bumpsCacheVersion } from './cacheVersion.js';
import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';

export const OPPORTUNITY_STATUSES = ['open', 'won', 'lost'] as const;
export type OpportunityStatus = (typeof OPPORTUNITY_STATUSES)[number];

const opportunityLineSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 200 },
    quantity: { type: Number, required: true, min: 0, max: 1e9 },
    unitPrice: { type: Number, required: true, min: 0, max: 1e15 },
  },
  { _id: false },
);

/**
 * A sale in progress (cơ hội) with a customer or an organization, or both (a contact at it). Its
 * value and probability make the forecast; winning it records the Deal, so revenue stays in one place.
 */
const opportunitySchema = new Schema(
  {
    /** CH000001…: a counter of its own. */
    code: { type: String, required: true },
    name: { type: String, required: true, trim: true, maxlength: 200 },
    customer: { type: Schema.Types.ObjectId, ref: 'Customer' },
    organization: { type: Schema.Types.ObjectId, ref: 'Organization' },
    /** Expected value in đồng. */
    value: { type: Number, required: true, min: 0, max: 1e15, default: 0 },
    probability: { type: Number, min: 0, max: 100 },
    expectedCloseAt: { type: Date },
    owner: { type: Schema.Types.ObjectId, ref: 'User' },
    source: { type: Schema.Types.ObjectId, ref: 'Source' },
    stage: { type: Schema.Types.ObjectId, ref: 'OpportunityStage', required: true },
    status: { type: String, enum: OPPORTUNITY_STATUSES, required: true, default: 'open' },
    lostReason: { type: String, trim: true, maxlength: 500 },
    lines: { type: [opportunityLineSchema], default: [] },
    /** The Deal recorded when it was won (exactly one). */
    deal: { type: Schema.Types.ObjectId, ref: 'Deal' },
    closedAt: { type: Date },
    /** Last time anyone logged activity on it or moved it: the stale-opportunity rule reads it. */
    lastActivityAt: { type: Date },
    deletedAt: { type: Date },
  },
  { timestamps: true },
);
opportunitySchema.index({ code: 1 }, { unique: true });
opportunitySchema.index({ owner: 1, status: 1, stage: 1 });
opportunitySchema.index({ customer: 1, status: 1 });
opportunitySchema.index({ organization: 1, status: 1 });
opportunitySchema.index({ status: 1, expectedCloseAt: 1 });

export type OpportunityFields = InferSchemaType<typeof opportunitySchema>;
export type OpportunityDoc = HydratedDocument<OpportunityFields>;
// Whether any opportunity is left is cached (crm/opportunities/opportunities.ts): creating and deleting tell it.
bumpsCacheVersion(opportunitySchema, 'opportunitiesInUse', [], ['deletedAt']);
export const Opportunity = model('Opportunity', opportunitySchema);
