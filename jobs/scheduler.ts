import { Agenda, type Job } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import type { Db } from 'mongodb';
import type { Logger } from '../app/logger.js';
import type { Notifier } from '../bot/core/notifier.js';
import { systemClock, type Clock } from './clock.js';
import type { JobDefinition, JobDeps } from './types.js';

export const JOBS_COLLECTION = 'agendaJobs';

export interface SchedulerOptions {
  db: Db;
  notifier: Notifier;
  logger: Logger;
  jobs: JobDefinition[];
  clock?: Clock;
  /** How often this worker looks for due jobs. */
  processEvery?: string | number;
  /** A name for this worker in Agenda's locks (helps when reading the jobs collection). */
  name?: string;
}

export interface Scheduler {
  agenda: Agenda;
  /** Runs one job now on this worker (tests, admin "run now"), through Agenda's locking. */
  runNow(name: string): Promise<void>;
  stop(): Promise<void>;
}

const DRAIN_TIMEOUT_MS = 15_000;

/**
 * Starts Agenda on chot's database with every job registered. Agenda's lock on a job occurrence
 * keeps two workers from running it at once; the jobs' own atomic claims (a reminder's
 * `remindedFor`, a digest's once-mark, a delivery's `pending → sending`) make a second run harmless
 * even if a lock expires. Build it only at start-up: the constructor connects at once.
 */
export async function startScheduler(opts: SchedulerOptions): Promise<Scheduler> {
  const controller = new AbortController();
  const deps: JobDeps = { clock: opts.clock ?? systemClock, notifier: opts.notifier, logger: opts.logger, signal: controller.signal };
  const agenda = new Agenda({
    name: opts.name,
    backend: new MongoBackend({ mongo: opts.db, collection: JOBS_COLLECTION }),
    processEvery: opts.processEvery ?? '2 seconds',
    defaultConcurrency: 1,
    defaultLockLimit: 1,
  });
  agenda.on('error', (err) => opts.logger.error({ err }, 'job scheduler error'));
  agenda.on('fail', (err: unknown, job: unknown) => opts.logger.error({ err, job: (job as Job)?.attrs?.name }, 'job failed'));
  for (const def of opts.jobs) {
    agenda.define(
      def.name,
      async (job: Job) => {
        await def.run(deps, () => job.touch());
      },
      { concurrency: 1, lockLimit: 1, ...(def.lockLifetimeMs ? { lockLifetime: def.lockLifetimeMs } : {}) },
    );
  }
  await agenda.start();
  for (const def of opts.jobs) await agenda.every(def.every, def.name, undefined, { skipImmediate: false });
  opts.logger.info({ jobs: opts.jobs.map((j) => j.name) }, 'jobs scheduled');
  return {
    agenda,
    async runNow(name) {
      await agenda.now(name);
    },
    async stop() {
      // Long jobs stop between two sends; then wait for running jobs, and unlock whatever is left.
      controller.abort();
      try {
        await agenda.drain({ timeout: DRAIN_TIMEOUT_MS, closeConnection: false });
      } finally {
        await agenda.stop(false);
      }
    },
  };
}
