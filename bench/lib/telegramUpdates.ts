/** The Telegram updates the benches post to chot's webhook, shaped as Telegram sends them from a private chat. */

/** The person writing: the chat's id is theirs in a private chat. */
export function telegramUser(id: number) {
  return { id, is_bot: false, first_name: `Người ${id}`, language_code: 'vi' };
}

/** A text message from private chat `chat`, the `message` field of an update. */
export function telegramTextMessage(chat: number, text: string, messageId: number) {
  return { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: chat, type: 'private', first_name: 'X' }, from: telegramUser(chat), text };
}
