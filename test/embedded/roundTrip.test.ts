// The driver's own bson (7.x): the test talks to the server as chot does, over the wire.
import { BSON, Binary, Decimal128, Double, Int32, Long, ObjectId, type Document } from 'mongodb';

const { EJSON } = BSON;
import { crashCopy, openDatabase, removeDirs, tempDir } from './helpers.js';

/**
 * Restarting the embedded database gives back exactly what was stored: the same values with the
 * same BSON types, whether it restarts from the snapshot written on a clean stop or from the
 * journal after a crash, and however many times. Documents are generated (a seeded random mix of
 * every type chot's models use, nested in arrays and objects), then changed by updates and
 * deletes so the journal holds every kind of record.
 */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const WORDS = ['Nguyễn Văn Đức', 'Trần Thị Ánh', 'Hồ Chí Minh', 'Đà Nẵng', 'khách hàng tiềm năng', 'chốt đơn', '', 'ascii', '🙂 emoji', 'a.b', '$dollar'];

function value(rand: () => number, depth: number): unknown {
  const kinds = depth > 2 ? 10 : 12;
  switch (Math.floor(rand() * kinds)) {
    case 0: return Math.floor(rand() * 2_000_000) - 1_000_000; // int32
    case 1: return (rand() - 0.5) * 1e6; // double
    case 2: return new Long(Math.floor(rand() * 2 ** 31), Math.floor(rand() * 2 ** 10)); // int64 beyond int32
    case 3: return new Date(Math.floor(1.6e12 + rand() * 1e11));
    case 4: return new ObjectId();
    case 5: return WORDS[Math.floor(rand() * WORDS.length)];
    case 6: return null;
    case 7: return rand() < 0.5;
    case 8: return Decimal128.fromString(`${Math.floor(rand() * 1e6)}.${Math.floor(rand() * 100)}`);
    case 9: return new Binary(Buffer.from([Math.floor(rand() * 256), 0, 255, 7]));
    case 10: return Array.from({ length: Math.floor(rand() * 4) }, () => value(rand, depth + 1));
    default: return Object.fromEntries(Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, i) => [`${WORDS[i]!.replace(/[.$]/g, '_') || 'k'}${i}`, value(rand, depth + 1)]));
  }
}

function generated(rand: () => number, i: number): Document {
  const doc: Document = { n: i, amount: new Double(i * 1.5 + 0.25), count: new Int32(i), at: new Date(Date.UTC(2026, 0, 1 + (i % 300))) };
  for (let f = 0; f < 6; f++) doc[`f${f}`] = value(rand, 0);
  return doc;
}

/** Every document of the collection, in _id order, as canonical Extended JSON: types included. */
async function typedState(db: import('mongodb').Db): Promise<string[]> {
  const docs = await db.collection('things').find({}).sort({ _id: 1 }).toArray();
  return docs.map((d) => EJSON.stringify(d, { relaxed: false }));
}

describe('the embedded database across restarts', () => {
  it('gives back every stored value with its type, from the journal after a crash and from the snapshot after a stop, restart after restart', async () => {
    const dir = await tempDir();
    const dirs = [dir];
    try {
      let open = await openDatabase(dir);
      const rand = random(20261201);
      const things = open.client.db('chot').collection('things');
      await things.insertMany(Array.from({ length: 300 }, (_, i) => generated(rand, i)));
      for (let i = 0; i < 300; i += 7) await things.updateOne({ n: i }, { $inc: { count: 5 }, $set: { 'nested.deep': value(rand, 1), touched: new Date() }, $push: { log: `sửa ${i}` } as never });
      for (let i = 0; i < 300; i += 13) await things.updateOne({ n: i }, { $unset: { f0: '' } });
      await things.deleteMany({ n: { $in: [3, 33, 133, 233] } });
      const stored = await typedState(open.client.db('chot'));
      expect(stored).toHaveLength(296);

      // A crash: no stop, only what the journal made durable.
      const crashed = await crashCopy(dir);
      dirs.push(crashed);
      const fromJournal = await openDatabase(crashed);
      expect(fromJournal.server.loaded?.replayedMutations).toBeGreaterThan(300);
      expect(await typedState(fromJournal.client.db('chot'))).toEqual(stored);
      await fromJournal.close();
      const fromItsSnapshot = await openDatabase(crashed);
      expect(fromItsSnapshot.server.loaded?.replayedMutations).toBe(0);
      expect(await typedState(fromItsSnapshot.client.db('chot'))).toEqual(stored);
      await fromItsSnapshot.close();

      // Clean stops, several times over: nothing drifts (0.1 wrapped numbers one level deeper each time).
      await open.close();
      for (let restart = 0; restart < 3; restart++) {
        open = await openDatabase(dir);
        expect(await typedState(open.client.db('chot'))).toEqual(stored);
        if (restart < 2) await open.close();
      }

      // And it still works as a database: $inc, $sum, numeric sort, date ranges.
      const db = open.client.db('chot').collection('things');
      await db.updateOne({ n: 10 }, { $inc: { count: 1, n: 0.5 } });
      expect(await db.findOne({ n: 10.5 })).toMatchObject({ count: 11 });
      const [sum] = await db.aggregate([{ $match: { n: { $lt: 100 } } }, { $group: { _id: null, total: { $sum: '$amount' }, count: { $sum: 1 } } }]).toArray();
      const kept = Array.from({ length: 100 }, (_, i) => i).filter((i) => i !== 3 && i !== 33);
      expect(sum).toMatchObject({ count: kept.length });
      expect(sum!.total).toBeCloseTo(kept.reduce((t, i) => t + i * 1.5 + 0.25, 0), 6);
      const firstThree = await db.find({}, { projection: { n: 1 } }).sort({ n: -1 }).limit(3).toArray();
      expect(firstThree.map((d) => d.n)).toEqual([299, 298, 297]);
      const january = await db.countDocuments({ at: { $gte: new Date(Date.UTC(2026, 0, 1)), $lt: new Date(Date.UTC(2026, 1, 1)) } });
      expect(january).toBe(Array.from({ length: 300 }, (_, i) => i).filter((i) => ![3, 33, 133, 233].includes(i) && i % 300 < 31).length);
      await open.close();
    } finally {
      await removeDirs(...dirs);
    }
  });
});
