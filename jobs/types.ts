import type { Logger } from '../app/logger.js';
import type { Notifier } from '../bot/core/notifier.js';
import type { Clock } from './clock.js';

/** What every job handler gets: the time, the way to reach people, and a logger. */
export interface JobDeps {
  clock: Clock;
  notifier: Notifier;
  logger: Logger;
  /** Aborted when the worker shuts down: long jobs stop between two sends. */
  signal: AbortSignal;
}

/** Progress callback of a long run: keeps the Agenda lock of the occurrence alive. */
export type KeepAlive = () => Promise<void>;

/**
 * One scheduled job. Adding one is a file exporting a JobDefinition and a line in `jobs/registry.ts`.
 * The handler is an ordinary async function of JobDeps, so tests call it directly with a fake clock.
 */
export interface JobDefinition {
  /** Unique, stable: it is the key of the job's document in the database. */
  name: string;
  /** How often it runs (Agenda interval: `1 minute`, `1 hour`, `5 seconds`). */
  every: string;
  /** How long an occurrence may hold its lock without calling keepAlive; then another worker may take over. */
  lockLifetimeMs?: number;
  run(deps: JobDeps, keepAlive: KeepAlive): Promise<void>;
}
