import { spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { AppProcess } from '../reliability/helpers/appProcess.js';
import { e164, phoneOf, useProduct, webLead } from './product.js';

/**
 * The data directory as operators meet it: one left by chot 0.1, whose restarts had wrapped every
 * number one level deeper each time, is repaired at start; and only one process may use a data
 * directory at a time, while `seed:demo` on one already used adds its data after what is there.
 */
jest.setTimeout(180_000);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const oid = (n: number) => ({ $oid: n.toString(16).padStart(24, '0') });
const wrapped = (n: number, levels: number): unknown => (levels === 0 ? { $numberInt: String(n) } : { value: wrapped(n, levels - 1) });

/** What chot 0.1 left in DATA_DIR/embedded-db after a few restarts: canonical EJSON, numbers wrapped. */
function legacySnapshot(): string {
  const customers = Array.from({ length: 10 }, (_, i) => ({
    _id: oid(100 + i),
    code: `KH${String(i + 1).padStart(6, '0')}`,
    name: `Khách cũ ${i + 1}`,
    phones: [e164(phoneOf(i + 1, '0916'))],
    groups: [],
    searchText: `khach cu ${i + 1}`,
    createdAt: { $date: { $numberLong: '1764547200000' } },
    __v: wrapped(0, i % 3),
  }));
  return JSON.stringify({
    databases: {
      chot: {
        counters: [{ _id: oid(1), name: 'customer', seq: wrapped(10, 2) }],
        customers,
        deals: [
          { _id: oid(200), customer: oid(100), amount: wrapped(20_000_000, 1), closedAt: { $date: { $numberLong: '1764547200000' } } },
          { _id: oid(201), customer: oid(101), amount: { $numberDouble: '1500000.5' }, closedAt: { $date: { $numberLong: '1764547200000' } } },
        ],
      },
    },
    indexes: { chot: { counters: [{ name: '_id_', key: { _id: { $numberInt: '1' } }, unique: true }] } },
    opLogCounter: { $numberInt: '0' },
  });
}

function runSeedDemo(dataDir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'crm/demo/seedDemoCli.ts', '--customers', '20'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATA_DIR: dataDir, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const products = useProduct({ perTest: true });

describe('a data directory written by chot 0.1', () => {
  it('is repaired at start: numbers are numbers again, codes go on, one line says how many fields were repaired', async () => {
    const dbDir = path.join(products.current.dataDir, 'embedded-db');
    await mkdir(dbDir, { recursive: true });
    await writeFile(path.join(dbDir, 'chot-db.ejson'), legacySnapshot());
    await products.current.start();
    const repaired = products.current.app.lines.find((l) => String(l.msg).includes('repaired'));
    // Every number in a document came back as a wrapper: the counter, the two deal amounts and the ten __v.
    expect(repaired).toMatchObject({ repairedFields: 1 + 2 + 10 });
    expect(await readdir(dbDir)).toEqual(expect.arrayContaining(['chot-db.ejson.migrated', 'snapshot.chotdb']));

    const lead = await webLead(products.current.base, 'Khách mới sau nâng cấp', phoneOf(50, '0916'), '10.5.0.1');
    expect(lead.confirmed).toBe(true);
    const db = await products.current.db();
    expect(await db.collection('customers').findOne({ phones: e164(phoneOf(50, '0916')) })).toMatchObject({ code: 'KH000011' });
    const [revenue] = await db.collection('deals').aggregate([{ $group: { _id: null, total: { $sum: '$amount' } } }]).toArray();
    expect(revenue!.total).toBe(21_500_000.5);
    // A returning customer from before the upgrade is recognised by phone, not created again.
    expect((await webLead(products.current.base, 'Khách cũ 3', phoneOf(3, '0916'), '10.5.0.2')).confirmed).toBe(true);
    expect(await db.collection('customers').countDocuments({ phones: e164(phoneOf(3, '0916')) })).toBe(1);

    // And it stays repaired through a restart.
    await products.current.stop();
    await products.current.start();
    expect((await webLead(products.current.base, 'Khách sau khởi động lại', phoneOf(51, '0916'), '10.5.0.3')).confirmed).toBe(true);
    expect(await (await products.current.db()).collection('customers').findOne({ phones: e164(phoneOf(51, '0916')) })).toMatchObject({ code: 'KH000012' });
  });
});

describe('one process per data directory', () => {
  it('refuses a second chot and seed:demo while chot runs, naming the process; seed:demo afterwards adds to what is there', async () => {
    await products.current.start();
    expect((await webLead(products.current.base, 'Khách đầu tiên', phoneOf(1, '0917'), '10.6.0.1')).confirmed).toBe(true);
    const pid = products.current.app.child.pid;

    const second = await AppProcess.spawn('second', 'both', { DATA_DIR: products.current.dataDir, LOG_LEVEL: 'info' });
    // Bounded: a second chot that is let in starts and keeps running.
    await Promise.race([second.waitForExit(), new Promise((r) => setTimeout(r, 60_000))]);
    expect(second.exitCode).toBe(1);
    expect(second.logText()).toContain(`PID ${pid}`);

    const seedWhileRunning = await runSeedDemo(products.current.dataDir);
    expect(seedWhileRunning.code).toBe(1);
    expect(seedWhileRunning.output).toContain(`PID ${pid}`);
    expect((await webLead(products.current.base, 'Khách thứ hai', phoneOf(2, '0917'), '10.6.0.2')).confirmed).toBe(true);

    await products.current.stop();
    const seed = await runSeedDemo(products.current.dataDir);
    expect(seed.code).toBe(0);
    await products.current.start();
    const customers = (await products.current.db()).collection('customers');
    expect(await customers.countDocuments()).toBe(22);
    const codes = (await customers.find({}).project({ code: 1 }).toArray()).map((c) => c.code).sort();
    expect(codes[0]).toBe('KH000001');
    expect(codes.at(-1)).toBe('KH000022');
    expect(await customers.findOne({ phones: e164(phoneOf(2, '0917')) })).toMatchObject({ code: 'KH000002' });
  });
});
