import crypto from 'node:crypto';
import mongoose from 'mongoose';
import { EMBEDDED_CLIENT_OPTIONS, startEmbeddedMongo, syncIndexes } from '../../app/database.js';
import { seedDefaults } from '../../crm/seed/defaults.js';
import '../../models/index.js';
import { dropAllCaches } from '../../crm/shared/versionedCache.js';

export interface TestDatabase {
  uri: string;
  dbName: string;
}

/**
 * Gives a test file its own database: MONGODB_URI when set (a fresh database name per file),
 * otherwise an embedded in-memory server. Every test starts from a clean database with the
 * default stages, sources, groups and settings seeded (unless `seed: false`).
 */
export function useTestDatabase(opts: { seed?: boolean } = {}): TestDatabase {
  const state = {} as TestDatabase;
  let stopEmbedded: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    if (process.env.MONGODB_URI) {
      state.uri = process.env.MONGODB_URI;
    } else {
      const embedded = await startEmbeddedMongo();
      state.uri = embedded.uri;
      stopEmbedded = embedded.stop;
    }
    state.dbName = `chot_test_${crypto.randomBytes(4).toString('hex')}`;
    await mongoose.connect(state.uri, { dbName: state.dbName, ...(stopEmbedded ? EMBEDDED_CLIENT_OPTIONS : {}) });
    await syncIndexes();
  });

  beforeEach(async () => {
    await clearDatabase();
    if (opts.seed !== false) await seedDefaults();
  });

  afterAll(async () => {
    if (process.env.MONGODB_URI) await mongoose.connection.db?.dropDatabase();
    await mongoose.disconnect();
    if (stopEmbedded) await stopEmbedded();
  });

  return state;
}

export async function clearDatabase(): Promise<void> {
  const db = mongoose.connection.db;
  if (!db) return;
  for (const collection of await db.collections()) {
    await collection.deleteMany({});
  }
  // Emptied past mongoose: the settings and staff this process keeps in memory go too.
  dropAllCaches();
}
