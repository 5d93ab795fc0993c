import { open, type FileHandle } from 'node:fs/promises';
import { writeAll } from './records.js';

/**
 * The write-ahead journal: an append-only file of framed records (see records.ts). A write is
 * appended to memory at once and made durable by the next group commit, one write() and one
 * fdatasync() for every record appended since the last, however many commands wait on it. The
 * server holds each reply until `durable()` resolves, so an acknowledged write is on disk.
 *
 * A failed write or sync leaves the journal broken for good: durable() rejects from then on, and
 * no later write can be acknowledged on top of a record that may not be on disk.
 */
export class Journal {
  private pending: Buffer[] = [];
  private appended = 0;
  private synced = 0;
  private flushing: Promise<void> | undefined;
  private broken: Error | undefined;
  private waiters: { upTo: number; resolve: () => void; reject: (err: Error) => void }[] = [];

  private constructor(
    readonly path: string,
    private handle: FileHandle,
    /** Bytes in the file, including what is still pending. */
    public bytes: number,
  ) {}

  /** Opens (or creates) a journal file for appending after its first `soundBytes` bytes. */
  static async open(path: string, soundBytes = 0): Promise<Journal> {
    const handle = await open(path, 'a+');
    const { size } = await handle.stat();
    // A torn tail is cut off, so new records follow the last sound one.
    if (size > soundBytes) {
      await handle.truncate(soundBytes);
      await handle.datasync();
    }
    return new Journal(path, handle, soundBytes);
  }

  append(record: Buffer): void {
    this.pending.push(record);
    this.appended++;
    this.bytes += record.length;
  }

  /** Resolves once every record appended so far is on disk. */
  durable(): Promise<void> {
    if (this.broken) return Promise.reject(this.broken);
    const upTo = this.appended;
    if (upTo <= this.synced) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ upTo, resolve, reject }));
    this.flushing ??= this.flush();
    return done;
  }

  /** Flushes what is pending and closes the file. */
  async close(): Promise<void> {
    await this.durable().catch(() => undefined);
    await this.flushing;
    await this.handle.close();
  }

  private async flush(): Promise<void> {
    try {
      while (this.synced < this.appended && !this.broken) {
        const upTo = this.appended;
        const batch = this.pending;
        this.pending = [];
        await writeAll(this.handle, Buffer.concat(batch));
        await this.handle.datasync();
        this.synced = upTo;
        this.settle();
      }
    } catch (err) {
      this.broken = new Error(`journal ${this.path}: ${(err as Error).message}`);
      for (const waiter of this.waiters.splice(0)) waiter.reject(this.broken);
    } finally {
      this.flushing = undefined;
    }
  }

  private settle(): void {
    const still: typeof this.waiters = [];
    for (const waiter of this.waiters) {
      if (waiter.upTo <= this.synced) waiter.resolve();
      else still.push(waiter);
    }
    this.waiters = still;
  }
}
