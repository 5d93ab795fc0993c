import net from 'node:net';
import path from 'node:path';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
// The bson the embedded server itself uses (6.x), so restored values are its own ObjectId and Date.
import { EJSON } from 'bson';
import mongoose from 'mongoose';
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

/** Asks the OS for a free port on loopback (the embedded server cannot report port 0). */
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

/** Storage methods of the embedded server that change data: a snapshot is due after any of them. */
const EMBEDDED_WRITES = [
  'createDatabase',
  'dropDatabase',
  'createCollection',
  'dropCollection',
  'renameCollection',
  'insertOne',
  'insertMany',
  'updateById',
  'deleteById',
  'deleteByIds',
  'saveIndex',
  'dropIndex',
] as const;

/** The parts of CongoDB's MemoryStorageAdapter (pinned 2.2.0) that the snapshot code reads. */
interface EmbeddedStorage {
  databases: Map<string, Map<string, Map<string, Record<string, unknown>>>>;
  indexes: Map<string, Map<string, unknown[]>>;
  opLogCounter: number;
  persist(): Promise<void>;
  restore(): Promise<void>;
  [method: string]: unknown;
}

/**
 * Replaces the embedded server's snapshot format. Its own writes plain JSON, so every Date and
 * every ObjectId other than `_id` comes back as a string after a restart, and queries on them
 * (stages, owners, date ranges) silently stop matching. Extended JSON (canonical) keeps the types.
 * The file is written beside and renamed over the old one, so a crash mid-write keeps the last one.
 */
function useTypedSnapshots(storage: EmbeddedStorage, file: string): void {
  // One write at a time: the timer's snapshot may still be writing when stop() asks for the last
  // one, and two writers on one temporary file made stop() fail (ENOENT on rename) or mixed the files.
  let writing: Promise<void> = Promise.resolve();
  storage.persist = () => {
    const next = writing.catch(() => undefined).then(write);
    writing = next;
    return next;
  };
  const write = async () => {
    const data = {
      databases: Object.fromEntries(
        [...storage.databases].map(([db, collections]) => [db, Object.fromEntries([...collections].map(([name, docs]) => [name, [...docs.values()]]))]),
      ),
      indexes: Object.fromEntries([...storage.indexes].map(([db, collections]) => [db, Object.fromEntries(collections)])),
      opLogCounter: storage.opLogCounter,
    };
    await writeFile(`${file}.tmp`, EJSON.stringify(data, { relaxed: false }));
    await rename(`${file}.tmp`, file);
  };
  storage.restore = async () => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return; // first start: nothing to restore
    }
    const data = EJSON.parse(text, { relaxed: false }) as {
      databases?: Record<string, Record<string, Record<string, unknown>[]>>;
      indexes?: Record<string, Record<string, unknown[]>>;
      opLogCounter?: number;
    };
    storage.databases.clear();
    storage.indexes.clear();
    for (const [db, collections] of Object.entries(data.databases ?? {})) {
      storage.databases.set(
        db,
        new Map(Object.entries(collections).map(([name, docs]) => [name, new Map(docs.map((doc) => [String((doc._id as { toHexString(): string }).toHexString()), doc]))])),
      );
    }
    for (const [db, collections] of Object.entries(data.indexes ?? {})) storage.indexes.set(db, new Map(Object.entries(collections)));
    storage.opLogCounter = data.opLogCounter ?? 0;
  };
}

/**
 * Starts the in-process MongoDB-compatible server (CongoDB, see shared STACK.md).
 * With `persistDir` it keeps data in memory and restores it from a snapshot file on start. The
 * server's own timer would rewrite the whole snapshot every interval even when nothing changed
 * (seconds of CPU at 100,000 customers), so chot writes it itself, only after a change, and on stop.
 */
export async function startEmbeddedMongo(options: { persistDir?: string; port?: number; persistEveryMs?: number } = {}) {
  const { congodb } = await import('@push.rocks/smartmongo');
  const port = options.port ?? (await freePort());
  if (options.persistDir) await mkdir(options.persistDir, { recursive: true });
  const snapshot = options.persistDir ? path.join(options.persistDir, 'chot-db.ejson') : undefined;
  const server = new congodb.CongoServer({
    host: '127.0.0.1',
    port,
    storage: 'memory',
    // The server only restores and writes on stop when it has a path; chot's own code does both.
    ...(snapshot ? { persistPath: snapshot, persistIntervalMs: 0 } : {}),
  });
  const storage = server.getStorage() as unknown as EmbeddedStorage;
  if (snapshot) useTypedSnapshots(storage, snapshot);
  await server.start();
  let timer: NodeJS.Timeout | undefined;
  if (snapshot) {
    let dirty = false;
    for (const method of EMBEDDED_WRITES) {
      const original = storage[method];
      if (typeof original !== 'function') continue;
      storage[method] = (...args: unknown[]) => {
        dirty = true;
        return (original as (...a: unknown[]) => unknown).apply(storage, args);
      };
    }
    let writing = false;
    timer = setInterval(() => {
      if (!dirty || writing) return;
      dirty = false;
      writing = true;
      storage
        .persist()
        .catch((err) => {
          dirty = true;
          console.error('embedded database snapshot failed', err);
        })
        .finally(() => {
          writing = false;
        });
    }, options.persistEveryMs ?? 5000);
    timer.unref();
  }
  return {
    uri: `mongodb://127.0.0.1:${port}`,
    async stop() {
      if (timer) clearInterval(timer);
      // The server writes its final snapshot on stop.
      await server.stop();
    },
  };
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
    const embedded = await startEmbeddedMongo({ persistDir });
    uri = embedded.uri;
    stopEmbedded = embedded.stop;
    logger.warn(
      { persistDir, uri },
      'MONGODB_URI is not set: using the embedded database (fine for trying chot; set MONGODB_URI to a real MongoDB for a team)',
    );
  }
  const dbName = opts.dbName ?? dbNameFromUri(uri) ?? DEFAULT_DB_NAME;
  await mongoose.connect(uri, { dbName, serverSelectionTimeoutMS: 10_000, ...(stopEmbedded ? EMBEDDED_CLIENT_OPTIONS : {}), ...opts.clientOptions });
  await syncIndexes();
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
