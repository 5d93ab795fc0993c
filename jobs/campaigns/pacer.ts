import type { CampaignChannel } from '../../models/campaign.js';

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
export const CHANNEL_LIMITS: Record<CampaignChannel, PaceLimits> = {
  telegram: { perSecond: 30, perChatIntervalMs: 1000 },
  zalo_oa: { perSecond: 10, perChatIntervalMs: 1000 },
  zalo_bot: { perSecond: 10, perChatIntervalMs: 1000 },
  web: { perSecond: 50, perChatIntervalMs: 0 },
  // Outreach: one message per address anyway. SMTP relays commonly allow a few a second per
  // connection; Zalo does not publish a ZNS rate (unconfirmed: its limit shows as quota refusals);
  // brandname gateways take tens a second. Each is overridable, see paceLimitsFromEnv.
  email: { perSecond: 5, perChatIntervalMs: 0 },
  zns: { perSecond: 10, perChatIntervalMs: 0 },
  sms: { perSecond: 10, perChatIntervalMs: 0 },
};

/**
 * The provider's limit when it is known to be lower (or a contract allows more): messages per
 * second from `CAMPAIGN_RATE_EMAIL`, `CAMPAIGN_RATE_ZNS`, `CAMPAIGN_RATE_SMS`. A value that is not
 * a positive number (up to 1000) is ignored, and the default stays.
 */
export function paceLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<Record<CampaignChannel, PaceLimits>> {
  const limits: Partial<Record<CampaignChannel, PaceLimits>> = {};
  for (const channel of ['email', 'zns', 'sms'] as const) {
    const value = Number(env[`CAMPAIGN_RATE_${channel.toUpperCase()}`]);
    if (Number.isFinite(value) && value > 0 && value <= 1000) limits[channel] = { ...CHANNEL_LIMITS[channel], perSecond: value };
  }
  return limits;
}

/**
 * The platform counts sends in any sliding second by when they reach it, and that is not when
 * they left here: a busy event loop (ours or the platform's) delays some sends more than others.
 * So no window of 1000 ms plus this margin holds more than the limit: 31 sends reach Telegram
 * within a second only if the first of them was delayed this much more than the 31st. At 30/s
 * that is 28.8 sends a second (96 %). The old way, spacing at 93 % with at most 28 in a second,
 * left 75 ms of margin and could never reach 95 %.
 */
export const ARRIVAL_JITTER_MS = 40;

/**
 * A 429 says the jitter was larger than the margin (a loaded machine, a slow network): the margin
 * grows by this much (at most once per refusal burst, up to MAX_JITTER_MS) and shrinks back by as
 * much after each JITTER_QUIET_MS without a refusal. Each 429 costs a whole `retry_after` of
 * silence, so a slightly slower pace that avoids them is faster overall.
 */
export const JITTER_STEP_MS = 20;
export const MAX_JITTER_MS = 160;
export const JITTER_QUIET_MS = 5_000;

/**
 * The margin a pacer starts with (and takes again after being idle), narrowed a step every
 * JITTER_QUIET_MS: the first sends open new connections to the platform and reach it later than
 * the ones after them (measured here: 70 ms), which would otherwise cost a 429 at the first second.
 */
export const START_JITTER_MS = 100;

/**
 * How far behind the clock the schedule may fall and still be made up: a few slots missed while
 * every lane was busy (a stalled event loop, a slow send) are used right afterwards, at most twice
 * as fast, instead of being lost. Short: a schedule far behind would leave the sliding window as
 * the only limit, and sends would come in bursts of a second's worth, which the platform's
 * jitter turns into 429s (measured: 59 pauses of over half a second in a 3,000-message run at 1 s).
 */
export const CATCH_UP_MS = 150;

/**
 * Without a send for this long, a pacer starts again with START_JITTER_MS: the connections to the
 * platform may have been closed meanwhile (kept-alive sockets are commonly closed after a few
 * seconds idle).
 */
