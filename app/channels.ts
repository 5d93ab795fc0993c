import crypto from 'node:crypto';
import os from 'node:os';
import type { Logger } from './logger.js';
import { redactSecrets } from './secrets.js';
import { ChannelStatus } from '../models/channelStatus.js';
import type { ChatChannel } from '../models/channels.js';

export type ChannelState = 'starting' | 'up' | 'degraded';

/** What /readyz tells about one channel: no error text (it is public), just the state and when. */
export interface ChannelHealth {
  state: ChannelState;
  since: Date;
  /** When the next attempt to reach the platform is due (degraded only). */
  nextTryAt?: Date;
}

/** What a channel adapter holds to report how its platform is doing once it runs. */
export interface ChannelLink {
  /** The platform answered (a poll, a send): the channel is up. */
  up(): void;
  /** The platform failed at run time (a poll, a send): degraded until the next success. */
  degraded(err: unknown): void;
  /** The running connection ended (polling stopped for good): connect again, in the background. */
  reconnect(err: unknown): void;
  /** After a platform call: `up()` when it answered (failure undefined), else `degraded(failure)`. */
  report(failure?: unknown): void;
}

export interface ChannelBoardOptions {
  /** The pause after the first failed attempt; it doubles after each failure... */
  firstRetryMs?: number;
  /** ...up to this (bounded backoff: a platform back after an hour is noticed within a minute). */
  maxRetryMs?: number;
  /** One attempt to reach the platform gives up after this long. */
  attemptTimeoutMs?: number;
}

/** The text of an error for logs and the admin dashboard, without any known secret. */
export function describeError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return redactSecrets(text).slice(0, 300);
}

/**
 * The lifecycle of every chat channel, written once for all adapters. No chat platform may hold up
 * chot's start: an adapter hands its start-up calls (getMe, setWebhook, deleteWebhook, a usable
 * token) to `bringUp`, which runs them in the background, retries a failure with a growing but
 * bounded pause, and marks the channel `up` when the platform answers. While it runs, the adapter
 * reports through its ChannelLink (a failed poll or send: degraded; the next success: up). The
 * states are shown on /readyz (this process) and on the admin dashboard (every process, through
 * the ChannelStatus collection).
 */
export class ChannelBoard {
  readonly instance = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  private readonly entries = new Map<ChatChannel, ChannelEntry>();
  private heartbeat?: NodeJS.Timeout;
  private stopped = false;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly logger: Logger,
    private readonly opts: ChannelBoardOptions = {},
  ) {}

  /**
   * Starts connecting a channel and returns at once. `connect` resolves when the platform accepted
   * everything the channel needs to run; it gets a signal that aborts when the attempt times out or
   * the app stops.
   */
  bringUp(channel: ChatChannel, connect: (signal: AbortSignal) => Promise<void>): ChannelLink {
    const entry = new ChannelEntry(channel, connect, this.logger.child({ part: 'channels', channel }), this.opts, (e) => this.persist(e));
    this.entries.set(channel, entry);
    this.startHeartbeat();
    entry.attempt();
    return entry;
  }

  snapshot(): Partial<Record<ChatChannel, ChannelHealth>> {
    return Object.fromEntries([...this.entries].map(([channel, e]) => [channel, e.health()]));
  }

  /** Stops every retry and forgets this process's rows (a stopped process has no channels). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const entry of this.entries.values()) entry.stop();
    await this.writes;
    if (this.entries.size) await ChannelStatus.deleteMany({ instance: this.instance }).catch(() => undefined);
  }

  private startHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      void ChannelStatus.updateMany({ instance: this.instance }, { $set: { seenAt: new Date() } }).catch(() => undefined);
    }, 60_000);
    this.heartbeat.unref();
  }

  private persist(entry: ChannelEntry): void {
    if (this.stopped) return;
    const h = entry.health();
    // One write after the other, so the last state is the one stored. Best effort: the database
    // may be the thing that is down; the next change writes again.
    this.writes = this.writes
      .then(() =>
        ChannelStatus.updateOne(
          { channel: entry.channel, instance: this.instance },
          { $set: { state: h.state, since: h.since, seenAt: new Date(), lastError: entry.lastError ?? '' } },
          { upsert: true },
        ),
      )
      .catch(() => undefined);
  }
}

class ChannelEntry implements ChannelLink {
  private state: ChannelState = 'starting';
  private since = new Date();
  private nextTryAt?: Date;
  lastError?: string;
  private failures = 0;
  private connecting = false;
  private timer?: NodeJS.Timeout;
  private readonly abort = new AbortController();

  constructor(
    readonly channel: ChatChannel,
    private readonly connect: (signal: AbortSignal) => Promise<void>,
    private readonly logger: Logger,
    private readonly opts: ChannelBoardOptions,
    private readonly changed: (entry: ChannelEntry) => void,
  ) {}

  health(): ChannelHealth {
    return { state: this.state, since: this.since, ...(this.nextTryAt ? { nextTryAt: this.nextTryAt } : {}) };
  }

  attempt(): void {
    if (this.abort.signal.aborted || this.connecting) return;
    this.connecting = true;
    this.timer = undefined;
    this.nextTryAt = undefined;
    const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.opts.attemptTimeoutMs ?? 30_000)]);
    this.connect(signal).then(
      () => {
        this.connecting = false;
        if (this.abort.signal.aborted) return;
        this.failures = 0;
        this.up();
      },
      (err: unknown) => {
        this.connecting = false;
        if (this.abort.signal.aborted) return;
        this.failures += 1;
        this.scheduleRetry(err);
      },
    );
  }

  up(): void {
    if (this.abort.signal.aborted || this.connecting || this.timer || this.state === 'up') return;
    this.set('up');
    this.logger.info({ channel: this.channel }, `${this.channel} is up`);
  }

  degraded(err: unknown): void {
    // While a connection attempt runs or waits, its own outcome decides the state.
    if (this.abort.signal.aborted || this.connecting || this.timer || this.state === 'degraded') return;
    this.lastError = describeError(err);
    this.set('degraded');
    this.logger.warn({ channel: this.channel, error: this.lastError }, `${this.channel} cannot reach its platform; it recovers by itself when the platform answers`);
  }

  report(failure?: unknown): void {
    if (failure === undefined) this.up();
    else this.degraded(failure);
  }

  reconnect(err: unknown): void {
    if (this.abort.signal.aborted || this.connecting || this.timer) return;
    this.failures += 1;
    this.scheduleRetry(err);
  }

  stop(): void {
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private scheduleRetry(err: unknown): void {
    const first = this.opts.firstRetryMs ?? 1_000;
    const wait = Math.min(first * 2 ** Math.min(this.failures - 1, 20), this.opts.maxRetryMs ?? 60_000);
    this.lastError = describeError(err);
    this.nextTryAt = new Date(Date.now() + wait);
    this.set('degraded');
    this.logger.warn({ channel: this.channel, error: this.lastError, retryInMs: wait }, `${this.channel} cannot reach its platform; retrying in the background`);
    // The whole error for whoever debugs it (a library's error may carry its request: the logger
    // replaces every known secret in it).
    this.logger.debug({ channel: this.channel, err }, `${this.channel} start-up error in full`);
    this.timer = setTimeout(() => this.attempt(), wait);
    this.timer.unref();
  }

  private set(state: ChannelState): void {
    if (state !== this.state) this.since = new Date();
    this.state = state;
    this.changed(this);
  }
}
