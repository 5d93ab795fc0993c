import { readdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { BSON } from 'bson';
import type { EmbeddedStorage, Mutation } from './internals.js';
import { MUTATIONS } from './internals.js';
import { Journal } from './journal.js';
import { LEGACY_SNAPSHOT_FILE, loadLegacySnapshot } from './legacySnapshot.js';
import { RecordKind, frame, scanRecords, syncDirectory } from './records.js';
import { encodeSnapshot, loadSnapshot, removeIfPresent, SnapshotError, writeSnapshotFile } from './snapshot.js';

/**
 * Keeps the embedded database on disk: the last snapshot plus a journal of every mutation since.
 * Start-up loads the snapshot and replays the journal through the same storage methods that made
 * the changes. Compaction (in the background past a size, and on a clean stop) writes a new
 * snapshot and starts a new journal file; each step leaves a loadable state if the process dies
 * there (see `compact`).
 */
export interface PersistenceLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export const SNAPSHOT_FILE = 'snapshot.chotdb';
export type CompactionStep = 'journal-switched' | 'snapshot-written' | 'old-journals-removed';
const JOURNAL_NAME = /^journal-(\d{8})\.chotlog$/;
const journalName = (generation: number) => `journal-${String(generation).padStart(8, '0')}.chotlog`;

export interface LoadReport {
  snapshotDocuments: number;
  replayedMutations: number;
  tornBytes: number;
  legacyRepairedFields?: number;
  millis: number;
}

export class EmbeddedPersistence {
  private journal!: Journal;
  private generation = 1;

  constructor(
    private readonly dir: string,
    private readonly storage: EmbeddedStorage,
    private readonly log: PersistenceLog,
    /** Journal size past which a background compaction is due. */
    readonly compactAfterBytes: number,
    /** Called between the steps of a compaction (the crash tests stop the process there). */
    private readonly onCompactionStep: (step: CompactionStep) => Promise<void> | void = () => undefined,
  ) {}

  /** Loads the data into the (empty, not yet journaled) storage and opens the journal. */
  async load(): Promise<LoadReport> {
    const started = Date.now();
    const snapshot = await loadSnapshot(path.join(this.dir, SNAPSHOT_FILE), this.storage);
    const legacy = snapshot ? undefined : await loadLegacySnapshot(path.join(this.dir, LEGACY_SNAPSHOT_FILE), this.storage);
    this.generation = snapshot?.generation ?? 1;
    const generations = await this.journalGenerations();
    let replayedMutations = 0;
    let tornBytes = 0;
    let soundBytes = 0;
    for (const [i, generation] of generations.entries()) {
      const file = path.join(this.dir, journalName(generation));
      if (generation < this.generation) {
        await removeIfPresent(file); // already in the snapshot: a compaction stopped before its clean-up
        continue;
      }
      const scan = scanRecords(await readFile(file));
      const last = i === generations.length - 1;
      if (scan.tornBytes && !last) {
        throw new SnapshotError(`The embedded database journal ${file} is damaged in the middle (${scan.tornBytes} bytes unreadable before a later journal): restore DATA_DIR from a backup.`);
      }
      for (const record of scan.records) {
        if (record.kind !== RecordKind.mutation) throw new SnapshotError(`The embedded database journal ${file} holds a record of unknown kind ${record.kind}.`);
        const { m, a } = BSON.deserialize(record.body) as { m: Mutation; a: unknown[] };
        if (!MUTATIONS.includes(m)) throw new SnapshotError(`The embedded database journal ${file} holds an unknown mutation ${String(m)}.`);
        await (this.storage[m] as (...args: unknown[]) => Promise<unknown>).apply(this.storage, a);
        replayedMutations++;
      }
      if (scan.tornBytes) {
        this.log.warn({ file, tornBytes: scan.tornBytes }, 'embedded database: skipped a torn last journal record (a write cut off by a crash before it was acknowledged)');
      }
      tornBytes = scan.tornBytes;
      soundBytes = scan.soundBytes;
      this.generation = generation;
    }
    this.journal = await Journal.open(path.join(this.dir, journalName(this.generation)), generations.includes(this.generation) ? soundBytes : 0);
    const report: LoadReport = { snapshotDocuments: snapshot?.documents ?? legacy?.documents ?? 0, replayedMutations, tornBytes, millis: Date.now() - started };
    if (legacy) {
      // Move to the new format at once, keeping the old file beside it.
      await this.compact(async (fn) => fn());
      await rename(path.join(this.dir, LEGACY_SNAPSHOT_FILE), path.join(this.dir, `${LEGACY_SNAPSHOT_FILE}.migrated`));
      report.legacyRepairedFields = legacy.repairedFields;
      this.log.warn(
        { repairedFields: legacy.repairedFields, documents: legacy.documents },
        `embedded database: moved ${LEGACY_SNAPSHOT_FILE} to the journaled format and repaired ${legacy.repairedFields} number fields that earlier restarts had wrapped`,
      );
    }
    return report;
  }

  /** Appends one storage call to the journal (not yet durable: see `durable`). */
  record(method: Mutation, args: unknown[]): void {
    this.journal.append(frame(RecordKind.mutation, BSON.serialize({ m: method, a: args })));
  }

  durable(): Promise<void> {
    return this.journal.durable();
  }

  get journalBytes(): number {
    return this.journal.bytes;
  }

  /**
   * Writes a snapshot of everything and starts the next journal generation. `exclusive` runs its
   * function with no command in progress. Crash points: before the rename, the old snapshot and
   * both journals are replayed; after it, the new snapshot and the new journal (older journal files
   * are skipped and removed at the next start).
   */
  async compact(exclusive: <T>(fn: () => Promise<T>) => Promise<T>): Promise<void> {
    const { chunks, generation } = await exclusive(async () => {
      const next = this.generation + 1;
      const encoded = encodeSnapshot(this.storage, next);
      const previous = this.journal;
      await previous.close(); // every record before the snapshot point is on disk
      this.journal = await Journal.open(path.join(this.dir, journalName(next)));
      await syncDirectory(this.dir);
      this.generation = next;
      return { chunks: encoded.chunks, generation: next };
    });
    await this.onCompactionStep('journal-switched');
    await writeSnapshotFile(path.join(this.dir, SNAPSHOT_FILE), chunks);
    await this.onCompactionStep('snapshot-written');
    for (const old of await this.journalGenerations()) if (old < generation) await removeIfPresent(path.join(this.dir, journalName(old)));
    await syncDirectory(this.dir);
    await this.onCompactionStep('old-journals-removed');
  }

  async close(): Promise<void> {
    await this.journal.close();
  }

  private async journalGenerations(): Promise<number[]> {
    const names = await readdir(this.dir);
    return names
      .map((name) => JOURNAL_NAME.exec(name)?.[1])
      .filter((g): g is string => Boolean(g))
      .map(Number)
      .sort((a, b) => a - b);
  }
}