export const COLD_AFTER_MS = 2_000;

/**
 * Where a pacer's time went, summed over its sends (ms): read by the bench to say why a run fell
 * short of the limit, and cheap enough to keep in production.
 */
export interface PacerStats {
  sends: number;
  /** How late sends were let go after they were due (a busy event loop wakes timers late). */
  lateMs: number;
  /** How long sends waited for the sliding window after their slot. */
  windowWaitMs: number;
  /** Schedule given up because it fell more than CATCH_UP_MS behind (a stall). */
  droppedMs: number;
  /** Time spent by the margin above the base margin: the start-up margin and widenings after a 429. */
  extraMarginMs: number;
  refusals: number;
}

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
 * Hands out send slots for one channel: evenly spaced across chats on a steady clock (a
 * reservation per call, so parallel senders cannot bunch up, and each slot follows the previous
 * slot, not the previous send, so late wake-ups do not add up), never more than the limit in any
 * sliding window of a second plus ARRIVAL_JITTER_MS, and at most one per interval per chat. A 429 pushes every later
 * slot back by the `retry_after` the platform asked for.
 */
export class Pacer {
  /** The next free slot on the steady clock; null before the first send. */
  private nextFree: number | null = null;
  private readonly lastByChat = new Map<string, number>();
  private intervalMs = 0;
  /** When the recent sends left (monotonic ms), for the sliding window. */
  private readonly recent: number[] = [];
  private windowMs = 0;
  private readonly perWindow: number;
  private jitterMs = 0;
  /** The last 429, or the last easing of the margin since. */
  private lastRefusal = -Infinity;
  /** Counts 429s: a slot reserved before one is given up and taken again after the wait. */
  private refusals = 0;
  /** When the last send was let go: catching up, two sends are still half an interval apart. */
  private lastSent = -Infinity;
  private readonly tally: PacerStats = { sends: 0, lateMs: 0, windowWaitMs: 0, droppedMs: 0, extraMarginMs: 0, refusals: 0 };

  constructor(
    private readonly limits: PaceLimits,
    private readonly timing: PacerTiming = realTiming,
    private readonly baseJitterMs = ARRIVAL_JITTER_MS,
  ) {
    this.perWindow = Math.max(1, Math.floor(limits.perSecond));
    this.setJitter(baseJitterMs);
  }

  /** The margin for late arrivals now in use (ms). */
  get margin(): number {
    return this.jitterMs;
  }

  /** A copy of the running totals. */
  stats(): PacerStats {
    return { ...this.tally };
  }

  private setJitter(ms: number): void {
    this.jitterMs = ms;
    this.windowMs = 1000 + ms;
    this.intervalMs = this.windowMs / this.perWindow;
  }

