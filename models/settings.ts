import { bumpsCacheVersion } from './cacheVersion.js';
import { Schema, model, type InferSchemaType } from 'mongoose';

/** One document (key `global`) of company-wide settings, editable in the admin panel. */
const settingsSchema = new Schema(
  {
    key: { type: String, required: true, default: 'global' },
    dontForgetDays: { type: Number, default: 30, min: 1, max: 3650 },
    /** An open opportunity with no activity for this many days is flagged to its owner in the digest. */
    staleOpportunityDays: { type: Number, default: 14, min: 1, max: 3650 },
    digestHour: { type: Number, default: 8, min: 0, max: 23 },
    timezone: { type: String, default: 'Asia/Ho_Chi_Minh' },
    companyName: { type: String, default: 'chot', trim: true, maxlength: 120 },
    defaultLanguage: { type: String, enum: ['vi', 'en'], default: 'vi' },
    roundRobin: { type: Boolean, default: true },
    /**
     * A small PNG or JPEG shown on documents (quotes), base64: the embedded server does not give
     * binary fields back as bytes. crm/settings/companyLogo.ts checks it.
     */
    companyLogo: { type: String },
  },
  { timestamps: true },
);
settingsSchema.index({ key: 1 }, { unique: true });

export type SettingsFields = InferSchemaType<typeof settingsSchema>;
// Settings and staff are cached in every process (crm/shared/versionedCache.ts): any write tells them.
// The logo is not in the cached settings (crm/settings/settings.ts leaves it out): saving it tells no cache.
bumpsCacheVersion(settingsSchema, 'settings', ['companyLogo']);
export const Settings = model('Settings', settingsSchema);
