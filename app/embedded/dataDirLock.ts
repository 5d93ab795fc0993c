import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EmbeddedStartError } from './internals.js';

/**
 * One process per embedded database: two processes each holding the data in memory and each
 * writing their own journal would silently overwrite each other. The lock is a file holding the
 * owner's PID, created exclusively and whole (written aside, then hard-linked into place, which
 * fails if the lock exists); a lock whose process is gone (killed, crashed) is taken over.
 */
export class DataDirInUseError extends EmbeddedStartError {}

export const LOCK_FILE = 'LOCK';

export interface DataDirLock {
  release(): void;
}

/** Locks this process holds: its own PID in a lock file means "taken" only if it is one of these. */
const held = new Set<string>();

export function lockDataDir(dir: string, purpose: string): DataDirLock {
  const file = path.join(dir, LOCK_FILE);
  if (held.has(file)) throw new DataDirInUseError(`The embedded database in ${dir} is already open in this process.`);
  const mine = `${file}.${process.pid}`;
  writeFileSync(mine, JSON.stringify({ pid: process.pid, purpose, since: new Date().toISOString() }));
  try {
    return take(file, mine, dir);
  } finally {
    unlinkSync(mine);
  }
}

function take(file: string, mine: string, dir: string): DataDirLock {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      linkSync(mine, file);
      held.add(file);
      return {
        release() {
          if (!held.delete(file)) return;
          if (readOwner(file)?.pid === process.pid) unlinkSync(file);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readOwner(file);
    if (owner && owner.pid !== process.pid && isAlive(owner.pid)) {
      throw new DataDirInUseError(
        `The embedded database in ${dir} is in use by another chot process (PID ${owner.pid}, ${owner.purpose ?? 'chot'}, since ${owner.since ?? 'unknown'}). ` +
          `Only one process may use it at a time: stop that process first (kill ${owner.pid}), or give this one another DATA_DIR.`,
      );
    }
    // The owner is gone (or it is this very PID from a previous life in a container): take over.
    try {
      unlinkSync(file);
    } catch {
      // another starter took it over first; the next attempt tells
    }
  }
  throw new DataDirInUseError(`Could not lock ${file}: another process is starting on the same DATA_DIR.`);
}

function readOwner(file: string): { pid: number; purpose?: string; since?: string } | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown; purpose?: string; since?: string };
    return typeof owner.pid === 'number' ? (owner as { pid: number }) : undefined;
  } catch {
    return undefined; // half-written by a starter that died at once: stale
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
