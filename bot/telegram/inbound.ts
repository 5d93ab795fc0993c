import type { Update } from 'grammy/types';
import type { ChatEvent } from '../core/types.js';
import { mediaOf, type TelegramFiles } from './files.js';

/**
 * Telegram update → core event. Only private chats are handled: chot is a one-to-one assistant,
 * and a group would mix prospects and staff in one conversation. Updates the core has no use for
 * (edits, joins, stickers without text) give undefined and are ignored.
 */
export function updateToEvent(update: Update, files?: TelegramFiles): ChatEvent | undefined {
  if (!hasNumericIds(update)) return undefined;
  const updateId = String(update.update_id);
  const member = update.my_chat_member;
  if (member) {
    // A private chat's member update is the person blocking the bot (kicked) or unblocking it.
    if (member.chat.type !== 'private') return undefined;
    const status = member.new_chat_member.status;
    if (status !== 'kicked' && status !== 'member') return undefined;
    return {
      channel: 'telegram',
      userId: String(member.from.id),
      chatId: String(member.chat.id),
      updateId,
      presence: status === 'kicked' ? 'blocked' : 'unblocked',
    };
  }
  if (update.callback_query) {
    const q = update.callback_query;
    const chat = q.message?.chat;
    if (chat && chat.type !== 'private') return undefined;
    return {
      channel: 'telegram',
      userId: String(q.from.id),
      chatId: String(chat?.id ?? q.from.id),
      updateId,
      displayName: displayName(q.from),
      languageHint: q.from.language_code,
      choice: q.data,
    };
  }
  const message = update.message;
  if (!message || message.chat.type !== 'private' || !message.from || message.from.is_bot) return undefined;
  const event: ChatEvent = {
    channel: 'telegram',
    userId: String(message.from.id),
    chatId: String(message.chat.id),
    updateId,
    displayName: displayName(message.from),
    languageHint: message.from.language_code,
  };
  if (message.reply_to_message) event.replyToMessageId = String(message.reply_to_message.message_id);
  if (message.contact) {
    // Only the sender's own number is vouched for; a forwarded card of someone else is not.
    if (message.contact.user_id === message.from.id) event.contactPhone = message.contact.phone_number;
    else event.text = message.contact.phone_number;
    return event;
  }
  const media = mediaOf(message, files);
  if (media) Object.assign(event, media);
  const text = message.text ?? message.caption;
  if (text === undefined) return event.replyToMessageId && !media ? undefined : { ...event, text: '' };
  const start = /^\/start(?:@\w+)?(?:\s+(\S+))?\s*$/.exec(text);
  if (start) {
    event.text = '/start';
    if (start[1]) event.startParam = start[1];
    return event;
  }
  event.text = text;
  return event;
}

function displayName(from: { first_name: string; last_name?: string }): string {
  return [from.first_name, from.last_name].filter(Boolean).join(' ').trim();
}

/**
 * Telegram's ids are integers. The webhook is behind a secret, but an update is still parsed JSON:
 * an object where an id belongs (`{"$gt": ""}`) must not become the chat id "[object Object]".
 */
function hasNumericIds(update: Update): boolean {
  const isId = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v);
  const u = update as { update_id?: unknown; message?: { chat?: { id?: unknown }; from?: { id?: unknown } }; callback_query?: { from?: { id?: unknown }; message?: { chat?: { id?: unknown } } }; my_chat_member?: { chat?: { id?: unknown }; from?: { id?: unknown } } };
  if (!isId(u.update_id)) return false;
  const inner = u.message ?? u.my_chat_member;
  if (inner && (!isId(inner.chat?.id) || (inner.from !== undefined && !isId(inner.from.id)))) return false;
  const q = u.callback_query;
  if (q && (!isId(q.from?.id) || (q.message?.chat !== undefined && !isId(q.message.chat.id)))) return false;
  return true;
}
