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

/** The parts of a customer that decide who may see and change it. */
export interface CustomerAccess {
  owner?: Types.ObjectId | null;
  followers?: { user?: Types.ObjectId | null }[] | null;
}

/** Change the customer (log, stage, follow-up, reply, edit): its owner, managers and admins. */
export function canActOnCustomer(actor: Actor, customer: CustomerAccess): boolean {
  return seesAllCustomers(actor) || (actor.kind === 'user' && sameId(customer.owner, actor.id));
}

/** A colleague named in a comment follows the customer: they read and comment, nothing more. */
export function isFollowerOf(actor: Actor, customer: CustomerAccess): boolean {
  return actor.kind === 'user' && (customer.followers ?? []).some((f) => sameId(f.user, actor.id));
}

/** Open the card and comment on it: whoever may change it, and its followers. */
export function canReadCustomer(actor: Actor, customer: CustomerAccess): boolean {
  return canActOnCustomer(actor, customer) || isFollowerOf(actor, customer);
}

/** A follower is told why a change is refused (they only follow); anyone else gets the plain refusal. */
export function assertCanActOnCustomer(actor: Actor, customer: CustomerAccess): void {
  if (canActOnCustomer(actor, customer)) return;
  throw new CrmError(isFollowerOf(actor, customer) ? 'customer.followerReadOnly' : 'forbidden');
}

export function assertCanReadCustomer(actor: Actor, customer: CustomerAccess): void {
  if (!canReadCustomer(actor, customer)) throw new CrmError('forbidden');
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
