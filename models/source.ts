import { bumpsCacheVersion } from './cacheVersion.js';
import { Schema, model, type InferSchemaType } from 'mongoose';
import { SOURCE_CHANNELS } from './channels.js';

const sourceSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 80 },
    code: { type: String, required: true, trim: true, lowercase: true, match: /^[a-z0-9_-]{1,40}$/ },
    channel: { type: String, enum: SOURCE_CHANNELS, required: true, default: 'manual' },
    active: { type: Boolean, default: true },
  },
  { timestamps: true },
);
sourceSchema.index({ code: 1 }, { unique: true });
sourceSchema.index({ channel: 1 });

export type SourceFields = InferSchemaType<typeof sourceSchema>;
// Kept in every process's memory (crm/shared/versionedCache.ts): any write, the panel's too, tells them.
bumpsCacheVersion(sourceSchema, 'sources');
export const Source = model('Source', sourceSchema);
