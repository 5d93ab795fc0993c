import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * A product or service the company quotes (sản phẩm / dịch vụ). Prices are whole đồng: VND has no
 * smaller unit, so integers keep every total exact. Retired items stay (old quotes point at them)
 * and are only hidden from new quotes by `active`.
 */
const productSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 200 },
    /** Diacritics removed, lower case: the chat's search reads this (see crm/customers/searchText.ts). */
    searchName: { type: String, default: '' },
    unit: { type: String, trim: true, maxlength: 30, default: '' },
    price: { type: Number, required: true, min: 0, max: 1e15, validate: { validator: Number.isInteger, message: 'price must be whole đồng' } },
    active: { type: Boolean, default: true },
  },
  { timestamps: true },
);
productSchema.index({ active: 1, searchName: 1 });

export type ProductFields = InferSchemaType<typeof productSchema>;
export const Product = model('Product', productSchema);
