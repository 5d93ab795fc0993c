import type { Logger } from '../../../app/logger.js';
import { storeInboxEvent } from '../shared/inbox.js';
import { botUpdateKey } from './adapter.js';
import type { ZaloBotClient } from './client.js';

/**
 * Long polling with getUpdates, for installs without a public HTTPS URL. Each update is stored in the
 * inbox before it is processed, like a webhook delivery; a failing API (down, wrong token) is retried
 * with a growing pause, never crashing the process.
 */
export class ZaloBotPoller {
  private readonly abort = new AbortController();
  private loop?: Promise<void>;

  constructor(
    private readonly opts: {
      client: ZaloBotClient;
      logger: Logger;
      onStored(): void;
      /** Told after each getUpdates: undefined when the platform answered, else the error (the channel's health). */
      onPlatform?(failure?: unknown): void;
      timeoutSeconds?: number;
      maxBackoffMs?: number;
    },
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        const updates = await this.opts.client.getUpdates(this.opts.timeoutSeconds ?? 30, this.abort.signal);
        failures = 0;
        this.opts.onPlatform?.();
        let stored = false;
        for (const update of updates) {
          const key = botUpdateKey(update);
          if (key && (await storeInboxEvent('zalo_bot', key, update.event_name ?? 'message', update))) stored = true;
        }
        if (stored) this.opts.onStored();
      } catch (err) {
        if (this.abort.signal.aborted) return;
        failures += 1;
        this.opts.onPlatform?.(err);
        const pause = Math.min(1000 * 2 ** Math.min(failures - 1, 6), this.opts.maxBackoffMs ?? 60_000);
        this.opts.logger.warn({ err: err instanceof Error ? err.message : String(err), pauseMs: pause }, 'Zalo Bot getUpdates failed; retrying');
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, pause);
          this.abort.signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
        });
      }
    }
  }
}
