import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { ObjectId } from 'bson';
import { lockDataDir, type DataDirLock } from './dataDirLock.js';
import { CommandGate } from './gate.js';
import { checkInternals, MUTATIONS, type CommandReply, type Doc, type EmbeddedServer, type EmbeddedStorage, type IndexSpec, type Mutation, type ParsedCommand } from './internals.js';
import { EmbeddedPersistence, type CompactionStep, type LoadReport, type PersistenceLog } from './persistence.js';
import { QueryIndexes, serveFromIndexes, type QueryIndexStats } from './queryIndexes.js';
import { countReply } from './indexedCount.js';
import { DuplicateKeyError, UniqueIndexes } from './uniqueIndexes.js';
import { copyBeforeNestedExclusion } from './projectionCopy.js';

/**
 * The embedded database: CongoDB (an in-process MongoDB-wire server, see shared STACK.md) made
 * trustworthy for real use. On top of the server it adds
 * - durability: every mutation goes to a write-ahead journal, and a reply is sent only once the
 *   journal holds it on disk (persistence.ts);
 * - unique indexes, enforced with MongoDB's duplicate-key error (uniqueIndexes.ts);
 * - in-memory indexes that answer equality, range and word-prefix lookups and sorted pages without a
 *   scan (queryIndexes.ts, orderedIndex.ts, wordIndex.ts);
 * - commands that run one at a time (gate.ts), so each is atomic as on MongoDB;
 * - one process per data directory (dataDirLock.ts), and a check of the internals it relies on.
 */
export interface EmbeddedMongo {
  uri: string;
  port: number;
  /** What start-up restored; undefined without a data directory. */
  loaded?: LoadReport;
  /** Writes a snapshot now and starts a new journal (also done in the background and on stop). */
  compact(): Promise<void>;
  stop(): Promise<void>;
  /** How many filters the in-memory indexes answered, and how many were scanned. */
  queryIndexStats: QueryIndexStats;
}

export interface EmbeddedOptions {
  /** Where the data lives; without it the database is in memory only (tests). */
  persistDir?: string;
  port?: number;
  log?: PersistenceLog;
  /** Journal size that starts a background compaction (default 64 MB). */
  compactAfterBytes?: number;
  onCompactionStep?: (step: CompactionStep) => Promise<void> | void;
  /** false: every filter scans, as CongoDB alone does (the differential test and the bench compare both). */
  indexedQueries?: boolean;
}

const quietLog: PersistenceLog = { info: () => undefined, warn: (d, m) => console.warn(m, d) };

