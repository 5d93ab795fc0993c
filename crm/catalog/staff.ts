import { User, ROLES, LANGUAGES, type Role, type Language } from '../../models/user.js';
import { CrmError } from '../shared/errors.js';
import { toObjectId } from '../shared/ids.js';
import { assertRole, type Actor } from '../users/actor.js';
import { getUser, type StaffUser } from '../users/users.js';
import { cleanName } from '../customers/customers.js';
import { recordAudit, changedFields } from '../audit/audit.js';

export interface StaffPatch {
  name?: string;
  email?: string;
  role?: Role;
  active?: boolean;
  language?: Language;
  takesNewLeads?: boolean;
}

/**
 * Edits a staff user (admins only). An admin cannot demote or deactivate themselves, so a team
 * never locks itself out of its own panel by a slip of the mouse.
 */
export async function updateStaff(actor: Actor, id: unknown, patch: StaffPatch): Promise<StaffUser> {
  assertRole(actor, 'admin');
  const _id = toObjectId(id, 'notFound.user');
  const $set: Record<string, unknown> = {};
  if (patch.name !== undefined) {
    const name = cleanName(patch.name);
    if (!name) throw new CrmError('invalid', { field: 'name' });
    $set.name = name;
  }
  if (patch.email !== undefined) {
    const email = patch.email.trim().toLowerCase();
    if (await User.exists({ email, _id: { $ne: _id } })) throw new CrmError('invalid', { field: 'email' });
    $set.email = email;
  }
  if (patch.role !== undefined) {
    if (!ROLES.includes(patch.role)) throw new CrmError('invalid', { field: 'role' });
    $set.role = patch.role;
  }
  if (patch.language !== undefined) {
    if (!LANGUAGES.includes(patch.language)) throw new CrmError('invalid', { field: 'language' });
    $set.language = patch.language;
  }
  if (patch.active !== undefined) $set.active = Boolean(patch.active);
  if (patch.takesNewLeads !== undefined) $set.takesNewLeads = Boolean(patch.takesNewLeads);
  const self = actor.kind === 'user' && String(actor.id) === String(_id);
  if (self && (($set.role !== undefined && $set.role !== 'admin') || $set.active === false)) throw new CrmError('forbidden');
  const before = await User.findById(_id).select('role active').lean();
  if (!before) throw new CrmError('notFound.user');
  // A new role or a deactivation ends the user's open sessions (their rights are read at login).
  const rightsChanged = ($set.role !== undefined && $set.role !== before.role) || ($set.active !== undefined && $set.active !== before.active);
  const res = await User.updateOne({ _id }, { $set, ...(rightsChanged ? { $inc: { sessionVersion: 1 } } : {}) }, { runValidators: true });
  if (!res.matchedCount) throw new CrmError('notFound.user');
  await recordAudit(actor, { subject: 'user', action: 'edit', recordId: _id, details: changedFields($set) });
  return (await getUser(_id))!;
}

/** Creates a staff user with a unique email (checked here too: the embedded database ignores unique indexes). */
export async function ensureEmailFree(email: string): Promise<void> {
  if (await User.exists({ email: String(email ?? '').trim().toLowerCase() })) throw new CrmError('invalid', { field: 'email' });
}
