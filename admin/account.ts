import type { ActionContext, ActionRequest } from 'adminjs';
import { verifyLogin, setPassword } from '../crm/users/users.js';
import { recordAudit } from '../crm/audit/audit.js';
import { actorOf, adminOf } from './access.js';
import { crmNotice, payloadOf } from './respond.js';
import { Types } from 'mongoose';

/**
 * "My account": anyone changes their own password, after typing the current one (a session left
 * open on a shared computer must not be enough to take the account over). Every other session of
 * theirs ends.
 */
export async function accountHandler(request: ActionRequest, _response: unknown, context: ActionContext) {
  const admin = adminOf(context);
  if (!admin) return {};
  if (request.method !== 'post') return { email: admin.email };
  const p = payloadOf(request);
  if (!(await verifyLogin(admin.email, String(p.currentPassword ?? '')))) return { notice: { message: 'wrongCurrentPassword', type: 'error' } };
  try {
    const sessionVersion = await setPassword(actorOf(context), new Types.ObjectId(admin.id), String(p.password ?? ''));
    // The change ends the person's other sessions; this one (AdminJS's currentAdmin is the session's
    // own object) moves to the new version and stays open.
    admin.sessionVersion = sessionVersion;
    await recordAudit(actorOf(context), { subject: 'user', action: 'changeOwnPassword', recordId: admin.id });
    return { notice: { message: 'passwordChanged', type: 'success' } };
  } catch (e) {
    return { notice: crmNotice(e) };
  }
}
