import type { ChatChannel } from '../../../models/channels.js';
import { findStaffByChat } from '../../../crm/users/users.js';
import { findCustomerByChat } from '../../../crm/customers/customers.js';
import { isLang, type Lang } from '../../../i18n/index.js';
import { renderRepliesAsText } from '../../core/choices.js';
import { loadSession } from '../../core/session.js';
import type { Reply } from '../../core/types.js';
import { splitText } from './splitText.js';

/**
 * Every text message a batch of replies becomes on Zalo: Zalo has no buttons, so choices are the
 * core's numbered list (numbered across the batch, as the core expects typed answers), and each text
 * is cut under the length cap.
 */
export function replyMessages(replies: Reply[], lang: Lang): string[] {
  return renderRepliesAsText(replies, lang).flatMap((text) => splitText(text));
}

/**
 * The language of whoever reads this chat, for the hint under a numbered list: a linked staff user's,
 * else the one chosen in the chat, else the customer's; Vietnamese by default.
 */
export async function readerLanguage(channel: ChatChannel, chatId: string): Promise<Lang> {
  const staff = await findStaffByChat(channel, chatId);
  if (staff && isLang(staff.language)) return staff.language;
  const session = await loadSession(channel, chatId);
  if (session.language) return session.language;
  const customer = await findCustomerByChat(channel, chatId);
  return isLang(customer?.language) ? customer.language : 'vi';
}
