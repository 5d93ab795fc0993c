import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import mongoose from 'mongoose';
import { EMBEDDED_CLIENT_OPTIONS, startEmbeddedMongo, syncIndexes } from '../../../app/database.js';
import type { EmbeddedMongo } from '../../../app/embedded/server.js';
import '../../../models/index.js';

export interface SharedDatabase {
  /** What the app processes get as MONGODB_URI (database name included). */
  uri: string;
  dbName: string;
  /** Takes the database server away (connections refused), keeping what it stored. */
  stopServer(): Promise<void>;
  /** Brings it back on the same port with the same data. */
  startServer(): Promise<void>;
}

/**
 * One database for several app processes, as in production: a standalone embedded server in the
 * test process (or MONGODB_URI when set), and this test connected to it to arrange and inspect.
 * With the embedded server the data is persisted on stop, so stopServer/startServer is an outage.
 */
export function useSharedDatabase(): SharedDatabase {
  const state = {} as SharedDatabase;
  let server: EmbeddedMongo | undefined;
  let persistDir = '';
  let port = 0;

  beforeAll(async () => {
    state.dbName = `chot_rel_${crypto.randomBytes(4).toString('hex')}`;
    if (process.env.MONGODB_URI) {
      const [, hosts, query] = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(process.env.MONGODB_URI) ?? [];
      if (!hosts) throw new Error('MONGODB_URI is not a mongodb:// address');
      state.uri = `${hosts}/${state.dbName}${query ?? ''}`;
      state.stopServer = async () => {
        throw new Error('an outage cannot be simulated on an external MONGODB_URI');
      };
      state.startServer = state.stopServer;
      await mongoose.connect(state.uri, { dbName: state.dbName });
    } else {
      persistDir = await mkdtemp(path.join(os.tmpdir(), 'chot-rel-db-'));
      server = await startEmbeddedMongo({ persistDir });
      port = server.port;
      // The embedded server's streaming heartbeat is unreliable: every client polls (see EMBEDDED_CLIENT_OPTIONS).
      state.uri = `mongodb://127.0.0.1:${port}/${state.dbName}?serverMonitoringMode=poll`;
      state.stopServer = async () => {
        await server?.stop();
        server = undefined;
      };
      state.startServer = async () => {
        // The app processes hold this port in their URI, so the server must come back on it. While
        // it was down another test may have bound it for a moment (a free-port probe, a short-lived
        // server): retry the bind for a while instead of failing at the first EADDRINUSE.
        for (let attempt = 1; ; attempt += 1) {
          try {
            server = await startEmbeddedMongo({ port, persistDir });
            return;
          } catch (err) {
            const inUse = (err as NodeJS.ErrnoException)?.code === 'EADDRINUSE' || /EADDRINUSE/.test(String(err));
            if (!inUse || attempt >= 50) throw err;
            await new Promise((r) => setTimeout(r, 200));
          }
        }
      };
      await mongoose.connect(`mongodb://127.0.0.1:${port}`, { dbName: state.dbName, ...EMBEDDED_CLIENT_OPTIONS });
    }
    await syncIndexes();
  });

  afterAll(async () => {
    if (process.env.MONGODB_URI) await mongoose.connection.db?.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
    await server?.stop();
    if (persistDir) await rm(persistDir, { recursive: true, force: true });
  });

  return state;
}
