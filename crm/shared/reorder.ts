import type { Model, Types } from 'mongoose';
import { CrmError, type CrmErrorCode } from './errors.js';
import { toObjectId } from './ids.js';

/**
 * The order an admin gave to an ordered list (relationship stages, pipeline steps): the ids given
 * first, in that order, then every other one in its current place. Orders are spaced by ten so a
 * new item can be placed at the end without touching the rest.
 */
export async function saveOrder(model: Model<any>, allInOrder: { _id: unknown }[], ids: unknown[], notFound: CrmErrorCode): Promise<number> {
  const given = ids.map((id) => toObjectId(id, notFound));
  const known = new Set(allInOrder.map((s) => String(s._id)));
  if (given.some((id) => !known.has(String(id)))) throw new CrmError(notFound);
  const givenSet = new Set(given.map(String));
  const rest = allInOrder.filter((s) => !givenSet.has(String(s._id))).map((s) => s._id as Types.ObjectId);
  const ordered = [...given, ...rest];
  await model.bulkWrite(ordered.map((id, i) => ({ updateOne: { filter: { _id: id }, update: { $set: { order: (i + 1) * 10 } } } })));
  return given.length;
}
