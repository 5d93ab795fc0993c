import { open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { BSON } from 'bson';
import { EmbeddedStartError, type Doc, type EmbeddedStorage, type IndexSpec } from './internals.js';
import { RecordKind, frame, scanRecords, syncDirectory, writeAll } from './records.js';

/**
 * A snapshot is the whole database at one point, as framed BSON records: a header, then each
 * collection followed by its documents, then an end record with the counts. BSON is what the
 * server itself speaks, so a value comes back with exactly the type it was stored with.
 *
 * `generation` ties it to the journal: the snapshot holds the effect of every journal file
 * numbered below it, and start-up replays the ones numbered from it on.
 */
const FORMAT = 'chot-embedded-snapshot';
const VERSION = 1;

export class SnapshotError extends EmbeddedStartError {}

interface CollectionHeader {
  db: string;
  coll: string;
  indexes: IndexSpec[];
}

/** Encodes the storage's current contents: CPU only, so the caller can hold writes still meanwhile. */
export function encodeSnapshot(storage: EmbeddedStorage, generation: number): { chunks: Buffer[]; documents: number } {
  const chunks = [frame(RecordKind.header, BSON.serialize({ format: FORMAT, version: VERSION, generation, writtenAt: new Date() }))];
  let collections = 0;
  let documents = 0;
  for (const [db, colls] of storage.databases) {
    for (const [coll, docs] of colls) {
      const header: CollectionHeader = { db, coll, indexes: storage.indexes.get(db)?.get(coll) ?? [] };
      chunks.push(frame(RecordKind.collection, BSON.serialize(header)));
      collections++;
      for (const doc of docs.values()) {
        chunks.push(frame(RecordKind.document, BSON.serialize(doc)));
        documents++;
      }
    }
  }
  chunks.push(frame(RecordKind.end, BSON.serialize({ collections, documents })));
  return { chunks, documents };
}

/** Writes a snapshot so that a crash at any moment leaves either the old file or the new one whole. */
export async function writeSnapshotFile(file: string, chunks: Buffer[]): Promise<void> {
  const temporary = `${file}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await writeAll(handle, Buffer.concat(chunks));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
  await syncDirectory(path.dirname(file));
}

/** Reads a snapshot into the (empty) storage and returns its generation, or undefined when there is none. */
export async function loadSnapshot(file: string, storage: EmbeddedStorage): Promise<{ generation: number; documents: number } | undefined> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const damaged = (why: string) =>
    new SnapshotError(`The embedded database snapshot ${file} is damaged (${why}). It is only ever replaced whole, so the disk itself changed it: restore DATA_DIR from a backup.`);
  const { records, tornBytes } = scanRecords(data);
  if (tornBytes) throw damaged(`${tornBytes} bytes at the end are not a whole record`);
  const header = records[0]?.kind === RecordKind.header ? (BSON.deserialize(records[0].body) as { format?: string; version?: number; generation?: number }) : undefined;
  if (header?.format !== FORMAT) throw damaged('no header');
  if (header.version !== VERSION) throw new SnapshotError(`The embedded database snapshot ${file} has format version ${header.version}; this chot reads version ${VERSION}. Start the chot version that wrote it.`);
  storage.databases.clear();
  storage.indexes.clear();
  let docs: Map<string, Doc> | undefined;
  let collections = 0;
  let documents = 0;
  let ended: { collections?: number; documents?: number } | undefined;
  for (const record of records.slice(1)) {
    if (ended) throw damaged('records after the end');
    if (record.kind === RecordKind.collection) {
      const { db, coll, indexes } = BSON.deserialize(record.body) as CollectionHeader;
      if (!storage.databases.has(db)) {
        storage.databases.set(db, new Map());
        storage.indexes.set(db, new Map());
      }
      docs = new Map();
      storage.databases.get(db)!.set(coll, docs);
      storage.indexes.get(db)!.set(coll, indexes);
      collections++;
    } else if (record.kind === RecordKind.document) {
      if (!docs) throw damaged('a document before any collection');
      const doc = BSON.deserialize(record.body) as Doc;
      docs.set(doc._id.toHexString(), doc);
      documents++;
    } else if (record.kind === RecordKind.end) {
      ended = BSON.deserialize(record.body);
    } else {
      throw damaged(`an unknown record kind ${record.kind}`);
    }
  }
  if (!ended) throw damaged('no end record');
  if (ended.collections !== collections || ended.documents !== documents) throw damaged(`it says ${ended.documents} documents, it holds ${documents}`);
  return { generation: header.generation ?? 1, documents };
}

export async function removeIfPresent(file: string): Promise<void> {
  await unlink(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}
