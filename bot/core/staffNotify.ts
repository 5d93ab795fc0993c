import type { Types } from 'mongoose';
import { getUser, type StaffUser } from '../../crm/users/users.js';
import type { ChatChannel } from '../../models/channels.js';
import type { Lang } from '../../i18n/index.js';
import type { ChannelOutcome, Notifier } from './notifier.js';
import { addRelays } from './session.js';
import type { Reply } from './types.js';

/**
 * Notifies a staff user on every linked channel (the notifier remembers the choices shown) and,
 * for a message about a customer, remembers per channel which customer a reply to it is for.
 */
export async function notifyStaffAndRemember(
  notifier: Notifier,
  staffOrId: StaffUser | Types.ObjectId,
  build: (lang: Lang) => Reply[],
  relay?: { customer: Types.ObjectId; customerChannel?: ChatChannel },
): Promise<ChannelOutcome[]> {
  const staff = 'email' in staffOrId ? staffOrId : await getUser(staffOrId);
  if (!staff) return [];
  const outcomes = await notifier.notifyStaff(staff, build);
  for (const { channel, result } of outcomes) {
    const chatId = staff.chatIds?.[channel];
    if (!result.ok || !chatId) continue;
    if (relay) await addRelays(channel, chatId, result.messageIds.map((messageId) => ({ messageId: String(messageId), ...relay })));
  }
  return outcomes;
}
