import { Types } from 'mongoose';
import { userActor, type Actor } from '../crm/users/actor.js';
import type { Role } from '../models/user.js';

/** What is kept in the session after login (`req.session.adminUser`, AdminJS's convention). */
export interface AdminUser {
  id: string;
  email: string;
  name: string;
  /** AdminJS shows `title` under the name in the top bar. */
  title: string;
  role: Role;
  language: 'vi' | 'en';
  /** The company's time zone (Settings), so the panel shows times as the team lives them. */
  timezone?: string;
  /** The user's session version at login; a different one in the database ends this session. */
  sessionVersion: number;
}

type WithAdmin = { currentAdmin?: unknown };

export function adminOf(context: WithAdmin): AdminUser | undefined {
  const admin = context.currentAdmin as AdminUser | undefined;
  return admin && typeof admin.id === 'string' && Types.ObjectId.isValid(admin.id) ? admin : undefined;
}

/** The crm Actor for the logged-in person; every service call from the panel is made as them. */
export function actorOf(context: WithAdmin): Actor {
  const admin = adminOf(context);
  if (!admin) throw new Error('not logged in');
  return userActor({ _id: new Types.ObjectId(admin.id), role: admin.role, name: admin.name });
}

/** For our own routes beside AdminJS's (exports, files): the Actor of the panel session, if logged in. */
export function sessionActor(req: { session?: unknown }): Actor | undefined {
  const context = { currentAdmin: (req.session as { adminUser?: unknown } | undefined)?.adminUser };
  return adminOf(context) ? actorOf(context) : undefined;
}

export const roleIs =
  (...roles: Role[]) =>
  (context: WithAdmin): boolean => {
    const admin = adminOf(context);
    return Boolean(admin && roles.includes(admin.role));
  };

export const isAdmin = roleIs('admin');
export const isManagerOrAdmin = roleIs('admin', 'manager');
export const isStaff = roleIs('admin', 'manager', 'sales');
