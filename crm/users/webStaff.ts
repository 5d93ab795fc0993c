import { User } from '../../models/user.js';
import type { StaffUser } from './users.js';

/** The web chat id of a staff user who chats from the admin-panel session (not a visitor id). */
export function webStaffChatId(userId: { toString(): string }): string {
  return `staff-${String(userId)}`;
}

/**
 * Makes the staff user logged into the admin panel with this email a linked web-chat user, so the
 * chat core gives them the sales commands at /chat without a link code: the admin-panel login
 * already proved who they are. Returns null for an unknown or inactive email.
 */
export async function linkWebStaffChat(email: string): Promise<StaffUser | null> {
  if (typeof email !== 'string' || !email.trim()) return null;
  const user = await User.findOne({ email: email.trim().toLowerCase(), active: true }).select('-passwordHash -linkCodeHash').lean();
  if (!user) return null;
  const chatId = webStaffChatId(user._id);
  if (user.chatIds?.web !== chatId) {
    // The session login wins over a web chat linked earlier with a code from a visitor browser.
    await User.updateOne({ _id: user._id }, { $set: { 'chatIds.web': chatId } });
    user.chatIds = { ...(user.chatIds ?? {}), web: chatId } as typeof user.chatIds;
  }
  return user as unknown as StaffUser;
}
