import { appendFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkInternals, EmbeddedInternalsError, type EmbeddedServer } from '../../app/embedded/internals.js';
import { startEmbeddedMongo } from '../../app/embedded/server.js';
import { SnapshotError } from '../../app/embedded/snapshot.js';
import { crashCopy, openDatabase, recordingLog, removeDirs, tempDir } from './helpers.js';

/** What the embedded database does at start with what it finds on disk, and with what it runs on. */
describe('embedded database start-up', () => {
  it('skips a torn last journal record with a warning, keeps everything before it, and writes on after it', async () => {
    const dir = await tempDir();
    const dirs = [dir];
    try {
      const open = await openDatabase(dir);
      const notes = open.client.db('chot').collection('notes');
      for (let i = 0; i < 20; i++) await notes.insertOne({ i, text: `ghi chú ${i}` });
      const crashed = await crashCopy(dir);
      dirs.push(crashed);
      await open.close();
      // A write cut off by the crash: the start of a record, its length promising more than is there.
      const journal = (await readdir(crashed)).find((f) => f.startsWith('journal-'))!;
      await appendFile(path.join(crashed, journal), Buffer.from([0xff, 0x00, 0x00, 0x00, 0x12, 0x34, 0x56, 0x78, 0x6d, 0x01]));

      const log = recordingLog();
      let reopened = await openDatabase(crashed, { log });
      expect(log.lines.find((l) => l.level === 'warn')).toMatchObject({ message: expect.stringContaining('torn'), details: { tornBytes: 10 } });
      const again = reopened.client.db('chot').collection('notes');
      expect(await again.countDocuments()).toBe(20);
      await again.insertOne({ i: 20 });
      // After a crash again, the new write is read back: it follows the last sound record, not the torn bytes.
      const crashedAgain = await crashCopy(crashed);
      dirs.push(crashedAgain);
      await reopened.close();
      reopened = await openDatabase(crashedAgain);
      expect(await reopened.client.db('chot').collection('notes').countDocuments()).toBe(21);
      await reopened.close();
    } finally {
      await removeDirs(...dirs);
    }
  });

  it('refuses a damaged snapshot with a message, instead of starting empty', async () => {
    const dir = await tempDir();
    try {
      await writeFile(path.join(dir, 'snapshot.chotdb'), Buffer.from('not a snapshot at all'));
      await expect(startEmbeddedMongo({ persistDir: dir })).rejects.toThrow(SnapshotError);
      await expect(startEmbeddedMongo({ persistDir: dir })).rejects.toThrow(/damaged.*restore DATA_DIR from a backup/);
    } finally {
      await removeDirs(dir);
    }
  });

  it('stops with a message when the server internals it relies on are not as expected', async () => {
    const { congodb } = await import('@push.rocks/smartmongo');
    const server = new congodb.CongoServer({ port: 0 }) as unknown as EmbeddedServer & { commandRouter: unknown };
    await expect(checkInternals(server)).resolves.toBeDefined();
    // As after an upgrade that renamed the router's method.
    server.commandRouter = { dispatch: () => undefined };
    await expect(checkInternals(server)).rejects.toThrow(EmbeddedInternalsError);
    await expect(checkInternals(server)).rejects.toThrow(/commandRouter\.route.*data was not touched/s);
  });
});
