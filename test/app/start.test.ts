import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { startApp } from '../../app/start.js';
import { loadConfig } from '../../app/config.js';
import { createLogger } from '../../app/logger.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { findCustomers } from '../../crm/customers/customers.js';
import { SYSTEM } from '../../crm/users/actor.js';
import { Stage } from '../../models/stage.js';
import { User } from '../../models/user.js';
import { Customer } from '../../models/customer.js';
import { Types } from 'mongoose';

/**
 * The product started as `npm start` starts it, on the embedded database with its files in a
 * temporary DATA_DIR: health endpoints, seeding, and data surviving a restart.
 */
// These tests are about the embedded default: with MONGODB_URI set they are reported as skipped, with
// the reason in the block's name, instead of passing without running.
const describeEmbedded = process.env.MONGODB_URI ? describe.skip : describe;
const embeddedOnly = process.env.MONGODB_URI ? ' [skipped: MONGODB_URI is set, these start the embedded database]' : '';

describeEmbedded(`starting chot with no MONGODB_URI${embeddedOnly}`, () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'chot-start-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves health checks, seeds defaults and an admin, and keeps its data across a restart', async () => {
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' });
    const logger = createLogger('silent');

    const first = await startApp({ config, logger, features: [] });
    const base = `http://127.0.0.1:${first.port}`;
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ database: true });
    expect(await Stage.countDocuments()).toBe(7);
    expect(await User.countDocuments({ role: 'admin' })).toBe(1);
    await createCustomer(SYSTEM, { name: 'Khách còn đó', phones: ['0912345678'] });
    await first.stop();

    const second = await startApp({ config, logger, features: [] });
    try {
      expect((await findCustomers(SYSTEM, 'khach con do')).customers.map((c) => c.phones[0])).toEqual(['+84912345678']);
      // Types survive the snapshot: queries by ObjectId reference and by date range still match.
      const moi = await Stage.findOne({ code: 'moi' }).lean();
      const restored = await Customer.findOne({ stage: moi!._id, createdAt: { $gte: new Date(Date.now() - 3600_000) } }).lean();
      expect(restored?.name).toBe('Khách còn đó');
      expect(restored?.createdAt).toBeInstanceOf(Date);
      expect(restored?.stage).toBeInstanceOf(Types.ObjectId);
      expect(await Stage.countDocuments()).toBe(7);
      expect(await User.countDocuments({ role: 'admin' })).toBe(1);
    } finally {
      await second.stop();
    }
  });

  it('reports the database as unavailable on /readyz when it is gone, without crashing', async () => {
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' });
    const app = await startApp({ config, logger: createLogger('silent'), features: [] });
    const base = `http://127.0.0.1:${app.port}`;
    try {
      const mongoose = (await import('mongoose')).default;
      await mongoose.disconnect();
      const res = await fetch(`${base}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ database: false });
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      await app.stop();
    }
  });
});
