import type { ChatChannel } from '../../models/channels.js';

export interface PaceLimits {
  /** Messages per second across all chats of the channel. */
  perSecond: number;
  /** Minimum gap between two messages to the same chat. */
  perChatIntervalMs: number;
}

/**
 * The platforms' published or observed limits. Telegram: about 30 messages a second across chats
 * and one a second per chat. Zalo does not publish a rate; its real limit is quota (refusals are
 * recorded per delivery), so a modest pace is used there.
 */
export const CHANNEL_LIMITS: Record<ChatChannel, PaceLimits> = {
  telegram: { perSecond: 30, perChatIntervalMs: 1000 },
  zalo_oa: { perSecond: 10, perChatIntervalMs: 1000 },
  zalo_bot: { perSecond: 10, perChatIntervalMs: 1000 },
  web: { perSecond: 50, perChatIntervalMs: 0 },
};

/**
 * Sends are spaced to this share of the limit: timers fire a few milliseconds late and network
 * jitter bunches requests, so aiming exactly at the limit earns 429s.
 */
export const PACE_SAFETY = 0.93;

export interface PacerTiming {
  /** Monotonic milliseconds. */
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realTiming: PacerTiming = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (ms <= 0 || signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/**
 * Hands out send slots for one channel: evenly spaced across chats (a reservation per call, so
 * parallel senders cannot bunch up), never more than the limit minus one in any sliding second,
 * and at most one per interval per chat. A 429 pushes every
 * later slot back by the `retry_after` the platform asked for.
 */
export class Pacer {
  private nextFree = 0;
  private readonly lastByChat = new Map<string, number>();
  private readonly intervalMs: number;
  /** When the recent sends left (monotonic ms), for the sliding-second cap. */
  private readonly recent: number[] = [];
  private readonly perSecondCap: number;

  constructor(
    private readonly limits: PaceLimits,
    private readonly timing: PacerTiming = realTiming,
    safety = PACE_SAFETY,
  ) {
    this.intervalMs = 1000 / (limits.perSecond * safety);
    // Below the limit: a send recorded here reaches the platform some milliseconds later, more when
    // the event loop is busy, so two sends a second apart here may land 990 ms apart there.
    this.perSecondCap = Math.max(1, Math.floor(limits.perSecond * 0.94));
  }

  /** Waits for this chat's next slot. Returns false if the wait was cut short by `signal`. */
  async acquire(chatId: string, signal?: AbortSignal): Promise<boolean> {
    const now = this.timing.now();
    const chatReady = (this.lastByChat.get(chatId) ?? -Infinity) + this.limits.perChatIntervalMs;
    const slot = Math.max(now, this.nextFree, chatReady);
    this.nextFree = slot + this.intervalMs;
    if (this.limits.perChatIntervalMs > 0) this.lastByChat.set(chatId, slot);
    if (this.lastByChat.size > 10_000) this.forgetOldChats(now);
    await this.timing.sleep(slot - now, signal);
    // Even spacing alone is not enough: a lane woken late by a busy event loop, followed by lanes on
    // time, bunches sends. The sliding second is checked again right before the send.
    for (;;) {
      if (signal?.aborted) return false;
      const at = this.timing.now();
      while (this.recent.length && this.recent[0]! <= at - 1000) this.recent.shift();
      if (this.recent.length < this.perSecondCap) {
        this.recent.push(at);
        return true;
      }
      await this.timing.sleep(this.recent[0]! + 1000 - at + 1, signal);
    }
  }

  /** The platform said "too many requests, retry after N seconds": nobody sends before then. */
  backOff(retryAfterSeconds: number): void {
    const until = this.timing.now() + Math.max(0.5, retryAfterSeconds) * 1000;
    this.nextFree = Math.max(this.nextFree, until);
  }

  private forgetOldChats(now: number): void {
    for (const [chat, at] of this.lastByChat) if (at + this.limits.perChatIntervalMs < now) this.lastByChat.delete(chat);
  }
}

/** One pacer per channel for the whole worker, so two campaigns at once share the platform's limit. */
export class Pacers {
  private readonly byChannel = new Map<ChatChannel, Pacer>();

  constructor(
    private readonly limits: Partial<Record<ChatChannel, PaceLimits>> = {},
    private readonly timing: PacerTiming = realTiming,
  ) {}

  for(channel: ChatChannel): Pacer {
    let pacer = this.byChannel.get(channel);
    if (!pacer) {
      pacer = new Pacer(this.limits[channel] ?? CHANNEL_LIMITS[channel], this.timing);
      this.byChannel.set(channel, pacer);
    }
    return pacer;
  }
}
