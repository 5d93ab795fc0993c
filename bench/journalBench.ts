import os from 'node:os';
import path from 'node:path';
import { cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import mongoose from 'mongoose';
import { MongoClient } from 'mongodb';
import { EMBEDDED_CLIENT_OPTIONS, startEmbeddedMongo, syncIndexes } from '../app/database.js';
import { SNAPSHOT_FILE } from '../app/embedded/persistence.js';
import { LOCK_FILE } from '../app/embedded/dataDirLock.js';
import { seedDemo } from '../crm/demo/seedDemo.js';
import { percentile } from './lib/benchDatabase.js';
import '../models/index.js';

/**
 * The embedded database's write-ahead journal, measured: write throughput with the journal (a
 * temporary data directory, every reply waiting for fdatasync) and without (memory only), then
 * start-up time at N demo customers: the clean stop's snapshot, loading that snapshot, and
 * loading after a crash with a journal to replay. Always runs on the embedded server (never
 * MONGODB_URI). Run alone: `npx tsx bench/journalBench.ts 100000`.
 */

export interface WriteCase {
  ops: number;
  seconds: number;
  opsPerSecond: number;
  /** Per-operation latency; only for the sequential cases. */
  p50ms?: number;
  p99ms?: number;
}

export interface WriteModeResult {
  /** Single-document inserts, one at a time from one client. */
  sequentialInsert: WriteCase;
  /** Inserts from `concurrency` promises at once over one client's pool. */
  concurrentInsert: WriteCase & { concurrency: number };
  /** `updateOne` with `$inc` on one counter document, one at a time. */
  sequentialIncrement: WriteCase;
}

export interface JournalBenchResult {
  customers: number;
  /** Bytes of one customer-shaped document (BSON). */
  documentBytes: number;
  writes: { journal: WriteModeResult; memoryOnly: WriteModeResult };
  startup: {
    seedSeconds: number;
    /** Documents in the database after the seed (all collections). */
    documents: number;
    /** Clean stop: server stop plus the final compaction (snapshot write). */
    cleanStopMs: number;
    snapshotBytes: number;
    /** Time for startEmbeddedMongo to resolve on the clean data directory. */
    fromSnapshotMs: number;
    fromSnapshotDocuments: number;
    /** Writes acknowledged after the last snapshot, before the copy that simulates kill -9. */
    crashWrites: number;
    /** Time those writes took (50 concurrent writers): all, the $inc updates on customers, the inserts. */
    crashWritesSeconds: number;
    crashUpdatesSeconds: number;
    crashInsertsSeconds: number;
    journalBytesAtCrash: number;
    /** Time for startEmbeddedMongo to resolve on the copied (crashed) directory. */
    afterCrashMs: number;
    afterCrashSnapshotDocuments: number;
    afterCrashReplayedMutations: number;
    /** The load itself (snapshot + replay) as the server reports it. */
    afterCrashLoadMs: number;
  };
  tempDirsRemoved: boolean;
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng'];
const GIVEN = ['Thị Hương', 'Văn Dũng', 'Ngọc Lan', 'Minh Tuấn', 'Thu Trang', 'Quốc Bảo', 'Hoài Thương', 'Đức Anh'];

/** A customer-shaped document of about 400 bytes, with Vietnamese text. */
export function customerDoc(i: number) {
  return {
    code: `KH${String(i).padStart(7, '0')}`,
    name: `${FAMILY[i % FAMILY.length]} ${GIVEN[i % GIVEN.length]}`,
    phone: `+8490${String((i * 7919) % 10_000_000).padStart(7, '0')}`,
    email: `khach${i}@example.vn`,
    address: 'Số 12 Nguyễn Thị Minh Khai, quận 1, TP. Hồ Chí Minh',
    need: 'Tư vấn căn hộ 2 phòng ngủ, cần báo giá trả góp',
    note: 'Khách quen giới thiệu, gọi buổi sáng',
    stage: 'tiep_can',
    tags: ['khách nóng', 'zalo'],
    createdAt: new Date(),
    lastContactAt: new Date(),
  };
}

const CONCURRENCY = 50;

async function measureWrites(persistDir: string | undefined, ops: number): Promise<WriteModeResult> {
  const server = await startEmbeddedMongo({ persistDir });
  const client = new MongoClient(server.uri, { ...EMBEDDED_CLIENT_OPTIONS, maxPoolSize: CONCURRENCY });
  try {
    await client.connect();
    const coll = client.db('chot_bench_journal').collection('customers');
    await coll.insertOne({ warmUp: true }); // creates the collection, opens the connection
    let next = 0;

    const latencies: number[] = [];
    let started = performance.now();
    for (let i = 0; i < ops; i++) {
      const t = performance.now();
      await coll.insertOne(customerDoc(next++));
      latencies.push(performance.now() - t);
    }
    const sequentialInsert = writeCase(ops, performance.now() - started, latencies);

    let remaining = ops;
    started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (remaining > 0) {
          remaining--;
          await coll.insertOne(customerDoc(next++));
        }
      }),
    );
    const concurrentInsert = { ...writeCase(ops, performance.now() - started), concurrency: CONCURRENCY };

    // CongoDB stores only ObjectId keys (a string _id fails with "input must be a 24 character hex string").
    const counters = client.db('chot_bench_journal').collection('counters');
    const { insertedId: counterId } = await counters.insertOne({ name: 'customerCode', n: 0 });
    latencies.length = 0;
    started = performance.now();
    for (let i = 0; i < ops; i++) {
      const t = performance.now();
      await counters.updateOne({ _id: counterId }, { $inc: { n: 1 } });
      latencies.push(performance.now() - t);
    }
    const sequentialIncrement = writeCase(ops, performance.now() - started, latencies);
    const final = await counters.findOne({ _id: counterId });
    if (final?.n !== ops) throw new Error(`journal bench: counter is ${final?.n}, expected ${ops}`);
    return { sequentialInsert, concurrentInsert, sequentialIncrement };
  } finally {
    await client.close();
    await server.stop();
  }
}

