import { Notifier } from '../../bot/core/notifier.js';
import { createLogger } from '../../app/logger.js';
import { ManualClock } from '../../jobs/clock.js';
import type { JobDeps } from '../../jobs/types.js';
import { RecordingSender } from './fakeBotApi.js';

export const silentLogger = createLogger('silent');

/** A worker as the jobs see it: a clock the test moves, and a notifier whose Telegram sender records. */
export function fakeWorker(clock: ManualClock): JobDeps & { sender: RecordingSender } {
  const notifier = new Notifier(silentLogger);
  const sender = new RecordingSender('telegram');
  notifier.register(sender);
  return { clock, notifier, logger: silentLogger, signal: new AbortController().signal, sender };
}