export async function startEmbeddedMongo(options: EmbeddedOptions = {}): Promise<EmbeddedMongo> {
  const { congodb } = await import('@push.rocks/smartmongo');
  copyBeforeNestedExclusion(congodb.QueryEngine as never);
  const log = options.log ?? quietLog;
  const server = new congodb.CongoServer({ host: '127.0.0.1', port: options.port ?? 0, storage: 'memory' }) as unknown as EmbeddedServer;
  const { storage, router } = await checkInternals(server);

  let lock: DataDirLock | undefined;
  let persistence: EmbeddedPersistence | undefined;
  let loaded: LoadReport | undefined;
  if (options.persistDir) {
    await mkdir(options.persistDir, { recursive: true });
    lock = lockDataDir(options.persistDir, process.argv.slice(1).join(' ') || 'chot');
    try {
      persistence = new EmbeddedPersistence(options.persistDir, storage, log, options.compactAfterBytes ?? 64 * 1024 * 1024, options.onCompactionStep);
      loaded = await persistence.load();
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  const gate = new CommandGate();
  const exclusive = <T>(fn: () => Promise<T>) => gate.run(fn);
  let current: { command: ParsedCommand; violations: DuplicateKeyError[] } | undefined;
  const unique = new UniqueIndexes(storage, (doc, filter) => congodb.QueryEngine.matches(doc, filter));
  const queries = new QueryIndexes(storage, (documents, filter) => congodb.QueryEngine.filter(documents as never, filter) as never);
  const beforeCommand = options.indexedQueries === false ? () => undefined : serveFromIndexes(storage, congodb.QueryEngine as never, queries, congodb.AggregationEngine as never);
  const counted = options.indexedQueries === false ? () => undefined : (command: ParsedCommand) => countReply(queries, command);
  guardStorage(storage, [unique, queries], {
    record: (method, args) => persistence?.record(method, args),
    command: () => current,
  });

  let compacting: Promise<void> | undefined;
  const compact = () => {
    compacting ??= persistence!.compact(exclusive).finally(() => (compacting = undefined));
    return compacting;
  };
  let broken: Error | undefined;
  const route = router.route.bind(router);
  router.route = async (command) => {
    const reply = await gate.run(async () => {
      if (broken) return { ok: 0, code: 1, codeName: 'InternalError', errmsg: `embedded database stopped accepting commands: ${broken.message}` };
      current = { command, violations: [] };
      beforeCommand(command);
      try {
        const reply = command.commandName === 'createIndexes' ? await createIndexes(storage, unique, route, command) : (counted(command) ?? (await route(command)));
        return withDuplicateKeyDetails(reply, current.violations);
      } finally {
        current = undefined;
        beforeCommand(undefined);
      }
    });
    if (!persistence) return reply;
    try {
      await persistence.durable();
    } catch (err) {
      // The change is in memory but not on disk: refuse this reply and every later command.
      broken ??= err as Error;
      return { ok: 0, code: 1, codeName: 'InternalError', errmsg: `embedded database journal write failed: ${(err as Error).message}` };
    }
    if (persistence.journalBytes > persistence.compactAfterBytes && !compacting) {
      compact().catch((err) => log.warn({ err: (err as Error).message }, 'embedded database: background compaction failed; the journal keeps every write'));
    }
    return reply;
  };

  await server.start();
  const port = (server.server?.address() as AddressInfo).port;
  return {
    uri: `mongodb://127.0.0.1:${port}`,
    port,
    loaded,
    queryIndexStats: queries.stats,
    compact: () => (persistence ? compact() : Promise.resolve()),
    async stop() {
      await server.stop();
      try {
        if (persistence) {
          await compacting;
          if (!broken) await compact();
          await persistence.close();
        }
      } finally {
        lock?.release();
      }
    },
  };
}

/**
 * Wraps the storage methods that change data: unique keys are checked before a write, and each
 * write that happened is recorded in the journal, in the order it happened.
 */
function guardStorage(
  storage: EmbeddedStorage,
  [unique, queries]: [UniqueIndexes, QueryIndexes],
  hooks: { record(method: Mutation, args: unknown[]): void; command(): { command: ParsedCommand; violations: DuplicateKeyError[] } | undefined },
): void {
  const original = Object.fromEntries(MUTATIONS.map((m) => [m, storage[m].bind(storage)])) as unknown as EmbeddedStorage;
  const stored = (db: string, coll: string, id: ObjectId) => storage.databases.get(db)?.get(coll)?.get(id.toHexString());
  const checkUnique = (db: string, coll: string, doc: Doc) => {
    try {
      unique.check(db, coll, doc);
    } catch (err) {
      if (err instanceof DuplicateKeyError) hooks.command()?.violations.push(err);
      throw err;
    }
  };

  storage.insertOne = async (db, coll, doc) => {
    checkUnique(db, coll, { ...doc, _id: doc._id instanceof ObjectId ? doc._id : new ObjectId() });
    const inserted = await original.insertOne(db, coll, doc);
    hooks.record('insertOne', [db, coll, inserted]);
    unique.written(db, coll, inserted);
    queries.written(db, coll, inserted);
    return inserted;
  };
  storage.updateById = async (db, coll, id, doc) => {
    const previous = stored(db, coll, id);
    checkUnique(db, coll, { ...doc, _id: id });
    const updated = await original.updateById(db, coll, id, doc);
    if (updated) {
      hooks.record('updateById', [db, coll, id, doc]);
      unique.written(db, coll, { ...doc, _id: id }, previous);
      queries.written(db, coll, { ...doc, _id: id }, previous);
    }
    return updated;
  };
  storage.deleteById = async (db, coll, id) => {
    const previous = stored(db, coll, id);
    const deleted = await original.deleteById(db, coll, id);
    if (deleted) {
      hooks.record('deleteById', [db, coll, id]);
      if (previous) {
        unique.deleted(db, coll, previous);
        queries.deleted(db, coll, previous);
      }
    }
    return deleted;
  };
  storage.createCollection = async (db, coll) => {
    // Every write command ensures its collection first: only a real creation is worth a record.
    const existed = storage.databases.get(db)?.has(coll) ?? false;
    await original.createCollection(db, coll);
    if (!existed) hooks.record('createCollection', [db, coll]);
  };
  storage.dropCollection = async (db, coll) => {
    const dropped = await original.dropCollection(db, coll);
    if (dropped) hooks.record('dropCollection', [db, coll]);
    unique.forget(db, coll);
    queries.forget(db, coll);
    return dropped;
  };
  storage.dropDatabase = async (db) => {
    const dropped = await original.dropDatabase(db);
    if (dropped) hooks.record('dropDatabase', [db]);
    unique.forget(db);
    queries.forget(db);
    return dropped;
  };
  storage.renameCollection = async (db, from, to) => {
    await original.renameCollection(db, from, to);
    hooks.record('renameCollection', [db, from, to]);
    unique.forget(db, from);
    unique.forget(db, to);
    queries.forget(db, from);
    queries.forget(db, to);
  };
  storage.saveIndex = async (db, coll, name, spec) => {
    const full = { ...spec, ...partialFilterOf(hooks.command()?.command, coll, name) };
    await original.saveIndex(db, coll, name, full);
    hooks.record('saveIndex', [db, coll, name, full]);
    unique.forget(db, coll);
    queries.forget(db, coll);
  };
  storage.dropIndex = async (db, coll, name) => {
    const dropped = await original.dropIndex(db, coll, name);
    if (dropped) hooks.record('dropIndex', [db, coll, name]);
    unique.forget(db, coll);
    queries.forget(db, coll);
    return dropped;
  };
}

/**
 * createIndexes, with MongoDB's rules where CongoDB's handler differs:
 * - a unique index over data that already breaks it is refused (E11000) by chot's own check, which
 *   honours `partialFilterExpression`: CongoDB's check ignores it, so adding a partial unique index
 *   to a collection with two documents outside the filter failed, an upgrade that adds one would
 *   stop chot at start;
 * - CongoDB caches an index engine per collection name for the life of the process, and an engine
 *   that already knows an index answers "created" without storing it (after a drop, or on a second
 *   server in the same process): each index asked for is stored here, whatever the cache says.
 */
async function createIndexes(storage: EmbeddedStorage, unique: UniqueIndexes, route: (c: ParsedCommand) => Promise<CommandReply>, command: ParsedCommand): Promise<CommandReply> {
  const coll = command.command.createIndexes;
  const specs = command.command.indexes;
  if (typeof coll !== 'string' || !Array.isArray(specs)) return route(command);
  const asked = (specs as IndexSpec[]).filter((spec) => spec?.name && spec.key);
  for (const spec of asked) {
    const duplicate = spec.unique ? unique.duplicateIn(command.database, coll, spec) : undefined;
    if (duplicate) return { ok: 0, errmsg: duplicate.message, code: 11000, codeName: 'DuplicateKey', keyPattern: duplicate.keyPattern, keyValue: duplicate.keyValue };
  }
  const withoutPartialUnique = specs.map((spec: IndexSpec) => (spec?.unique && spec.partialFilterExpression ? { ...spec, unique: false } : spec));
  const reply = await route({ ...command, command: { ...command.command, indexes: withoutPartialUnique } });
  if (reply.ok !== 1) return reply;
  for (const { name, key, unique: isUnique, sparse, expireAfterSeconds, partialFilterExpression } of asked) {
    const stored = storage.indexes.get(command.database)?.get(coll)?.find((i) => i.name === name);
    if (stored && Boolean(stored.unique) === Boolean(isUnique)) continue;
    await storage.saveIndex(command.database, coll, name, { key, unique: isUnique, sparse, expireAfterSeconds, ...(partialFilterExpression ? { partialFilterExpression } : {}) });
  }
  return reply;
}

/** CongoDB keeps only key/unique/sparse of a new index: the partial filter is taken from the command itself. */
function partialFilterOf(command: ParsedCommand | undefined, coll: string, name: string): Pick<IndexSpec, 'partialFilterExpression'> {
  const body = command?.command;
  if (body?.createIndexes !== coll || !Array.isArray(body.indexes)) return {};
  const spec = (body.indexes as IndexSpec[]).find((i) => i.name === name);
  return spec?.partialFilterExpression ? { partialFilterExpression: spec.partialFilterExpression } : {};
}

/** Gives duplicate-key failures the `keyPattern` and `keyValue` MongoDB sends (CongoDB's handlers drop them). */
function withDuplicateKeyDetails(reply: CommandReply, violations: DuplicateKeyError[]): CommandReply {
  if (!violations.length) return reply;
  const details = (errmsg: unknown) => {
    const violation = violations.find((v) => v.message === errmsg);
    return violation ? { code: 11000, codeName: 'DuplicateKey', keyPattern: violation.keyPattern, keyValue: violation.keyValue } : {};
  };
  if (Array.isArray(reply.writeErrors)) {
    return { ...reply, writeErrors: (reply.writeErrors as Record<string, unknown>[]).map((e) => ({ ...e, ...details(e.errmsg) })) };
  }
  if (reply.ok === 0) return { ...reply, ...details(reply.errmsg) };
  return reply;
}
