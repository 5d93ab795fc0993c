import type { ChatChannel } from '../../models/channels.js';

/**
 * The channel-neutral language of the chat core. Adapters turn platform updates into a ChatEvent
 * and turn Replies back into platform calls; nothing between knows which platform it is.
 */
export interface ChatEvent {
  channel: ChatChannel;
  /** The platform's id of the person writing (stable per person and channel). */
  userId: string;
  /** Where replies go; on Telegram the chat id, elsewhere usually the same as userId. */
  chatId: string;
  /** A unique id of this update on its channel: an update is handled once, even if delivered twice. */
  updateId: string;
  displayName?: string;
  languageHint?: string;
  text?: string;
  /** The data of a pressed button (a Choice's `data`). */
  choice?: string;
  /** A phone number the platform vouches for (Telegram's shared contact, Zalo's form). */
  contactPhone?: string;
  /** A start parameter from a deep link (`src_facebook`, `link_CODE`). */
  startParam?: string;
  /** The platform id of the message this one replies to, when the platform says so. */
  replyToMessageId?: string;
  /**
   * The person blocked or unfollowed chot (`blocked`), or came back (`unblocked`): Telegram's
   * my_chat_member, Zalo's unfollow/follow. Nothing can be answered to a `blocked` event.
   */
  presence?: 'blocked' | 'unblocked';
  /**
   * Where the event came from beyond the chat, when the channel knows and anyone could fake the
   * chat itself: the web chat's client address. New leads are limited per origin (LeadGate).
   */
  origin?: string;
  /** A photo or document sent in the chat; its bytes are fetched only when the core keeps it. */
  attachment?: ChatAttachment;
  /** A location shared in the chat: a staff member's check-in, or a customer's message. */
  location?: { latitude: number; longitude: number };
}

/** A file as a platform announces it, with the adapter's way to fetch its bytes. */
export interface ChatAttachment {
  /** How the platform presents it (a compressed photo, or a file sent as a document). */
  kind: 'photo' | 'document';
  /** The platform's id of the file. */
  fileId: string;
  name?: string;
  /** The sender's claim, logged but never trusted: the bytes are sniffed. */
  declaredType?: string;
  /** The size the platform states, when it does: a file already too large is refused unread. */
  size?: number;
  /** Fetches the bytes; fails with `attachment.tooLarge` as soon as more than maxBytes arrive. */
  download(maxBytes: number): Promise<Buffer>;
}

export interface Choice {
  /** What the button says; also what a person may type instead of pressing it. */
  label: string;
  /** Opaque, short (Telegram caps callback data at 64 bytes). */
  data: string;
}

export interface Reply {
  text: string;
  /** Shown as buttons where the platform has them, as a numbered list where it has not. */
  choices?: Choice[];
  /** Ask for a phone number (Telegram shows its share-contact button). */
  requestPhone?: boolean;
  /** The share-contact button's text, in the reader's language (adapters fall back to an icon). */
  requestPhoneLabel?: string;
  /**
   * A file to deliver with the text (a quote's PDF). The text is its caption, and stands alone
   * where a channel cannot carry files, so it must say what the file is.
   */
  document?: ReplyDocument;
}

export interface ReplyDocument {
  filename: string;
  mime: string;
  bytes: Uint8Array;
}

/** The result of one send to one chat, classified so callers can react the same on every platform. */
export type SendResult =
  | { ok: true; messageIds: string[] }
  | { ok: false; reason: 'blocked' | 'rate_limited' | 'quota' | 'not_configured' | 'error'; retryAfterSeconds?: number; detail?: string };

export interface SendOptions {
  /**
   * Never repeat a request whose outcome is unknown (a 5xx, a cut connection): report it as an
   * error instead. For campaigns, which promise each customer a message at most once. A 429 is
   * still waited out: the platform refused it, nothing went out.
   */
  atMostOnce?: boolean;
}

/** The outbound side of an adapter: sends replies to one chat on its platform. */
export interface ChannelSender {
  readonly channel: ChatChannel;
  /** True when a Reply's `document` reaches the reader as a file; otherwise only its text is sent. */
  readonly sendsDocuments?: boolean;
  send(chatId: string, replies: Reply[], opts?: SendOptions): Promise<SendResult>;
}
