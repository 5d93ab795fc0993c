import type { Logger } from '../../../app/logger.js';
import type { ChatEvent, ChannelSender } from '../../core/types.js';
import type { ChatHandler } from '../oa/adapter.js';
import type { InboxEvent } from '../shared/inbox.js';
import type { ZaloBotUpdate } from './client.js';
import { plainId } from '../shared/ids.js';
import { zaloImage } from './images.js';

const DESCRIPTIONS: Record<string, string> = {
  'message.image.received': '[hình ảnh]',
  'message.sticker.received': '[sticker]',
  'message.unsupported.received': '[tin nhắn không hỗ trợ]',
};

/**
 * The update's stable id. The platform documents no `update_id`; the message id is what a
 * redelivery repeats, so the core's once-per-update rule holds on it. Without one (not seen in the
 * docs), chat + time stands in.
 */
export function botUpdateKey(update: ZaloBotUpdate): string | null {
  const m = update.message;
  const chatId = plainId(m?.chat?.id);
  if (!chatId) return null;
  const messageId = plainId(m!.message_id);
  if (messageId) return `msg:${messageId.slice(0, 200)}`;
  const date = plainId(m!.date);
  return date ? `chat:${chatId}:${date}` : null;
}

/** A Zalo Bot update as the core's ChatEvent, or null when it carries nothing to hand on. */
export function toChatEvent(update: ZaloBotUpdate, updateId: string, apiOrigin?: string): ChatEvent | null {
  const m = update.message;
  const chatId = plainId(m?.chat?.id);
  if (!m || !chatId) return null;
  // An image the core can fetch is handed on as a file (its caption as the text), not as "[hình ảnh]".
  const image = update.event_name === 'message.image.received' ? zaloImage(m.photo_url, updateId, apiOrigin) : undefined;
  if (image) {
    const caption = typeof m.text === 'string' ? m.text : '';
    return { channel: 'zalo_bot', userId: plainId(m.from?.id) ?? chatId, chatId, updateId, displayName: plainId(m.from?.display_name) ?? plainId(m.from?.first_name), text: caption, attachment: image };
  }
  const text = typeof m.text === 'string' && m.text ? m.text : DESCRIPTIONS[update.event_name ?? ''];
  if (!text) return null;
  const userId = plainId(m.from?.id) ?? chatId;
  return {
    channel: 'zalo_bot',
    userId,
    chatId,
    updateId,
    displayName: plainId(m.from?.display_name) ?? plainId(m.from?.first_name),
    text,
  };
}

/** The inbound side of the Zalo Bot adapter: a stored update goes to the core, its replies back out. */
export class ZaloBotAdapter {
  /** `apiOrigin`: the Bot API's origin, the one plain-http place images may be fetched from. */
  constructor(private readonly deps: { core: ChatHandler; sender: ChannelSender; logger: Logger; apiOrigin?: string }) {}

  async handle(inbox: InboxEvent): Promise<void> {
    const update = inbox.payload as ZaloBotUpdate;
    if (update.message?.chat?.chat_type && update.message.chat.chat_type !== 'PRIVATE') return; // groups are not chot's
    const event = toChatEvent(update, inbox.key, this.deps.apiOrigin);
    if (!event) {
      this.deps.logger.debug({ event: update.event_name }, 'Zalo Bot update ignored');
      return;
    }
    if (update.event_name && update.event_name !== 'message.text.received' && !event.attachment) {
      this.deps.logger.info({ event: update.event_name }, 'Zalo Bot non-text message: passed on as a description');
    }
    const replies = await this.deps.core.handle(event);
    if (!replies.length) return;
    const result = await this.deps.sender.send(event.chatId, replies);
    if (!result.ok) this.deps.logger.warn({ chatId: event.chatId, reason: result.reason, detail: result.detail }, 'Zalo Bot reply not delivered');
  }
}