function writeCase(ops: number, ms: number, latencies?: number[]): WriteCase {
  const r: WriteCase = { ops, seconds: round(ms / 1000, 3), opsPerSecond: Math.round((ops * 1000) / ms) };
  if (latencies) {
    r.p50ms = round(percentile(latencies, 50), 3);
    r.p99ms = round(percentile(latencies, 99), 3);
  }
  return r;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

async function measureStartup(root: string, customers: number, crashWrites: number): Promise<JournalBenchResult['startup']> {
  const dir = path.join(root, 'data');
  const crashed = path.join(root, 'crashed');
  const dbName = `chot_bench_journal_${customers}`;

  // Seed through the app's models, as dataBench does, into a journaled server.
  let server = await startEmbeddedMongo({ persistDir: dir });
  let seedSeconds: number;
  let documents = 0;
  try {
    await mongoose.connect(server.uri, { dbName, ...EMBEDDED_CLIENT_OPTIONS });
    await syncIndexes();
    seedSeconds = (await seedDemo({ customers })).ms / 1000;
    for (const c of await mongoose.connection.db!.listCollections().toArray()) documents += await mongoose.connection.db!.collection(c.name).estimatedDocumentCount();
  } finally {
    await mongoose.disconnect();
  }
  let started = performance.now();
  await server.stop();
  const cleanStopMs = Math.round(performance.now() - started);
  const snapshotBytes = (await stat(path.join(dir, SNAPSHOT_FILE))).size;

  started = performance.now();
  server = await startEmbeddedMongo({ persistDir: dir });
  const fromSnapshotMs = Math.round(performance.now() - started);
  const fromSnapshotDocuments = server.loaded?.snapshotDocuments ?? 0;

  // Writes after the snapshot: half inserts, half $inc updates on seeded customers.
  const client = new MongoClient(server.uri, { ...EMBEDDED_CLIENT_OPTIONS, maxPoolSize: CONCURRENCY });
  let journalBytesAtCrash = 0;
  let crashWritesSeconds = 0;
  let crashUpdateMs = 0;
  let crashInsertMs = 0;
  try {
    await client.connect();
    const db = client.db(dbName);
    const ids = (await db.collection('customers').find({}, { projection: { _id: 1 } }).limit(1000).toArray()).map((d) => d._id);
    // Half $inc updates on seeded customers, then half inserts of new ones, each from 50 concurrent writers.
    const concurrently = async (count: number, write: (k: number) => Promise<unknown>) => {
      const started = performance.now();
      let next = 0;
      await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (next < count) await write(next++); }));
      return performance.now() - started;
    };
    // Few updates: each $inc by _id on the embedded server scans the collection (minutes at 100,000 customers).
    const updates = Math.min(1000, Math.floor(crashWrites / 2));
    const phaseStarted = performance.now();
    crashUpdateMs = await concurrently(updates, (k) => db.collection('customers').updateOne({ _id: ids[k % ids.length] }, { $inc: { benchTouches: 1 } }));
    crashInsertMs = await concurrently(crashWrites - updates, (k) => db.collection('bench_extra').insertOne(customerDoc(k)));
    crashWritesSeconds = (performance.now() - phaseStarted) / 1000;
    // Every write above is acknowledged, so on disk: copy the directory as a kill -9 would leave it (without the lock).
    await cp(dir, crashed, { recursive: true, filter: (src) => path.basename(src) !== LOCK_FILE });
    for (const name of await readdir(crashed)) if (name.endsWith('.chotlog')) journalBytesAtCrash += (await stat(path.join(crashed, name))).size;
  } finally {
    await client.close();
    await server.stop();
  }

  started = performance.now();
  const reopened = await startEmbeddedMongo({ persistDir: crashed });
  const afterCrashMs = Math.round(performance.now() - started);
  await reopened.stop();
  return {
    seedSeconds: round(seedSeconds, 1),
    documents,
    cleanStopMs,
    snapshotBytes,
    fromSnapshotMs,
    fromSnapshotDocuments,
    crashWrites,
    crashWritesSeconds: round(crashWritesSeconds, 2),
    crashUpdatesSeconds: round(crashUpdateMs / 1000, 2),
    crashInsertsSeconds: round(crashInsertMs / 1000, 2),
    journalBytesAtCrash,
    afterCrashMs,
    afterCrashSnapshotDocuments: reopened.loaded?.snapshotDocuments ?? 0,
    afterCrashReplayedMutations: reopened.loaded?.replayedMutations ?? 0,
    afterCrashLoadMs: reopened.loaded?.millis ?? 0,
  };
}

