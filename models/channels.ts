/** The chat channels chot talks on. The same names are used in models, services and adapters. */
export const CHAT_CHANNELS = ['telegram', 'zalo_oa', 'zalo_bot', 'web'] as const;
export type ChatChannel = (typeof CHAT_CHANNELS)[number];

export function isChatChannel(channel: string): channel is ChatChannel {
  return (CHAT_CHANNELS as readonly string[]).includes(channel);
}

/** Where a customer record can come from: a chat channel, or typed in / imported by staff. */
export const SOURCE_CHANNELS = [...CHAT_CHANNELS, 'manual', 'import'] as const;
export type SourceChannel = (typeof SOURCE_CHANNELS)[number];

/** A sub-document with one optional value per chat channel. */
export function perChannel<T>(type: T) {
  return Object.fromEntries(CHAT_CHANNELS.map((c) => [c, { type }])) as Record<ChatChannel, { type: T }>;
}
