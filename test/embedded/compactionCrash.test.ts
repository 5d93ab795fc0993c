import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { openDatabase, recordingLog, removeDirs, tempDir } from './helpers.js';

/**
 * A writer process is killed (SIGKILL) while it writes and compacts all the time (a snapshot every
 * 16 kB of journal): at each step of a compaction in turn (new journal started, snapshot renamed
 * into place, old journals removed) and at random moments between writes. After each kill the
 * data directory loads, every acknowledged write is there, and an $inc counter kept beside the
 * writes agrees with them.
 */
jest.setTimeout(120_000);
const WRITER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'crashWriter.ts');

type KillAt = { acks: number } | { step: string; nth: number };

function runUntilKilled(dir: string, first: number, killAt: KillAt): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, String(first)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lastAck = first - 1;
    let acks = 0;
    const steps = new Map<string, number>();
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const ack = /^ack (\d+)$/.exec(line);
        if (ack) {
          lastAck = Number(ack[1]);
          if ('acks' in killAt && ++acks === killAt.acks) child.kill('SIGKILL');
        }
        const step = /^step (.+)$/.exec(line)?.[1];
        if (step) {
          steps.set(step, (steps.get(step) ?? 0) + 1);
          if ('step' in killAt && killAt.step === step && steps.get(step) === killAt.nth) child.kill('SIGKILL');
        }
      }
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(lastAck) : reject(new Error(`writer exited ${code}: ${stderr}`))));
  });
}

describe('the embedded database killed while writing and compacting', () => {
  it('loads after every kill with every acknowledged write', async () => {
    const dir = await tempDir();
    let next = 0;
    let compactions = 0;
    try {
      const kills: KillAt[] = [
        { step: 'journal-switched', nth: 2 },
        { step: 'snapshot-written', nth: 3 },
        { step: 'old-journals-removed', nth: 2 },
        { acks: 100 + Math.floor(Math.random() * 400) },
        { step: 'journal-switched', nth: 1 },
        { acks: 100 + Math.floor(Math.random() * 400) },
      ];
      for (const [round, killAt] of kills.entries()) {
        const lastAck = await runUntilKilled(dir, next, killAt);
        const log = recordingLog();
        const open = await openDatabase(dir, { log });
        try {
          const things = open.client.db('chot').collection('things');
          const stored = (await things.find({}).project({ i: 1 }).toArray()).map((d) => d.i as number);
          const acknowledged = Array.from({ length: lastAck + 1 }, (_, i) => i);
          const missing = acknowledged.filter((i) => !stored.includes(i));
          expect({ round, missing }).toEqual({ round, missing: [] });
          // The write after the last acknowledged one may or may not have reached the disk; none beyond it.
          expect(Math.max(...stored)).toBeLessThanOrEqual(lastAck + 1);
          const counter = await open.client.db('chot').collection('counters').findOne({ name: 'things' });
          expect([stored.length - 1, stored.length]).toContain(counter!.seq);
          next = Math.max(...stored) + 1;
          // Line the counter up with the documents for the next round.
          await open.client.db('chot').collection('counters').updateOne({ name: 'things' }, { $set: { seq: stored.length } });
        } finally {
          await open.close();
        }
        compactions = Number(/\d+/.exec((await readdir(dir)).find((f) => f.startsWith('journal-')) ?? '0')![0]);
      }
      // The writer compacted many times over: the kills fell among compactions.
      expect(compactions).toBeGreaterThan(10);
    } finally {
      await removeDirs(dir);
    }
  });
});
