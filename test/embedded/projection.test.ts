import { openDatabase, removeDirs, tempDir, type OpenDatabase } from './helpers.js';

/**
 * Reading a document with a nested field left out must not change what is stored: CongoDB's own
 * exclusion projection deleted the field from the stored object (and the next snapshot kept the
 * loss). Tested over the wire, as chot reads, and again after a restart.
 */
let db: OpenDatabase;
let dir: string;

beforeEach(async () => {
  dir = await tempDir();
  db = await openDatabase(dir);
});

afterEach(async () => {
  await db?.close();
  await removeDirs(dir);
});

it('leaves nested fields out of the answer, never out of the stored document', async () => {
  const customers = db.client.db('chot').collection('customers');
  await customers.insertOne({ code: 'KH000001', chatIds: { telegram: '42', web: 'w-1' }, needs: [{ text: 'Căn hộ 2PN', channel: 'web' }] });

  const projected = await customers.findOne({ code: 'KH000001' }, { projection: { 'chatIds.telegram': 0, 'needs.channel': 0 } });
  expect(projected).toMatchObject({ chatIds: { web: 'w-1' }, needs: [{ text: 'Căn hộ 2PN' }] });
  expect(projected!.chatIds).not.toHaveProperty('telegram');

  const whole = { chatIds: { telegram: '42', web: 'w-1' }, needs: [{ text: 'Căn hộ 2PN', channel: 'web' }] };
  expect(await customers.findOne({ code: 'KH000001' })).toMatchObject(whole);

  await db.close();
  db = await openDatabase(dir);
  expect(await db.client.db('chot').collection('customers').findOne({ code: 'KH000001' })).toMatchObject(whole);
});
