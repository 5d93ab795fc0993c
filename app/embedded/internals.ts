import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { ObjectId } from 'bson';

/**
 * The parts of CongoDB (in @push.rocks/smartmongo) that chot's embedded layer reaches into. They
 * are not a public API, so the version is pinned and the shape is checked at every start: after an
 * upgrade that moved any of them, chot stops with a message instead of journaling half the writes.
 */
export const SUPPORTED_SMARTMONGO_VERSION = '2.2.0';

export type Doc = Record<string, unknown> & { _id: ObjectId };
export type Collections = Map<string, Map<string, Doc>>;

export interface IndexSpec {
  name: string;
  key: Record<string, number | string>;
  unique?: boolean;
  sparse?: boolean;
  expireAfterSeconds?: number;
  partialFilterExpression?: Record<string, unknown>;
}

/** CongoDB's MemoryStorageAdapter: every document lives in these maps, keyed by `_id` hex. */
export interface EmbeddedStorage {
  databases: Map<string, Collections>;
  indexes: Map<string, Map<string, IndexSpec[]>>;
  insertOne(db: string, coll: string, doc: Record<string, unknown>): Promise<Doc>;
  updateById(db: string, coll: string, id: ObjectId, doc: Doc): Promise<boolean>;
  deleteById(db: string, coll: string, id: ObjectId): Promise<boolean>;
  createCollection(db: string, coll: string): Promise<void>;
  dropCollection(db: string, coll: string): Promise<boolean>;
  dropDatabase(db: string): Promise<boolean>;
  renameCollection(db: string, from: string, to: string): Promise<void>;
  saveIndex(db: string, coll: string, name: string, spec: Omit<IndexSpec, 'name'>): Promise<void>;
  dropIndex(db: string, coll: string, name: string): Promise<boolean>;
  findAll(db: string, coll: string): Promise<Doc[]>;
}

/** Storage methods that change data: the journal records each call, and replays it through the same method. */
export const MUTATIONS = [
  'insertOne',
  'updateById',
  'deleteById',
  'createCollection',
  'dropCollection',
  'dropDatabase',
  'renameCollection',
  'saveIndex',
  'dropIndex',
] as const;
export type Mutation = (typeof MUTATIONS)[number];

export interface ParsedCommand {
  commandName: string;
  command: Record<string, unknown>;
  database: string;
}
export type CommandReply = Record<string, unknown>;

/** Every wire command goes through `route`: the one place to serialize commands and hold replies until durable. */
export interface EmbeddedRouter {
  route(command: ParsedCommand): Promise<CommandReply>;
}

export interface EmbeddedServer {
  start(): Promise<void>;
  stop(): Promise<void>;
  getStorage(): unknown;
  commandRouter: unknown;
  server: { address(): unknown } | null;
}

/** A reason the embedded database will not start that the operator must act on: its message says what to do. */
export class EmbeddedStartError extends Error {}

export class EmbeddedInternalsError extends EmbeddedStartError {}

/** The installed smartmongo version ('unknown' if its package.json cannot be read, which fails the check). */
export async function installedSmartmongoVersion(): Promise<string> {
  try {
    const file = createRequire(import.meta.url).resolve('@push.rocks/smartmongo/package.json');
    return (JSON.parse(await readFile(file, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Checks that the server has exactly the shape the embedded layer relies on, and returns its parts
 * typed. Throws EmbeddedInternalsError naming what differs.
 */
export async function checkInternals(server: EmbeddedServer): Promise<{ storage: EmbeddedStorage; router: EmbeddedRouter }> {
  const problems: string[] = [];
  const version = await installedSmartmongoVersion();
  if (version !== SUPPORTED_SMARTMONGO_VERSION) problems.push(`@push.rocks/smartmongo is ${version}, chot's embedded layer is written for ${SUPPORTED_SMARTMONGO_VERSION}`);
  const storage = server.getStorage() as Record<string, unknown> | undefined;
  if (!storage || !(storage.databases instanceof Map) || !(storage.indexes instanceof Map)) problems.push('the storage adapter no longer keeps its data in `databases` and `indexes` maps');
  for (const method of [...MUTATIONS, 'findAll', 'getIndexes']) {
    if (typeof storage?.[method] !== 'function') problems.push(`the storage adapter has no ${method}()`);
  }
  const router = server.commandRouter as Record<string, unknown> | undefined;
  if (typeof router?.route !== 'function') problems.push('the server no longer routes commands through commandRouter.route()');
  // The storage must build the same ObjectId class the journal decodes, or restored ids would not be
  // recognised as ids (the engine tests `instanceof ObjectId`).
  if (storage && typeof storage.insertOne === 'function' && problems.length === 0) {
    const probe = await (storage as unknown as EmbeddedStorage).insertOne('__chot_probe', 'probe', { _id: new ObjectId() });
    if (!(probe._id instanceof ObjectId)) problems.push('the server uses a different bson package than chot (ObjectId classes differ)');
    await (storage as unknown as EmbeddedStorage).dropDatabase('__chot_probe');
  }
  if (problems.length) {
    throw new EmbeddedInternalsError(
      `The embedded database cannot start safely: ${problems.join('; ')}. Your data was not touched. Reinstall the pinned version (npm ci), or set MONGODB_URI to a real MongoDB.`,
    );
  }
  return { storage: storage as unknown as EmbeddedStorage, router: router as unknown as EmbeddedRouter };
}
