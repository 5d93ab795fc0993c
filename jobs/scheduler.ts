import { Agenda, type Job } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import type { Collection, Db, Document } from 'mongodb';
import type { Logger } from '../app/logger.js';
import type { Notifier } from '../bot/core/notifier.js';
import { systemClock, type Clock } from './clock.js';
import type { JobDefinition, JobDeps } from './types.js';
import { isDuplicateKey } from '../crm/shared/errors.js';

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
  const jobs = opts.db.collection(JOBS_COLLECTION);
  await ensureOneDocumentPerRecurringJob(jobs, opts.logger);
  await agenda.start();
  for (const def of opts.jobs) await scheduleRecurring(agenda, jobs, def, opts.name);
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

/**
 * A recurring job is one document, keyed by its name (Agenda's type `single`). Agenda's own upsert
 * on `{ name, type }` has nothing unique behind it, so two workers starting together could insert
 * two copies and both would run. A unique partial index closes that; copies left by such a race
 * before the index existed are removed first (the oldest stays), or the index could not be built.
 */
async function ensureOneDocumentPerRecurringJob(jobs: Collection<Document>, logger: Logger): Promise<void> {
  const copies = await jobs
    .aggregate<{ _id: string; ids: unknown[] }>([
      { $match: { type: 'single' } },
      { $sort: { _id: 1 } },
      { $group: { _id: '$name', ids: { $push: '$_id' }, n: { $sum: 1 } } },
      { $match: { n: { $gt: 1 } } },
    ])
    .toArray();
  for (const { _id: name, ids } of copies) {
    await jobs.deleteMany({ _id: { $in: ids.slice(1) as never[] } });
    logger.warn({ job: name, removed: ids.length - 1 }, 'removed duplicate copies of a recurring job');
  }
  try {
    await jobs.createIndex({ name: 1 }, { name: 'one_recurring_job_per_name', unique: true, partialFilterExpression: { type: 'single' } });
  } catch (err) {
    // Another worker starting at the same moment built it, or inserted a copy in between: the next start repairs that.
    if (!isDuplicateKey(err)) throw err;
    logger.warn({ err }, 'unique index on recurring jobs not built at this start');
  }
}

/**
 * Agenda's `every()`, without its two start-up hazards. `every()` writes every field of the job
 * with `$set`, including `lockedAt: null`, so a worker starting while another runs the job unlocks
 * it and a third may start it again. Here an existing job document is left alone (only a changed
 * interval is written), and a new one is inserted whole with `$setOnInsert`. Two workers inserting
 * at the same moment: the unique index refuses the second copy, which means the job is there.
 */
async function scheduleRecurring(agenda: Agenda, jobs: Collection<Document>, def: JobDefinition, workerName?: string): Promise<void> {
  const job = agenda.create(def.name);
  job.attrs.type = 'single';
  job.repeatEvery(def.every, { skipImmediate: false });
  // The document Agenda's saveJob would insert, minus the filter's own fields.
  const { _id, name, type, ...attrs } = job.toJson(true) as unknown as Record<string, unknown>;
  void [_id, name, type];
  const onInsert = {
    ...attrs,
    data: attrs.data ?? null,
    lockedAt: null,
    lastRunAt: null,
    lastFinishedAt: null,
    failedAt: null,
    failCount: null,
    failReason: null,
    repeatTimezone: attrs.repeatTimezone ?? null,
    disabled: null,
    lastModifiedBy: workerName ?? null,
  };
  try {
    await jobs.updateOne({ name: def.name, type: 'single' }, { $setOnInsert: onInsert }, { upsert: true });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  await jobs.updateOne({ name: def.name, type: 'single', repeatInterval: { $ne: def.every } }, { $set: { repeatInterval: def.every } });
}
