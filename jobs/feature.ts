import mongoose from 'mongoose';
import type { Feature } from '../app/context.js';
import { startScheduler } from './scheduler.js';
import { JOBS } from './registry.js';

/**
 * The worker half of chot: Agenda and every job in jobs/registry.ts. Runs only where the process
 * is a worker (`npm start` or `npm run worker`); `npm run web` leaves it out. Several workers may
 * run against one database.
 */
export const jobsFeature: Feature = {
  name: 'jobs',
  async start(ctx) {
    if (!ctx.mode.worker) return;
    // Mongoose's own database handle: Agenda shares the connection pool and the driver.
    const db = mongoose.connection.db;
    if (!db) throw new Error('jobs: the database is not connected');
    const scheduler = await startScheduler({ db: db as never, notifier: ctx.notifier, logger: ctx.logger, jobs: JOBS });
    ctx.registry.set('scheduler', scheduler);
    return { stop: () => scheduler.stop() };
  },
};
