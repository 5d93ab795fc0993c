import mongoose from 'mongoose';
import type { Db } from 'mongodb';
import { useTestDatabase } from '../helpers/database.js';
import { loseNextUpsertRace, type UpsertRace } from '../helpers/races.js';
import { silentLogger } from './harness.js';
import { startScheduler, JOBS_COLLECTION, type Scheduler } from '../../jobs/scheduler.js';
import { Notifier } from '../../bot/core/notifier.js';
import type { JobDefinition } from '../../jobs/types.js';

useTestDatabase({ seed: false });

const db = () => mongoose.connection.db as unknown as Db;
const jobs = () => db().collection(JOBS_COLLECTION);

/** A recurring job whose every run waits until the test lets it finish. */
function gatedJob(name = 'gated job') {
  const runs: { finish: () => void }[] = [];
  let released = false;
  let started: () => void = () => {};
  const firstStart = new Promise<void>((resolve) => (started = resolve));
  const def: JobDefinition = {
    name,
    every: '1 hour',
    run: () =>
      new Promise<void>((finish) => {
        runs.push({ finish });
        started();
        if (released) finish();
      }),
  };
  const finishAll = () => {
    released = true;
    runs.forEach((r) => r.finish());
  };
  return { def, runs, firstStart, finishAll };
}

function start(def: JobDefinition, name: string, database: Db = db()): Promise<Scheduler> {
  return startScheduler({ db: database as never, notifier: new Notifier(silentLogger), logger: silentLogger, jobs: [def], processEvery: 100, name });
}

/** The database as a worker sees it, where its first upsert into the jobs collection loses a race to `competitor`. */
function withLostJobUpsert(competitor: () => Promise<unknown>): { database: Db; race: UpsertRace } {
  const race: UpsertRace = { fired: false };
  const database = new Proxy(db(), {
    get(target, prop) {
      if (prop === 'collection') {
        return (name: string, options?: object) => {
          const collection = target.collection(name, options);
          if (name === JOBS_COLLECTION) loseNextUpsertRace(collection, competitor, race);
          return collection;
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { database, race };
}

describe('the scheduler on a shared database', () => {
  // First in the file, on its fresh database: the copies must predate the unique index, which any
  // scheduler start below creates.
  it('removes copies of a recurring job left by an earlier race, keeping the oldest', async () => {
    const { def, finishAll } = gatedJob();
    const far = new Date(Date.now() + 3600_000);
    const kept = await jobs().insertOne({ name: def.name, type: 'single', repeatInterval: def.every, nextRunAt: far, lockedAt: null, priority: 0, data: null });
    await jobs().insertOne({ name: def.name, type: 'single', repeatInterval: def.every, nextRunAt: far, lockedAt: null, priority: 0, data: null });
    const w = await start(def, 'w1');
    try {
      const left = await jobs().find({ name: def.name, type: 'single' }).toArray();
      expect(left.map((j) => String(j._id))).toEqual([String(kept.insertedId)]);
      await expect(jobs().insertOne({ name: def.name, type: 'single' })).rejects.toMatchObject({ code: 11000 });
    } finally {
      finishAll();
      await w.stop();
    }
  });

  it('keeps one document per recurring job, and the database refuses a second copy', async () => {
    const { def, finishAll } = gatedJob();
    const workers = await Promise.all([start(def, 'w1'), start(def, 'w2')]);
    try {
      expect(await jobs().countDocuments({ name: def.name, type: 'single' })).toBe(1);
      await expect(jobs().insertOne({ name: def.name, type: 'single', nextRunAt: new Date() })).rejects.toMatchObject({ code: 11000 });
      // One-off jobs of the same name (runNow) are not recurring copies.
      await jobs().insertOne({ name: def.name, type: 'normal', nextRunAt: null });
    } finally {
      finishAll();
      await Promise.all(workers.map((w) => w.stop()));
    }
  });

  it('starts a worker whose job insert lost the race to another worker starting at the same moment', async () => {
    const { def, finishAll } = gatedJob();
    let first: Scheduler | undefined;
    const { database, race } = withLostJobUpsert(async () => {
      first = await start(def, 'w1');
    });
    let second: Scheduler | undefined;
    try {
      second = await start(def, 'w2', database);
      expect(race.fired && race.lookedUpNothing).toBe(true);
      expect(await jobs().countDocuments({ name: def.name, type: 'single' })).toBe(1);
    } finally {
      finishAll();
      await Promise.all([first?.stop(), second?.stop()]);
    }
  });

  it('a worker starting while another runs a recurring job does not unlock it', async () => {
    const { def, runs, firstStart, finishAll } = gatedJob();
    const a = await start(def, 'w1');
    let b: Scheduler | undefined;
    try {
      await firstStart;
      const running = await jobs().findOne({ name: def.name, type: 'single' });
      expect(running?.lockedAt).toBeInstanceOf(Date);
      b = await start(def, 'w2');
      const after = await jobs().findOne({ name: def.name, type: 'single' });
      expect(after?.lockedAt).toEqual(running!.lockedAt);
      expect(after?.lastModifiedBy).toBe(running!.lastModifiedBy);
      expect(runs).toHaveLength(1);
    } finally {
      finishAll();
      await Promise.all([a.stop(), b?.stop()]);
    }
  });

  it('a changed interval is written to the existing job, which keeps its next run', async () => {
    const { def, finishAll } = gatedJob();
    const far = new Date(Date.now() + 3600_000);
    await jobs().insertOne({ name: def.name, type: 'single', repeatInterval: '1 day', nextRunAt: far, lockedAt: null, priority: 0, data: null });
    const w = await start(def, 'w1');
    try {
      const job = await jobs().findOne({ name: def.name, type: 'single' });
      expect(job).toMatchObject({ repeatInterval: '1 hour', nextRunAt: far });
    } finally {
      finishAll();
      await w.stop();
    }
  });
});
