import type { Types } from 'mongoose';
import { Product, type ProductFields } from '../../models/product.js';
import { CrmError, refusalFromValidation } from '../shared/errors.js';
import { toObjectId } from '../shared/ids.js';
import { parseVnd } from '../shared/money.js';
import { escapeRegex, foldVietnamese } from '../customers/searchText.js';
import { assertRole, type Actor } from '../users/actor.js';

export type ProductRecord = ProductFields & { _id: Types.ObjectId };

export interface ProductInput {
  name?: string;
  unit?: string;
  /** Whole đồng, or as a person types it ("1.500.000", "1,5tr"). */
  price?: number | string;
  active?: boolean;
}

/** A price as the team writes it, refused unless it is whole đồng and not negative. */
export function readPrice(value: number | string | undefined): number {
  const price = typeof value === 'number' ? value : parseVnd(String(value ?? ''));
  if (price === undefined || !Number.isInteger(price) || price < 0 || price > 1e15) throw new CrmError('product.priceInvalid');
  return price;
}

function fieldsOf(input: ProductInput, creating: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (input.name !== undefined || creating) {
    const name = String(input.name ?? '').replace(/\s+/g, ' ').trim().slice(0, 200);
    if (!name) throw new CrmError('product.nameRequired');
    out.name = name;
    out.searchName = foldVietnamese(name);
  }
  if (input.unit !== undefined) out.unit = String(input.unit).trim().slice(0, 30);
  if (input.price !== undefined || creating) out.price = readPrice(input.price);
  if (input.active !== undefined) out.active = Boolean(input.active);
  return out;
}

/** The product list is the company's price book: only managers and admins change it. */
export async function createProduct(actor: Actor, input: ProductInput): Promise<ProductRecord> {
  assertRole(actor, 'admin', 'manager');
  try {
    const doc = await Product.create(fieldsOf(input, true));
    return doc.toObject() as ProductRecord;
  } catch (e) {
    throw refusalFromValidation(e) ?? e;
  }
}

export async function updateProduct(actor: Actor, id: unknown, input: ProductInput): Promise<ProductRecord> {
  assertRole(actor, 'admin', 'manager');
  const updated = await Product.findOneAndUpdate({ _id: toObjectId(id, 'notFound.product') }, { $set: fieldsOf(input, false) }, { returnDocument: 'after', runValidators: true, lean: true });
  if (!updated) throw new CrmError('notFound.product');
  return updated as ProductRecord;
}

/** Quotes already sent point at their products, so "deleting" one retires it from new quotes. */
export async function retireProduct(actor: Actor, id: unknown): Promise<void> {
  await updateProduct(actor, id, { active: false });
}

export async function getProduct(id: unknown): Promise<ProductRecord> {
  const product = await Product.findById(toObjectId(id, 'notFound.product')).lean();
  if (!product) throw new CrmError('notFound.product');
  return product as ProductRecord;
}

export interface ProductPage {
  products: ProductRecord[];
  more: boolean;
}

/** Active products by name, a page at a time, optionally those whose name has every word of `query` (diacritics ignored). */
export async function listActiveProducts(opts: { query?: string; page?: number; perPage?: number } = {}): Promise<ProductPage> {
  const perPage = opts.perPage ?? 6;
  const page = Math.max(0, Math.floor(opts.page ?? 0));
  const folded = foldVietnamese(opts.query ?? '').slice(0, 100);
  const filter: Record<string, unknown> = { active: true };
  // Every word somewhere in the name: "camera ngoai troi" finds "Camera quan sát ngoài trời".
  const words = folded.split(' ').filter(Boolean).slice(0, 5);
  if (words.length) filter.$and = words.map((w) => ({ searchName: { $regex: escapeRegex(w) } }));
  const rows = (await Product.find(filter).sort({ searchName: 1 }).skip(page * perPage).limit(perPage + 1).lean()) as ProductRecord[];
  return { products: rows.slice(0, perPage), more: rows.length > perPage };
}
