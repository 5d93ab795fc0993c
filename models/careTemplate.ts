import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

/** `birthday`: on the customer's birthday; `days_after_won`: N days after a deal with them was won. */
export const CARE_KINDS = ['birthday', 'days_after_won'] as const;
export type CareKind = (typeof CARE_KINDS)[number];

/** A recurring care message the admin writes once; the care job sends it to each customer whose occasion comes. */
const careTemplateSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 120 },
    kind: { type: String, enum: CARE_KINDS, required: true },
    /** For `days_after_won`. */
    days: { type: Number, min: 1, max: 3650 },
    /** With the campaign placeholders: {ten}, {ma}, {nguoi_phu_trach}. */
    text: { type: String, required: true, trim: true, maxlength: 2000 },
    /** The local hour (company time zone) at which the day's messages go out. */
    hour: { type: Number, required: true, min: 0, max: 23, default: 9 },
    active: { type: Boolean, required: true, default: true },
  },
  { timestamps: true },
);
careTemplateSchema.index({ active: 1 });

export type CareTemplateFields = InferSchemaType<typeof careTemplateSchema>;
export type CareTemplateRecord = CareTemplateFields & { _id: Types.ObjectId };
export const CareTemplate = model('CareTemplate', careTemplateSchema);
