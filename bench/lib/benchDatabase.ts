import mongoose from 'mongoose';
import { EMBEDDED_CLIENT_OPTIONS, startEmbeddedMongo, syncIndexes } from '../../app/database.js';
import '../../models/index.js';

/**
 * A database for a benchmark run: MONGODB_URI when set, else an embedded in-memory server.
 * Command monitoring is on, so each measured operation can report its database round trips.
 */
export async function openBenchDatabase(name: string) {
  const server = await benchMongo();
  await mongoose.connect(server.uri, { dbName: `chot_bench_${name}`, monitorCommands: true, ...(server.embedded ? EMBEDDED_CLIENT_OPTIONS : {}) });
  await mongoose.connection.db!.dropDatabase();
  await syncIndexes();
  const counter = new CommandCounter().watch(mongoose.connection.getClient());
  return {
    uri: server.uri,
    embedded: server.embedded,
    counter,
    async close() {
      await mongoose.connection.db?.dropDatabase().catch(() => {});
      await mongoose.disconnect();
      await server.stop();
    },
  };
}

/** The server a bench runs against: MONGODB_URI when set, else a fresh embedded in-memory one. */
export async function benchMongo(): Promise<{ uri: string; embedded: boolean; stop(): Promise<void> }> {
  if (process.env.MONGODB_URI) return { uri: process.env.MONGODB_URI, embedded: false, stop: async () => {} };
  // CHOT_BENCH_SCAN=1 turns the embedded database's in-memory indexes off, to measure what they buy.
  const embedded = await startEmbeddedMongo({ indexedQueries: process.env.CHOT_BENCH_SCAN !== '1' });
  return { uri: embedded.uri, embedded: true, stop: embedded.stop };
}

/**
 * Counts the commands the driver sends, whatever the server's speed, two ways:
 * - commands: every one, the load an operation puts on the database;
 * - waits (sequential round trips): how many times the code waited on the database with nothing
 *   else in flight. Reads sent together (`Promise.all`) are one wait, which is what a user feels
 *   as latency on a remote database; a chain of dependent reads is one wait each.
 */
export class CommandCounter {
  private total = 0;
  private waits = 0;
  private inFlight = 0;
  private byName = new Map<string, number>();

  /** Listens to a client created with `monitorCommands: true`. */
  watch(client: { on(event: string, listener: (e: { commandName: string }) => void): unknown }): this {
    client.on('commandStarted', (e) => this.record(e.commandName));
    client.on('commandSucceeded', () => this.finished());
    client.on('commandFailed', () => this.finished());
    return this;
  }

  record(name: string): void {
    this.total += 1;
    if (this.inFlight === 0) this.waits += 1;
    this.inFlight += 1;
    this.byName.set(name, (this.byName.get(name) ?? 0) + 1);
  }

  finished(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  /** Runs `fn` and returns its result with the number of commands it issued and the waits they cost. */
  async measure<T>(fn: () => Promise<T>): Promise<{ result: T; commands: number; waits: number; byName: Record<string, number>; ms: number }> {
    const before = this.total;
    const waitsBefore = this.waits;
    const beforeByName = new Map(this.byName);
    const started = performance.now();
    const result = await fn();
    const ms = performance.now() - started;
    const byName: Record<string, number> = {};
    for (const [name, n] of this.byName) if (n - (beforeByName.get(name) ?? 0) > 0) byName[name] = n - (beforeByName.get(name) ?? 0);
    return { result, commands: this.total - before, waits: this.waits - waitsBefore, byName, ms };
  }
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
