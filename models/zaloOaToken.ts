import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * The Zalo Official Account's OAuth pair, one document per OA app. The refresh token is single-use
 * (every refresh returns a new pair), so the pair lives here, written by whoever holds the lock, and
 * never only in a process's memory. The admin panel reads `status` and `lastError` to show alerts;
 * it must not show the tokens themselves.
 */
const zaloOaTokenSchema = new Schema(
  {
    appId: { type: String, required: true },
    accessToken: { type: String },
    refreshToken: { type: String },
    /** When Zalo says the access token stops working (about 25 h after issue). */
    accessExpiresAt: { type: Date },
    /** Bumped on every stored pair: a waiting process sees a refresh happened by the change. */
    version: { type: Number, default: 0 },
    /** `ok`, or `refresh_failed` until a refresh succeeds again (shown to admins). */
    status: { type: String, enum: ['ok', 'refresh_failed', 'missing'], default: 'ok' },
    lastRefreshAt: { type: Date },
    lastError: {
      at: { type: Date },
      /** Zalo's error code, or `network` when Zalo could not be reached. */
      code: { type: String },
      message: { type: String, maxlength: 500 },
    },
    /**
     * A hash of the refresh token last taken from the configuration: a different one there means an
     * admin re-authorized the app and put a new pair in the environment, which then replaces this one.
     */
    configFingerprint: { type: String },
    /** Refresh lock: who holds it and until when (an expired lock is free, so a crash never wedges it). */
    lockOwner: { type: String },
    lockUntil: { type: Date },
  },
  { timestamps: true },
);
zaloOaTokenSchema.index({ appId: 1 }, { unique: true });

export type ZaloOaTokenFields = InferSchemaType<typeof zaloOaTokenSchema>;
export const ZaloOaToken = model('ZaloOaToken', zaloOaTokenSchema);
