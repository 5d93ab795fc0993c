/**
 * A process that writes to the embedded database as fast as it can, compacting after every 16 kB
 * of journal, and reports on stdout: "ack N" once write N is acknowledged, and "step S" at each
 * step of a compaction, where it then waits a moment so that its parent can kill it right there.
 * The subject of compactionCrash.test.ts. Usage: crashWriter.ts <dir> <first write number>
 */
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../app/embedded/server.js';

const [dir, firstArg] = process.argv.slice(2);
const server = await startEmbeddedMongo({
  persistDir: dir!,
  compactAfterBytes: 16 * 1024,
  onCompactionStep: (step) => {
    process.stdout.write(`step ${step}\n`);
    return new Promise((resolve) => setTimeout(resolve, 30));
  },
});
const client = new MongoClient(server.uri, { serverMonitoringMode: 'poll' });
const db = client.db('chot');
await db.collection('things').createIndex({ i: 1 }, { unique: true });
for (let i = Number(firstArg); ; i++) {
  await db.collection('things').insertOne({ i, note: `bản ghi số ${i} `.repeat(8) });
  await db.collection('counters').updateOne({ name: 'things' }, { $inc: { seq: 1 } }, { upsert: true });
  process.stdout.write(`ack ${i}\n`);
}
