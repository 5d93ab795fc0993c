import { Customer } from '../../models/customer.js';
import { toObjectId } from '../shared/ids.js';
import { customerScope, type Actor } from '../users/actor.js';
import type { CustomerRecord } from './customers.js';

/**
 * The customers in one stage that the actor may see, most recently updated first
 * (the chat's "/mine", one stage at a time).
 */
export async function listCustomersInStage(actor: Actor, stageId: unknown, opts: { limit?: number } = {}): Promise<{ customers: CustomerRecord[]; more: boolean }> {
  const limit = Math.min(Math.max(opts.limit ?? 10, 1), 100);
  const rows = (await Customer.find({ stage: toObjectId(stageId, 'notFound.stage'), ...customerScope(actor), deletedAt: null })
    .sort({ updatedAt: -1 })
    .limit(limit + 1)
    .lean()) as CustomerRecord[];
  return { customers: rows.slice(0, limit), more: rows.length > limit };
}
