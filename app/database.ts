import net from 'node:net';
import path from 'node:path';
import mongoose from 'mongoose';
import { startEmbeddedMongo } from './embedded/server.js';
import type { Logger } from './logger.js';
// Registers every model, so syncIndexes() sees them all.
import '../models/index.js';

export const DEFAULT_DB_NAME = 'chot';

export interface Database {
  /** The URI every part (mongoose, Agenda, session store) connects to. */
  uri: string;
  dbName: string;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Driver options for the embedded server: its streaming heartbeat ("moreToCome") is unreliable and
 * clears the connection pool at random, so the driver polls instead.
 */
export const EMBEDDED_CLIENT_OPTIONS = { serverMonitoringMode: 'poll' } as const;

/** Asks the OS for a free port on loopback, for servers that must be told their port before they listen. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Connects mongoose to MONGODB_URI, or to an embedded server persisted under DATA_DIR. */
export async function connectDatabase(
  opts: { uri?: string; dataDir: string; dbName?: string; clientOptions?: mongoose.ConnectOptions },
  logger: Logger,
): Promise<Database> {
  let uri = opts.uri;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!uri) {
    const persistDir = path.resolve(opts.dataDir, 'embedded-db');
    const embedded = await startEmbeddedMongo({ persistDir, log: logger });
    uri = embedded.uri;
    stopEmbedded = embedded.stop;
    logger.warn(
      { persistDir, uri, restored: embedded.loaded },
      'MONGODB_URI is not set: using the embedded database (journaled in DATA_DIR; set MONGODB_URI to a real MongoDB for a larger team)',
    );
  }
  const dbName = opts.dbName ?? dbNameFromUri(uri) ?? DEFAULT_DB_NAME;
  try {
    await mongoose.connect(uri, { dbName, serverSelectionTimeoutMS: 10_000, ...(stopEmbedded ? EMBEDDED_CLIENT_OPTIONS : {}), ...opts.clientOptions });
    await syncIndexes();
  } catch (err) {
    // Release the embedded database (and its data directory lock) before giving up.
    await mongoose.disconnect().catch(() => undefined);
    await stopEmbedded?.();
    throw err;
  }
  logger.info({ dbName, embedded: Boolean(stopEmbedded) }, 'database connected');
  return {
    uri,
    dbName,
    embedded: Boolean(stopEmbedded),
    async close() {
      await mongoose.disconnect();
      if (stopEmbedded) await stopEmbedded();
    },
  };
}

/** Creates the declared indexes of every registered model (idempotent). */
export async function syncIndexes(): Promise<void> {
  for (const model of Object.values(mongoose.models)) await model.createIndexes();
}

/** True when the database answers a ping: what /readyz reports. */
export async function isDatabaseReachable(): Promise<boolean> {
  const db = mongoose.connection.db;
  if (!db || mongoose.connection.readyState !== 1) return false;
  try {
    await db.admin().command({ ping: 1 }, { timeoutMS: 2000 } as never);
    return true;
  } catch {
    return false;
  }
}

function dbNameFromUri(uri: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(uri);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

export { startEmbeddedMongo };
