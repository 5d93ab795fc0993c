import { bumpsCacheVersion } from './cacheVersion.js';
import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';

/**
 * `open` stages are worked on; `won`/`lost` close the relationship; `dormant` is the
 * automatic "Đừng quên" stage that only the don't-forget rule may set.
 */
export const STAGE_KINDS = ['open', 'won', 'lost', 'dormant'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

const stageSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 60 },
    code: { type: String, required: true, trim: true, lowercase: true, match: /^[a-z0-9_-]{1,30}$/ },
    color: { type: String, default: '#64748b', match: /^#[0-9a-fA-F]{6}$/ },
    order: { type: Number, required: true, default: 0 },
    kind: { type: String, enum: STAGE_KINDS, required: true, default: 'open' },
    isDefault: { type: Boolean, default: false },
    active: { type: Boolean, default: true },
  },
  { timestamps: true },
);
stageSchema.index({ code: 1 }, { unique: true });
stageSchema.index({ order: 1 });

export type StageFields = InferSchemaType<typeof stageSchema>;
export type StageDoc = HydratedDocument<StageFields>;
// Kept in every process's memory (crm/shared/versionedCache.ts): any write, the panel's too, tells them.
bumpsCacheVersion(stageSchema, 'stages');
export const Stage = model('Stage', stageSchema);