  /** Waits for this chat's next slot. Returns false if the wait was cut short by `signal`. */
  async acquire(chatId: string, signal?: AbortSignal): Promise<boolean> {
    const now = this.timing.now();
    if (this.nextFree === null || this.nextFree < now - COLD_AFTER_MS) {
      // Starting, or idle for a while: connections may be cold again. (Not after a stall of a
      // fraction of a second: the margin would then be back at its widest for the next 15 s.)
      this.setJitter(Math.max(this.jitterMs, START_JITTER_MS, this.baseJitterMs));
      this.lastRefusal = now;
    } else if (this.jitterMs > this.baseJitterMs && now - this.lastRefusal >= JITTER_QUIET_MS) {
      this.setJitter(Math.max(this.baseJitterMs, this.jitterMs - JITTER_STEP_MS));
      this.lastRefusal = now;
    }
    const chatReady = (this.lastByChat.get(chatId) ?? -Infinity) + this.limits.perChatIntervalMs;
    // The first send starts the clock now, without a burst; a schedule behind by more than
    // CATCH_UP_MS (idle, or a long stall) starts again from now minus that.
    if (this.nextFree !== null && this.nextFree < now - CATCH_UP_MS) this.tally.droppedMs += now - CATCH_UP_MS - this.nextFree;
    const slot = Math.max(this.nextFree ?? now, now - CATCH_UP_MS, chatReady);
    this.nextFree = slot + this.intervalMs;
    const chatBefore = this.lastByChat.get(chatId);
    // The chat's gap counts from when the send can really leave (a slot being made up is in the past).
    if (this.limits.perChatIntervalMs > 0) this.lastByChat.set(chatId, Math.max(slot, now));
    if (this.lastByChat.size > 10_000) this.forgetOldChats(now);
    const refusals = this.refusals;
    await this.timing.sleep(slot - now, signal);
    if (this.refusals !== refusals && !signal?.aborted) {
      // A 429 came while this slot was waiting: it is void, the next one is after retry_after.
      if (chatBefore === undefined) this.lastByChat.delete(chatId);
      else this.lastByChat.set(chatId, chatBefore);
      return this.acquire(chatId, signal);
    }
    // Even spacing alone is not enough: a lane woken late by a busy event loop, followed by lanes on
    // time (or catching up), bunches sends. The sliding window is checked again right before the send.
    for (;;) {
      if (signal?.aborted) return false;
      const at = this.timing.now();
      while (this.recent.length && this.recent[0]! <= at - this.windowMs) this.recent.shift();
      const windowReady = this.recent.length < this.perWindow ? -Infinity : this.recent[0]! + this.windowMs;
      const due = Math.max(slot, this.lastSent + this.intervalMs / 2, windowReady);
      if (at >= due) {
        // A send a little late (a busy event loop) counts from when it was due, up to half the
        // margin: else every late wake-up would hold the send 30 places later back as well, and
        // lateness would add up second after second. The other half is left for the way there.
        // Never before the previous one: the window stays in order.
        this.recent.push(Math.max(this.recent.at(-1) ?? -Infinity, due, at - this.jitterMs / 2));
        this.lastSent = at;
        this.tally.sends += 1;
        this.tally.lateMs += at - due;
        this.tally.windowWaitMs += Math.max(0, due - Math.max(slot, now));
        this.tally.extraMarginMs += (this.intervalMs * (this.jitterMs - this.baseJitterMs)) / (1000 + this.jitterMs);
        return true;
      }
      await this.timing.sleep(due - at, signal);
    }
  }

  /** The platform said "too many requests, retry after N seconds": nobody sends before then. */
  backOff(retryAfterSeconds: number): void {
    const now = this.timing.now();
    const wait = Math.max(0.5, retryAfterSeconds) * 1000;
    // Sends already on their way when the first 429 came are refused too: one widening per burst.
    if (now - this.lastRefusal >= wait) this.setJitter(Math.min(MAX_JITTER_MS, this.jitterMs + JITTER_STEP_MS));
    this.lastRefusal = now;
    this.refusals += 1;
    this.tally.refusals += 1;
    const until = now + wait;
    this.nextFree = Math.max(this.nextFree ?? until, until);
  }

  private forgetOldChats(now: number): void {
    for (const [chat, at] of this.lastByChat) if (at + this.limits.perChatIntervalMs < now) this.lastByChat.delete(chat);
  }
}

/** One pacer per channel for the whole worker, so two campaigns at once share the platform's limit. */
export class Pacers {
  private readonly byChannel = new Map<CampaignChannel, Pacer>();

  constructor(
    private readonly limits: Partial<Record<CampaignChannel, PaceLimits>> = {},
    private readonly timing: PacerTiming = realTiming,
  ) {}

  for(channel: CampaignChannel): Pacer {
    let pacer = this.byChannel.get(channel);
    if (!pacer) {
      pacer = new Pacer(this.limits[channel] ?? CHANNEL_LIMITS[channel], this.timing);
      this.byChannel.set(channel, pacer);
    }
    return pacer;
  }
}
