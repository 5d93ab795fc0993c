import { Schema, model } from 'mongoose';

/**
 * Keys chot generates for itself when the environment gives none, kept in the database so every
 * process (web and worker) and every restart signs and checks with the same one. Never shown in
 * the panel: this model is not a panel resource.
 */
const signingKeySchema = new Schema(
  {
    name: { type: String, required: true },
    key: { type: String, required: true },
  },
  { timestamps: true },
);
signingKeySchema.index({ name: 1 }, { unique: true });

export const SigningKey = model('SigningKey', signingKeySchema);
