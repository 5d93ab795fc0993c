import { useTestDatabase } from '../helpers/database.js';
import { jobsFeature } from '../../jobs/feature.js';
import { JOBS } from '../../jobs/registry.js';
import { Notifier } from '../../bot/core/notifier.js';
import type { AppContext } from '../../app/context.js';
import { silentLogger } from './harness.js';
import mongoose from 'mongoose';

const db = useTestDatabase();

function context(worker: boolean): AppContext {
  return {
    logger: silentLogger,
    mode: { web: !worker, worker },
    notifier: new Notifier(silentLogger),
    registry: new Map(),
    db: { uri: db.uri, dbName: db.dbName, embedded: true, close: async () => {} },
  } as unknown as AppContext;
}

describe('jobs feature', () => {
  it('does not start Agenda in a web-only process', async () => {
    const ctx = context(false);
    expect(await jobsFeature.start(ctx)).toBeUndefined();
    expect(ctx.registry.has('scheduler')).toBe(false);
  });

  it('schedules every registered job in a worker and stops cleanly', async () => {
    const ctx = context(true);
    const started = await jobsFeature.start(ctx);
    const jobs = await mongoose.connection.db!.collection('agendaJobs').find({}).toArray();
    expect(jobs.map((j) => j.name).sort()).toEqual(JOBS.map((j) => j.name).sort());
    expect(jobs.every((j) => j.type === 'single' && j.repeatInterval)).toBe(true);
    await started!.stop!();
  });
});
