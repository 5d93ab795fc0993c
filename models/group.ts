import { bumpsCacheVersion } from './cacheVersion.js';
import { Schema, model, type InferSchemaType } from 'mongoose';

/** A customer category; a customer may be in several. */
const groupSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 80 },
    description: { type: String, trim: true, maxlength: 500 },
    active: { type: Boolean, default: true },
  },
  { timestamps: true },
);
groupSchema.index({ name: 1 }, { unique: true });

export type GroupFields = InferSchemaType<typeof groupSchema>;
// Kept in every process's memory (crm/shared/versionedCache.ts): any write, the panel's too, tells them.
bumpsCacheVersion(groupSchema, 'groups');
export const Group = model('Group', groupSchema);
