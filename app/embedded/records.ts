import { crc32 } from 'node:zlib';
import { open, type FileHandle } from 'node:fs/promises';

/**
 * The one on-disk framing of the embedded database, used by the snapshot and the journal alike:
 * `[u32 payload length][u32 CRC-32 of payload][payload]`, little-endian. A record whose length
 * runs past the end of the file, or whose checksum does not match, is where a crash tore the
 * file: everything before it is sound, nothing from it on can be trusted.
 */
const HEADER_BYTES = 8;

/** Record kinds, the first byte of every payload. */
export const RecordKind = {
  /** Snapshot header: format, version, generation. */
  header: 0x68, // 'h'
  /** Snapshot: a collection and its index specs; the documents that follow belong to it. */
  collection: 0x63, // 'c'
  /** Snapshot: one document of the current collection. */
  document: 0x64, // 'd'
  /** Snapshot: the end, with counts, written last. */
  end: 0x65, // 'e'
  /** Journal: one storage mutation (method and arguments). */
  mutation: 0x6d, // 'm'
} as const;

export function frame(kind: number, body: Uint8Array): Buffer {
  const record = Buffer.allocUnsafe(HEADER_BYTES + 1 + body.length);
  record[HEADER_BYTES] = kind;
  record.set(body, HEADER_BYTES + 1);
  const payload = record.subarray(HEADER_BYTES);
  record.writeUInt32LE(payload.length, 0);
  record.writeUInt32LE(crc32(payload), 4);
  return record;
}

export interface ReadRecord {
  kind: number;
  body: Buffer;
}

export interface RecordScan {
  records: ReadRecord[];
  /** Bytes of whole, checksummed records from the start of the file. */
  soundBytes: number;
  /** Bytes after them that do not form a whole record (a torn tail), 0 when the file is clean. */
  tornBytes: number;
}

/** Splits a buffer into records, stopping at the first torn or corrupt one. */
export function scanRecords(data: Buffer): RecordScan {
  const records: ReadRecord[] = [];
  let offset = 0;
  while (offset + HEADER_BYTES <= data.length) {
    const length = data.readUInt32LE(offset);
    const end = offset + HEADER_BYTES + length;
    if (length < 1 || end > data.length) break;
    const payload = data.subarray(offset + HEADER_BYTES, end);
    if (crc32(payload) !== data.readUInt32LE(offset + 4)) break;
    records.push({ kind: payload[0]!, body: payload.subarray(1) });
    offset = end;
  }
  return { records, soundBytes: offset, tornBytes: data.length - offset };
}

/** fsync of a directory, so a rename or a new file in it survives a power cut. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes all of `data` (a single write() may take less than it was given). */
export async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
  for (let written = 0; written < data.length; ) written += (await handle.write(data, written)).bytesWritten;
}
