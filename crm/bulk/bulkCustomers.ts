import type { Types } from 'mongoose';
import { Group } from '../../models/group.js';
import { User } from '../../models/user.js';
import { CrmError, isCrmError } from '../shared/errors.js';
import { toObjectId } from '../shared/ids.js';
import { assertRole, type Actor } from '../users/actor.js';
import { getCustomerForActor, reassignCustomer, updateCustomer } from '../customers/customers.js';
import { changeStage } from '../stages/changeStage.js';
import { recordAudit } from '../audit/audit.js';

export interface BulkResult {
  done: number;
  /** Customers left unchanged, with the refusal code (forbidden, dormantByHand…). */
  failed: { id: string; code: string }[];
}

/**
 * Bulk actions over selected customers. Each customer goes through the same service as a single
 * change (authorization, stage history), so a bulk action can never do what one change could not.
 */
async function eachCustomer(ids: unknown[], apply: (id: unknown) => Promise<unknown>): Promise<BulkResult> {
  const result: BulkResult = { done: 0, failed: [] };
  for (const id of ids.slice(0, 1000)) {
    try {
      await apply(id);
      result.done += 1;
    } catch (e) {
      if (!isCrmError(e)) throw e;
      result.failed.push({ id: String(id), code: e.code });
    }
  }
  return result;
}

export async function bulkAssignOwner(actor: Actor, ids: unknown[], ownerId: unknown): Promise<BulkResult> {
  assertRole(actor, 'admin', 'manager');
  const owner = await User.findOne({ _id: toObjectId(ownerId, 'notFound.user'), active: true }).select('name').lean();
  if (!owner) throw new CrmError('notFound.user');
  const result = await eachCustomer(ids, (id) => reassignCustomer(actor, id, owner._id));
  await recordAudit(actor, { subject: 'customer', action: 'bulkAssignOwner', details: `${result.done} → ${owner.name}` });
  return result;
}

export async function bulkChangeStage(actor: Actor, ids: unknown[], stageId: unknown): Promise<BulkResult> {
  const result = await eachCustomer(ids, (id) => changeStage(actor, id, stageId, { reason: 'admin bulk' }));
  await recordAudit(actor, { subject: 'customer', action: 'bulkChangeStage', details: `${result.done} → ${String(stageId)}` });
  return result;
}

async function findGroup(groupId: unknown) {
  const group = await Group.findById(toObjectId(groupId, 'invalid')).select('name').lean();
  if (!group) throw new CrmError('invalid', { field: 'group' });
  return group;
}

async function addToGroup(actor: Actor, id: unknown, groupId: Types.ObjectId): Promise<void> {
  const customer = await getCustomerForActor(actor, id);
  const groups = (customer.groups ?? []).map(String);
  if (!groups.includes(String(groupId))) await updateCustomer(actor, id, { groups: [...groups, String(groupId)] });
}

/** Adds one customer to a group (the panel's customer page); already in it is not an error. */
export async function addCustomerToGroup(actor: Actor, id: unknown, groupId: unknown): Promise<{ name: string }> {
  const group = await findGroup(groupId);
  await addToGroup(actor, id, group._id);
  return { name: group.name };
}

export async function bulkAddToGroup(actor: Actor, ids: unknown[], groupId: unknown): Promise<BulkResult> {
  const group = await findGroup(groupId);
  const result = await eachCustomer(ids, (id) => addToGroup(actor, id, group._id));
  await recordAudit(actor, { subject: 'customer', action: 'bulkAddToGroup', details: `${result.done} → ${group.name}` });
  return result;
}
