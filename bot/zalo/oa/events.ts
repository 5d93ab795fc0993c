/**
 * The Zalo OA webhook events chot reads, and what each becomes. Shapes from STACK.md and SDK
 * typings of Zalo's webhook reference (developers.zalo.me could not be read from here): the
 * `follow`/`unfollow` user is `follower.id`, message events carry `sender.id` and `message.msg_id`,
 * `user_submit_info` carries `info.{ name, phone, address, ... }`. Unconfirmed details are handled
 * loosely (a missing field makes the event ignored, never a crash).
 */
import { plainId } from '../shared/ids.js';

export interface OaAttachment {
  type?: string;
  payload?: {
    url?: string;
    thumbnail?: string;
    description?: string;
    title?: string;
    name?: string;
    coordinates?: { latitude?: number | string; longitude?: number | string };
  };
}

export interface OaWebhookEvent {
  app_id?: string;
  event_name?: string;
  timestamp?: string | number;
  sender?: { id?: string };
  recipient?: { id?: string };
  follower?: { id?: string };
  user_id_by_app?: string;
  message?: { msg_id?: string; text?: string; attachments?: OaAttachment[] };
  info?: { name?: string; phone?: string; address?: string; city?: string; district?: string; ward?: string };
}

/** The follower the event is about, whichever field Zalo put them in. */
export function oaUserId(event: OaWebhookEvent): string | undefined {
  return plainId(event.sender?.id) ?? plainId(event.follower?.id);
}

/**
 * The event's natural id: the message id when there is one, otherwise event + user + Zalo's
 * timestamp (what a redelivery repeats unchanged, since it is part of the signed body).
 */
export function oaEventKey(event: OaWebhookEvent): string | null {
  const msgId = plainId(event.message?.msg_id);
  if (msgId) return `msg:${msgId.slice(0, 200)}`;
  const user = oaUserId(event);
  const name = plainId(event.event_name);
  const timestamp = plainId(event.timestamp);
  if (!name || !user || !timestamp) return null;
  return `${name}:${user}:${timestamp}`.slice(0, 300);
}

const MEDIA_LABELS: Record<string, string> = {
  user_send_image: 'hình ảnh',
  user_send_gif: 'ảnh GIF',
  user_send_sticker: 'sticker',
  user_send_file: 'tệp',
  user_send_audio: 'tin nhắn thoại',
  user_send_video: 'video',
  user_send_link: 'liên kết',
  user_send_location: 'vị trí',
  user_send_business_card: 'danh thiếp',
};

export function isMediaEvent(name: string | undefined): boolean {
  return Boolean(name && name in MEDIA_LABELS);
}

/**
 * A short text standing for a non-text message, for the core (which understands text). It keeps
 * what a salesperson would want to read: a caption, a place, a business card's name and phone.
 */
export function describeMedia(event: OaWebhookEvent): string {
  const name = event.event_name ?? '';
  const label = MEDIA_LABELS[name] ?? 'tin nhắn';
  const attachment = event.message?.attachments?.[0];
  const payload = attachment?.payload ?? {};
  const caption = event.message?.text?.trim();
  let extra = '';
  if (name === 'user_send_location' && payload.coordinates) {
    extra = `${payload.coordinates.latitude}, ${payload.coordinates.longitude}`;
  } else if (name === 'user_send_business_card') {
    extra = [payload.title, businessCardPhone(payload.description)].filter(Boolean).join(', ');
  } else if (name === 'user_send_file') {
    extra = payload.name ?? '';
  }
  const head = `[${label}${extra ? `: ${extra}` : ''}]`;
  return caption ? `${head} ${caption}` : head;
}

/** Zalo puts a card's phone in `description`, as JSON text in the samples seen; tolerate plain text. */
function businessCardPhone(description: string | undefined): string | undefined {
  if (!description) return undefined;
  try {
    const parsed = JSON.parse(description) as { phone?: unknown };
    if (parsed && typeof parsed.phone === 'string') return parsed.phone;
  } catch {
    // not JSON: fall through to a plain search
  }
  return /(\+?\d[\d .-]{7,14}\d)/.exec(description)?.[1];
}
