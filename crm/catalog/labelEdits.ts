import type { Model, Types } from 'mongoose';
import { CrmError } from '../shared/errors.js';

/**
 * The name, colour and code changes of an edited list entry (a relationship stage, a pipeline step):
 * a name cannot be emptied, and a code stays unique within its list.
 */
export async function labelEdits(
  model: Model<any>,
  current: { _id: Types.ObjectId; code: string },
  patch: { name?: string; color?: string; code?: string },
): Promise<Record<string, unknown>> {
  const $set: Record<string, unknown> = {};
  if (patch.name !== undefined) {
    if (!patch.name.trim()) throw new CrmError('invalid', { field: 'name' });
    $set.name = patch.name.trim();
  }
  if (patch.color !== undefined) $set.color = patch.color;
  if (patch.code !== undefined && patch.code.trim().toLowerCase() !== current.code) {
    const code = patch.code.trim().toLowerCase();
    if (await model.exists({ code, _id: { $ne: current._id } })) throw new CrmError('invalid', { field: 'code' });
    $set.code = code;
  }
  return $set;
}
