import { Schema, model } from 'mongoose';

/** Named sequences (customer codes). A document per name, advanced with an atomic `$inc`. */
const counterSchema = new Schema({
  name: { type: String, required: true },
  seq: { type: Number, required: true, default: 0 },
});
counterSchema.index({ name: 1 }, { unique: true });

export const Counter = model('Counter', counterSchema);
