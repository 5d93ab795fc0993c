import type { ZaloBotUpdate } from '../../../bot/zalo/bot/client.js';

let seq = 0;

/** A text message update as the Zalo Bot Platform sends it (private chat: chat id = user id). */
export function botText(userId: string, text: string, name = 'Người dùng'): ZaloBotUpdate {
  seq += 1;
  return {
    event_name: 'message.text.received',
    message: { message_id: `zm-${Date.now()}-${seq}`, date: Date.now(), text, from: { id: userId, display_name: name, is_bot: false }, chat: { id: userId, chat_type: 'PRIVATE' } },
  };
}

export async function postBotUpdate(base: string, update: unknown, secret?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret !== undefined) headers['x-bot-api-secret-token'] = secret;
  return fetch(`${base}/webhooks/zalo-bot`, { method: 'POST', headers, body: JSON.stringify(update) });
}
