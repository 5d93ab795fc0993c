import type { Types } from 'mongoose';
import type { Role } from '../../models/user.js';
import { CrmError } from '../shared/errors.js';
import { sameId } from '../shared/ids.js';

/** Who is acting: a staff user, or chot itself (sweeps, reminders, intake). */
export type Actor = { kind: 'user'; id: Types.ObjectId; role: Role; name?: string } | { kind: 'system' };

export const SYSTEM: Actor = { kind: 'system' };

export function userActor(user: { _id: Types.ObjectId; role: Role; name?: string }): Actor {
  return { kind: 'user', id: user._id, role: user.role, name: user.name };
}

/** Managers and admins work on every customer; a salesperson only on their own. */
export function seesAllCustomers(actor: Actor): boolean {
  return actor.kind === 'system' || actor.role === 'admin' || actor.role === 'manager';
}

export function canActOnCustomer(actor: Actor, customer: { owner?: Types.ObjectId | null }): boolean {
  return seesAllCustomers(actor) || (actor.kind === 'user' && sameId(customer.owner, actor.id));
}

export function assertCanActOnCustomer(actor: Actor, customer: { owner?: Types.ObjectId | null }): void {
  if (!canActOnCustomer(actor, customer)) throw new CrmError('forbidden');
}

/** The customer filter that limits a query to what the actor may see. */
export function customerScope(actor: Actor): Record<string, unknown> {
  return seesAllCustomers(actor) ? {} : { owner: (actor as { id: Types.ObjectId }).id };
}

export function assertRole(actor: Actor, ...roles: Role[]): void {
  if (actor.kind === 'system') return;
  if (!roles.includes(actor.role)) throw new CrmError('forbidden');
}

export function actorUserId(actor: Actor): Types.ObjectId | undefined {
  return actor.kind === 'user' ? actor.id : undefined;
}