export async function runJournalBench(customers: number, opts: { writeOps?: number; crashWrites?: number } = {}): Promise<JournalBenchResult> {
  const writeOps = opts.writeOps ?? 3000;
  const root = await mkdtemp(path.join(os.tmpdir(), 'chot-bench-journal-'));
  try {
    const journal = await measureWrites(path.join(root, 'writes'), writeOps);
    const memoryOnly = await measureWrites(undefined, writeOps);
    const startup = await measureStartup(root, customers, opts.crashWrites ?? 20_000);
    const { BSON } = await import('bson');
    return { customers, documentBytes: BSON.calculateObjectSize(customerDoc(1)), writes: { journal, memoryOnly }, startup, tempDirsRemoved: false };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Runs the bench and confirms its temporary directory is gone. */
export async function runJournalBenchChecked(customers: number, opts?: { writeOps?: number; crashWrites?: number }): Promise<JournalBenchResult> {
  const before = new Set((await readdir(os.tmpdir())).filter((n) => n.startsWith('chot-bench-journal-')));
  const r = await runJournalBench(customers, opts);
  const left = (await readdir(os.tmpdir())).filter((n) => n.startsWith('chot-bench-journal-') && !before.has(n));
  return { ...r, tempDirsRemoved: left.length === 0 };
}

export function printJournal(r: JournalBenchResult): void {
  const row = (mode: string, w: WriteModeResult) => [
    { mode, case: 'sequential insert', 'ops/s': w.sequentialInsert.opsPerSecond, 'p50 ms': w.sequentialInsert.p50ms, 'p99 ms': w.sequentialInsert.p99ms, ops: w.sequentialInsert.ops },
    { mode, case: `${w.concurrentInsert.concurrency} concurrent inserts`, 'ops/s': w.concurrentInsert.opsPerSecond, 'p50 ms': '', 'p99 ms': '', ops: w.concurrentInsert.ops },
    { mode, case: 'sequential $inc', 'ops/s': w.sequentialIncrement.opsPerSecond, 'p50 ms': w.sequentialIncrement.p50ms, 'p99 ms': w.sequentialIncrement.p99ms, ops: w.sequentialIncrement.ops },
  ];
  console.log(`journal cost (documents of ${r.documentBytes} bytes):`);
  console.table([...row('journal', r.writes.journal), ...row('memory only', r.writes.memoryOnly)]);
  const s = r.startup;
  console.log(
    `start-up at ${r.customers.toLocaleString('en')} customers (${s.documents.toLocaleString('en')} documents, seeded in ${s.seedSeconds} s): clean stop ${s.cleanStopMs} ms, snapshot ${(s.snapshotBytes / 2 ** 20).toFixed(1)} MB; ` +
      `start from snapshot ${s.fromSnapshotMs} ms (${s.fromSnapshotDocuments.toLocaleString('en')} documents); ` +
      `${s.crashWrites.toLocaleString('en')} writes after the snapshot took ${s.crashWritesSeconds} s ($inc on customers ${s.crashUpdatesSeconds} s, inserts ${s.crashInsertsSeconds} s); ` +
      `after a crash with those writes in a ${(s.journalBytesAtCrash / 2 ** 20).toFixed(1)} MB journal: ${s.afterCrashMs} ms (load ${s.afterCrashLoadMs} ms, ${s.afterCrashReplayedMutations.toLocaleString('en')} mutations replayed); temp dirs removed: ${r.tempDirsRemoved}`,
  );
}

if (process.argv[1]?.endsWith('journalBench.ts')) {
  const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
  for (const n of sizes.length ? sizes : [10_000]) {
    const r = await runJournalBenchChecked(n);
    printJournal(r);
    console.log(JSON.stringify({ cores: os.cpus().length, nproc: os.availableParallelism(), ...r }));
  }
  process.exit(0);
}
