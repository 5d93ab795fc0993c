import { bumpsCacheVersion } from './cacheVersion.js';
import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { CHAT_CHANNELS, perChannel } from './channels.js';

export const ROLES = ['admin', 'manager', 'sales'] as const;
export type Role = (typeof ROLES)[number];
export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const userSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 100 },
    email: { type: String, required: true, trim: true, lowercase: true, maxlength: 200, match: /^[^\s@]+@[^\s@]+$/ },
    /** Never loaded unless asked for (`select('+passwordHash')`): no list, populate or export can carry it. */
    passwordHash: { type: String, select: false },
    role: { type: String, enum: ROLES, required: true, default: 'sales' },
    active: { type: Boolean, default: true },
    language: { type: String, enum: LANGUAGES, default: 'vi' },
    /** Round-robin assignment only considers sales users who take new leads. */
    takesNewLeads: { type: Boolean, default: true },
    /** The chat account linked on each channel (the platform's user id, as a string). */
    chatIds: perChannel(String),
    /**
     * Only a keyed hash (HMAC with the session secret) of a one-time link code is stored; the code
     * itself is shown once. Never loaded unless asked for, like the password hash.
     */
    linkCodeHash: { type: String, select: false },
    linkCodeExpiresAt: { type: Date },
    /** Round-robin cursor: the user who got a lead longest ago gets the next one. */
    lastLeadAssignedAt: { type: Date, default: () => new Date(0) },
    /**
     * Bumped when the password, the role or the active flag changes: an admin-panel session opened
     * before that ends at its next request (see admin/feature.ts).
     */
    sessionVersion: { type: Number, default: 0 },
  },
  { timestamps: true },
);
userSchema.index({ email: 1 }, { unique: true });
userSchema.index({ role: 1, active: 1, takesNewLeads: 1, lastLeadAssignedAt: 1 });
userSchema.index({ linkCodeHash: 1 }, { sparse: true });
for (const channel of CHAT_CHANNELS) {
  userSchema.index({ [`chatIds.${channel}`]: 1 }, { unique: true, sparse: true });
}

export type UserFields = InferSchemaType<typeof userSchema>;
export type UserDoc = HydratedDocument<UserFields>;
// Settings and staff are cached in every process (crm/shared/versionedCache.ts): any write tells them.
bumpsCacheVersion(userSchema, 'users', ['lastLeadAssignedAt', 'linkCodeHash', 'linkCodeExpiresAt']);
export const User = model('User', userSchema);
