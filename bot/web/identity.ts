import crypto from 'node:crypto';
import type { Request } from 'express';
import { linkWebStaffChat } from '../../crm/users/webStaff.js';
import type { StaffUser } from '../../crm/users/users.js';

/**
 * Who is on the other end of a web chat request.
 * - A visitor is known only by the random id their browser made (kept in localStorage). That id is
 *   their credential, so it is never stored: the chat id is a hash of it, and a person who can see
 *   chat ids (staff in the admin panel, logs) still cannot read or write as the visitor.
 * - A staff user logged into the admin panel is known by their session; their chat id is
 *   `staff-<userId>`, linked to their account so the core treats them as staff.
 */
export type WebIdentity = { kind: 'visitor'; chatId: string } | { kind: 'staff'; chatId: string; user: StaffUser };

/** 22+ base64url characters: at least 128 random bits, as the widget makes them. */
const VISITOR_ID = /^[A-Za-z0-9_-]{22,128}$/;

export function isVisitorId(value: unknown): value is string {
  return typeof value === 'string' && VISITOR_ID.test(value);
}

export function visitorChatId(visitorId: string): string {
  return `v-${crypto.createHash('sha256').update(visitorId).digest('hex').slice(0, 32)}`;
}

/** The email the admin panel put in the session when a staff user logged in, if any. */
export function sessionStaffEmail(req: Request): string | undefined {
  const session = (req as Request & { session?: { adminUser?: { email?: unknown } } }).session;
  const email = session?.adminUser?.email;
  return typeof email === 'string' ? email : undefined;
}

/**
 * Staff session first (it needs no visitor id), else the visitor id from the body; null if neither.
 * In the widget's frame the staff session is ignored: another site may frame the chat, and must
 * not be able to put a logged-in salesperson's commands under its own page (clickjacking).
 */
export async function resolveIdentity(req: Request, input: { visitorId?: unknown; embedded: boolean }): Promise<WebIdentity | null> {
  const { visitorId } = input;
  const email = input.embedded ? undefined : sessionStaffEmail(req);
  if (email) {
    const user = await linkWebStaffChat(email);
    if (user) return { kind: 'staff', chatId: user.chatIds!.web!, user };
  }
  if (isVisitorId(visitorId)) return { kind: 'visitor', chatId: visitorChatId(visitorId) };
  return null;
}
