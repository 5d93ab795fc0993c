import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo, type EmbeddedOptions } from '../../app/embedded/server.js';

/** An embedded database on a data directory of its own, with a driver connected to it. */
export interface OpenDatabase {
  server: EmbeddedMongo;
  client: MongoClient;
  dir: string;
  close(): Promise<void>;
}

export async function tempDir(prefix = 'chot-embedded-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

export async function openDatabase(dir: string, options: Omit<EmbeddedOptions, 'persistDir'> = {}): Promise<OpenDatabase> {
  const server = await startEmbeddedMongo({ persistDir: dir, ...options });
  const client = new MongoClient(server.uri, { serverMonitoringMode: 'poll' });
  await client.connect();
  return {
    server,
    client,
    dir,
    async close() {
      await client.close();
      await server.stop();
    },
  };
}

/**
 * What a crash leaves behind: a copy of the data directory taken while the server runs, with no
 * clean stop. Everything acknowledged before the copy must be in it.
 */
export async function crashCopy(dir: string): Promise<string> {
  const copy = await tempDir('chot-crash-');
  await cp(dir, copy, { recursive: true, filter: (src) => path.basename(src) !== 'LOCK' });
  return copy;
}

export async function removeDirs(...dirs: string[]): Promise<void> {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
}

/** A log that keeps its lines, to assert on what the operator is told. */
export function recordingLog() {
  const lines: { level: 'info' | 'warn'; details: object; message: string }[] = [];
  return {
    lines,
    info: (details: object, message: string) => void lines.push({ level: 'info', details, message }),
    warn: (details: object, message: string) => void lines.push({ level: 'warn', details, message }),
  };
}
