import { Customer } from '../../models/customer.js';
import { Source } from '../../models/source.js';
import { Group } from '../../models/group.js';
import { SOURCE_CHANNELS, type SourceChannel } from '../../models/channels.js';
import { CrmError } from '../shared/errors.js';
import { toObjectId } from '../shared/ids.js';
import { assertRole, type Actor } from '../users/actor.js';
import { foldVietnamese } from '../customers/searchText.js';
import { recordAudit, changedFields } from '../audit/audit.js';

/**
 * Sources and groups: the lists customers are sorted by. Managers and admins edit them; deleting
 * one that customers still use is refused with the count, so no customer points at nothing.
 */

export interface SourceInput {
  name?: string;
  code?: string;
  channel?: SourceChannel;
  active?: boolean;
}

export interface GroupInput {
  name?: string;
  description?: string;
  active?: boolean;
}

/** A code from a name: `Hội chợ Hà Nội` → `hoi-cho-ha-noi`. */
export function codeFromName(name: string, max = 40): string {
  return foldVietnamese(name)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max) || 'x';
}

function requiredName(name: unknown): string {
  const text = String(name ?? '').trim();
  if (!text) throw new CrmError('invalid', { field: 'name' });
  return text;
}

export async function createSource(actor: Actor, input: SourceInput) {
  assertRole(actor, 'admin', 'manager');
  const name = requiredName(input.name);
  const code = (input.code?.trim() || codeFromName(name)).toLowerCase();
  if (input.channel && !SOURCE_CHANNELS.includes(input.channel)) throw new CrmError('invalid', { field: 'channel' });
  // Checked here as well as by the unique index, which the embedded database does not enforce.
  if (await Source.exists({ code })) throw new CrmError('invalid', { field: 'code' });
  const doc = await Source.create({ name, code, channel: input.channel ?? 'manual', active: input.active ?? true });
  await recordAudit(actor, { subject: 'source', action: 'create', recordId: doc._id, details: name });
  return doc.toObject();
}

export async function updateSource(actor: Actor, id: unknown, patch: SourceInput) {
  assertRole(actor, 'admin', 'manager');
  const _id = toObjectId(id, 'invalid');
  const $set: Record<string, unknown> = {};
  if (patch.name !== undefined) $set.name = requiredName(patch.name);
  if (patch.code !== undefined) {
    const code = patch.code.trim().toLowerCase();
    if (await Source.exists({ code, _id: { $ne: _id } })) throw new CrmError('invalid', { field: 'code' });
    $set.code = code;
  }
  if (patch.channel !== undefined) $set.channel = patch.channel;
  if (patch.active !== undefined) $set.active = Boolean(patch.active);
  const doc = await Source.findOneAndUpdate({ _id }, { $set }, { returnDocument: 'after', runValidators: true, lean: true });
  if (!doc) throw new CrmError('invalid', { field: 'id' });
  await recordAudit(actor, { subject: 'source', action: 'edit', recordId: _id, details: changedFields($set) });
  return doc;
}

export async function deleteSource(actor: Actor, id: unknown): Promise<void> {
  assertRole(actor, 'admin', 'manager');
  const _id = toObjectId(id, 'invalid');
  const count = await Customer.countDocuments({ source: _id, deletedAt: null });
  if (count > 0) throw new CrmError('inUse', { count });
  await Source.deleteOne({ _id });
  await recordAudit(actor, { subject: 'source', action: 'delete', recordId: _id });
}

export async function createGroup(actor: Actor, input: GroupInput) {
  assertRole(actor, 'admin', 'manager');
  const name = requiredName(input.name);
  if (await Group.exists({ name })) throw new CrmError('invalid', { field: 'name' });
  const doc = await Group.create({ name, description: input.description?.trim() || undefined, active: input.active ?? true });
  await recordAudit(actor, { subject: 'group', action: 'create', recordId: doc._id, details: name });
  return doc.toObject();
}

export async function updateGroup(actor: Actor, id: unknown, patch: GroupInput) {
  assertRole(actor, 'admin', 'manager');
  const _id = toObjectId(id, 'invalid');
  const $set: Record<string, unknown> = {};
  if (patch.name !== undefined) {
    const name = requiredName(patch.name);
    if (await Group.exists({ name, _id: { $ne: _id } })) throw new CrmError('invalid', { field: 'name' });
    $set.name = name;
  }
  if (patch.description !== undefined) $set.description = patch.description.trim();
  if (patch.active !== undefined) $set.active = Boolean(patch.active);
  const doc = await Group.findOneAndUpdate({ _id }, { $set }, { returnDocument: 'after', runValidators: true, lean: true });
  if (!doc) throw new CrmError('invalid', { field: 'id' });
  await recordAudit(actor, { subject: 'group', action: 'edit', recordId: _id, details: changedFields($set) });
  return doc;
}

export async function deleteGroup(actor: Actor, id: unknown): Promise<void> {
  assertRole(actor, 'admin', 'manager');
  const _id = toObjectId(id, 'invalid');
  const count = await Customer.countDocuments({ groups: _id, deletedAt: null });
  if (count > 0) throw new CrmError('inUse', { count });
  await Group.deleteOne({ _id });
  await recordAudit(actor, { subject: 'group', action: 'delete', recordId: _id });
}

