import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * One commit of a customer CSV file. Written before the first customer and marked `done` after
 * the last, so a commit cut short (chot stopped, the database went away) is visible: committing
 * the same file again finds the run still `running` and finishes it instead of starting over.
 */
const importRunSchema = new Schema({
  /** sha256 of the file's text: "the same file" means the same bytes. */
  fileHash: { type: String, required: true },
  status: { type: String, enum: ['running', 'done'], required: true, default: 'running' },
  user: { type: Schema.Types.ObjectId, ref: 'User' },
  userName: { type: String, maxlength: 100 },
  /** Customers the file plans to create, as planned when the run started. */
  total: { type: Number, required: true, default: 0 },
  /** The whole run's result, set when it is done. */
  created: { type: Number },
  merged: { type: Number },
  refused: { type: Number },
  /** How many commits it took (more than one: it was resumed). */
  attempts: { type: Number, required: true, default: 1 },
  startedAt: { type: Date, required: true },
  finishedAt: { type: Date },
});
// One unfinished run per file: two commits of the same file at once share it.
importRunSchema.index({ fileHash: 1 }, { unique: true, partialFilterExpression: { status: 'running' } });
importRunSchema.index({ startedAt: -1 });

export type ImportRunFields = InferSchemaType<typeof importRunSchema>;
export const ImportRun = model('ImportRun', importRunSchema);
