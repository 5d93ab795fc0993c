import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { commitImport, previewImport } from '../../crm/imports/csvImport.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { Customer } from '../../models/customer.js';
import { ImportRun } from '../../models/importRun.js';
import { AuditLog } from '../../models/auditLog.js';

useTestDatabase();

/**
 * A CSV commit cut short (chot stopped between two batches) is visibly resumable: the run stays
 * `running`, the preview of the same file says so, and committing the file again writes the rest,
 * each line exactly once, phoneless lines included, with counts for the whole run.
 */

// 20 rows with a phone, 6 without, 2 refused (bad phone), 2 merging into customers already there.
const rows = [
  ...Array.from({ length: 20 }, (_, i) => `Khách có số ${i},0916${String(i).padStart(6, '0')}`),
  ...Array.from({ length: 6 }, (_, i) => `Khách không số ${i},`),
  'Số sai một,12',
  'Số sai hai,999',
  'Đã có một,0916900001',
  'Đã có hai,0916900002',
];
const csv = 'Họ tên,Số điện thoại\n' + rows.join('\n') + '\n';
const whole = { created: 26, merged: 2, refused: 2 };

class Stopped extends Error {}
/** Cuts the commit short once `rows` have been written, in batches of 5. */
const stopAfter = (rows: number) => ({ batchSize: 5, afterBatch: (written: number) => { if (written >= rows) throw new Stopped(); } });

async function importedNames(): Promise<string[]> {
  return (await Customer.find({ name: /^Khách/ }).select('name').lean()).map((c) => c.name).sort();
}

describe('a CSV import cut short', () => {
  let actor: Awaited<ReturnType<typeof makeStaff>>['actor'];
  beforeEach(async () => {
    ({ actor } = await makeStaff('manager'));
    await createCustomer(actor, { name: 'Đã có một', phones: ['0916900001'] });
    await createCustomer(actor, { name: 'Đã có hai', phones: ['0916900002'] });
  });

  it('is finished by committing the same file again: every line written once, counts for the whole run', async () => {
    await expect(commitImport(actor, csv, new Date(), stopAfter(10))).rejects.toBeInstanceOf(Stopped);
    expect(await Customer.countDocuments({ name: /^Khách/ })).toBe(10);
    expect(await ImportRun.findOne().lean()).toMatchObject({ status: 'running', total: 26 });
    expect(await AuditLog.countDocuments({ subject: 'import' })).toBe(0);

    const preview = await previewImport(actor, csv);
    expect(preview.unfinished).toMatchObject({ created: 10, total: 26 });
    expect(preview.unfinished!.startedAt).toBeInstanceOf(Date);

    const result = await commitImport(actor, csv);
    expect(result).toEqual({ ...whole, resumed: true });
    const names = await importedNames();
    expect(names).toHaveLength(26);
    expect(new Set(names).size).toBe(26);
    expect(names.filter((n) => n.startsWith('Khách không số'))).toHaveLength(6);
    expect(await Customer.countDocuments()).toBe(28);

    const run = await ImportRun.findOne().lean();
    expect(run).toMatchObject({ status: 'done', ...whole, attempts: 2 });
    expect(run!.finishedAt).toBeInstanceOf(Date);
    const audit = await AuditLog.find({ subject: 'import', action: 'commit' }).lean();
    expect(audit).toHaveLength(1);
    expect(String(audit[0].recordId)).toBe(String(run!._id));
    expect(JSON.parse(audit[0].details!)).toEqual({ ...whole, resumed: true });
    expect((await previewImport(actor, csv)).unfinished).toBeUndefined();
  });

  it('is finished even when it stopped among the phoneless lines, twice in a row', async () => {
    // Creates come in file order: the 6 phoneless lines are rows 21–26 of the creates.
    await expect(commitImport(actor, csv, new Date(), stopAfter(25))).rejects.toBeInstanceOf(Stopped);
    // The second commit is cut short too, after one more batch.
    await expect(commitImport(actor, csv, new Date(), { batchSize: 5, afterBatch: () => { throw new Stopped(); } })).rejects.toBeInstanceOf(Stopped);
    expect(await Customer.countDocuments({ name: /^Khách/ })).toBe(26);
    expect((await previewImport(actor, csv)).unfinished).toMatchObject({ created: 26, total: 26 });

    expect(await commitImport(actor, csv)).toEqual({ ...whole, resumed: true });
    expect(new Set(await importedNames()).size).toBe(26);
    expect(await Customer.countDocuments({ name: /^Khách/ })).toBe(26);
    expect(await ImportRun.findOne().lean()).toMatchObject({ status: 'done', ...whole, attempts: 3 });
  });

  it('leaves another file alone: its commit is a run of its own, and a finished file imports anew', async () => {
    await expect(commitImport(actor, csv, new Date(), stopAfter(10))).rejects.toBeInstanceOf(Stopped);
    const other = 'Họ tên,Số điện thoại\nKhách tệp khác,0916777000\nKhách tệp khác không số,\n';
    expect((await previewImport(actor, other)).unfinished).toBeUndefined();
    expect(await commitImport(actor, other)).toEqual({ created: 2, merged: 0, refused: 0 });
    expect(await ImportRun.countDocuments({ status: 'running' })).toBe(1);
    expect((await previewImport(actor, csv)).unfinished).toMatchObject({ created: 10 });

    expect(await commitImport(actor, csv)).toEqual({ ...whole, resumed: true });
    // Done files are not resumed: the same file again is a new run (phones merge, phoneless lines are new).
    expect(await commitImport(actor, other)).toEqual({ created: 1, merged: 1, refused: 0 });
    expect(await ImportRun.countDocuments({ status: 'done' })).toBe(3);
  });
});
