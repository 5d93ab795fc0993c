import { User, type Role } from '../../models/user.js';
import { userActor, type Actor } from '../../crm/users/actor.js';

let counter = 0;

/** A staff user straight in the database, and the Actor the services expect for them. */
export async function makeStaff(role: Role = 'sales', fields: Record<string, unknown> = {}): Promise<{ user: { _id: import('mongoose').Types.ObjectId; name: string; role: Role }; actor: Actor }> {
  counter += 1;
  const doc = await User.create({ name: `${role} ${counter}`, email: `${role}${counter}.${Date.now()}@test.vn`, role, ...fields });
  const user = { _id: doc._id, name: doc.name, role: doc.role as Role };
  return { user, actor: userActor(user) };
}
