import mongoose, { Types } from 'mongoose';
import { Customer } from '../../models/customer.js';
import { CampaignDelivery } from '../../models/campaignDelivery.js';
import { ChatSession } from '../../models/chatSession.js';
import { Stage } from '../../models/stage.js';
import { User } from '../../models/user.js';
import { useTestDatabase } from '../helpers/database.js';
import { openDatabase, removeDirs, tempDir } from './helpers.js';

/**
 * The unique indexes chot's models declare hold on the embedded database as on MongoDB: the
 * second holder of a key is refused with E11000 (code 11000, keyPattern, keyValue) and nothing
 * is written, on insert, update and upsert.
 */
useTestDatabase();

async function duplicateError(write: () => Promise<unknown>): Promise<{ code?: number; keyPattern?: object; keyValue?: object }> {
  try {
    await write();
  } catch (err) {
    return err as { code?: number; keyPattern?: object; keyValue?: object };
  }
  throw new Error('the write was accepted');
}

async function customer(fields: Record<string, unknown>) {
  const stage = await Stage.findOne().lean();
  return Customer.create({ name: 'Khách', stage: stage!._id, ...fields });
}

describe('unique indexes on the embedded database', () => {
  it('refuses a second customer with the same phone, with the key in the error, and stores nothing', async () => {
    await customer({ code: 'KH000001', phones: ['+84912000001'] });
    const err = await duplicateError(() => customer({ code: 'KH000002', phones: ['+84987000002', '+84912000001'] }));
    expect(err).toMatchObject({ code: 11000, keyPattern: { phones: 1 }, keyValue: { phones: '+84912000001' } });
    expect(await Customer.countDocuments()).toBe(1);
  });

  it('lets any number of customers have no phone (the index is partial)', async () => {
    for (let i = 1; i <= 3; i++) await customer({ code: `KH00000${i}`, phones: [] });
    expect(await Customer.countDocuments({ phones: [] })).toBe(3);
  });

  it('refuses a taken customer code', async () => {
    await customer({ code: 'KH000001' });
    expect(await duplicateError(() => customer({ code: 'KH000001' }))).toMatchObject({ code: 11000, keyPattern: { code: 1 }, keyValue: { code: 'KH000001' } });
  });

  it('refuses an update that takes another customer’s phone, leaving the customer as it was', async () => {
    await customer({ code: 'KH000001', phones: ['+84912000001'] });
    const other = await customer({ code: 'KH000002', phones: ['+84912000002'] });
    expect(await duplicateError(() => Customer.updateOne({ _id: other._id }, { $push: { phones: '+84912000001' } }))).toMatchObject({ code: 11000 });
    expect(await duplicateError(() => Customer.findOneAndUpdate({ _id: other._id }, { $set: { phones: ['+84912000001'] } }))).toMatchObject({ code: 11000, keyValue: { phones: '+84912000001' } });
    expect((await Customer.findById(other._id).lean())!.phones).toEqual(['+84912000002']);
    // Its own key is not a conflict with itself.
    await Customer.updateOne({ _id: other._id }, { $set: { name: 'Đổi tên', phones: ['+84912000002'] } });
    expect((await Customer.findById(other._id).lean())!.name).toBe('Đổi tên');
  });

  it('frees a key when its holder changes it or is deleted', async () => {
    const first = await customer({ code: 'KH000001', phones: ['+84912000001'] });
    await Customer.updateOne({ _id: first._id }, { $set: { phones: ['+84912000009'] } });
    await customer({ code: 'KH000002', phones: ['+84912000001'] });
    await Customer.deleteOne({ _id: first._id });
    await customer({ code: 'KH000003', phones: ['+84912000009'] });
    expect(await Customer.countDocuments()).toBe(2);
  });

  it('refuses an upsert that would create a second holder of a key', async () => {
    const stage = await Stage.findOne().lean();
    await customer({ code: 'KH000001', phones: ['+84912000001'], deletedAt: new Date() });
    // The filter misses the soft-deleted holder, so the upsert inserts, and the phone is taken.
    const err = await duplicateError(() =>
      Customer.findOneAndUpdate({ phones: '+84912000001', deletedAt: null }, { $setOnInsert: { code: 'KH000002', name: 'Mới', stage: stage!._id, phones: ['+84912000001'] } }, { upsert: true }),
    );
    expect(err).toMatchObject({ code: 11000, keyPattern: { phones: 1 } });
    expect(await Customer.countDocuments()).toBe(1);
  });

  it('sends a campaign to a customer once (campaign + customer), keeps one session per chat, links a chat account to one user', async () => {
    const campaign = new Types.ObjectId();
    const target = new Types.ObjectId();
    await CampaignDelivery.create({ campaign, customer: target });
    await CampaignDelivery.create({ campaign, customer: new Types.ObjectId() });
    expect(await duplicateError(() => CampaignDelivery.create({ campaign, customer: target }))).toMatchObject({
      code: 11000,
      keyPattern: { campaign: 1, customer: 1 },
      keyValue: { campaign, customer: target },
    });

    await ChatSession.create({ channel: 'telegram', chatId: '42' });
    await ChatSession.create({ channel: 'zalo_bot', chatId: '42' });
    expect(await duplicateError(() => ChatSession.create({ channel: 'telegram', chatId: '42' }))).toMatchObject({ code: 11000 });

    await User.create({ name: 'A', email: 'a@chot.vn', chatIds: { telegram: '1001' } });
    await User.create({ name: 'B', email: 'b@chot.vn' });
    await User.create({ name: 'C', email: 'c@chot.vn' }); // neither has the field: sparse
    expect(await duplicateError(() => User.create({ name: 'D', email: 'd@chot.vn', chatIds: { telegram: '1001' } }))).toMatchObject({ code: 11000, keyValue: { 'chatIds.telegram': '1001' } });
    expect(await duplicateError(() => User.create({ name: 'E', email: 'A@chot.vn' }))).toMatchObject({ code: 11000, keyValue: { email: 'a@chot.vn' } });
  });

  it('keeps the other documents of an unordered insertMany and reports the one refused', async () => {
    await customer({ code: 'KH000001', phones: ['+84912000001'] });
    const stage = await Stage.findOne().lean();
    const docs = ['+84912000002', '+84912000001', '+84912000003'].map((p, i) => ({ code: `KH00001${i}`, name: 'N', stage: stage!._id, phones: [p] }));
    const err = (await duplicateError(() => Customer.insertMany(docs, { ordered: false }))) as { writeErrors?: { err?: { code?: number; keyValue?: object } }[] };
    expect(err.writeErrors).toHaveLength(1);
    expect(await Customer.countDocuments()).toBe(3);
  });
});

describe('unique index definitions across a restart', () => {
  it('keep their partial filter, so they hold exactly as before', async () => {
    const dir = await tempDir();
    try {
      let open = await openDatabase(dir);
      const people = () => open.client.db('chot').collection('people');
      await people().createIndex({ phones: 1 }, { unique: true, partialFilterExpression: { 'phones.0': { $exists: true } } });
      await people().insertMany([{ phones: [] }, { phones: [] }, { phones: ['1'] }]);
      await open.close();
      open = await openDatabase(dir);
      await people().insertOne({ phones: [] });
      await expect(people().insertOne({ phones: ['1'] })).rejects.toMatchObject({ code: 11000 });
      expect(await people().countDocuments()).toBe(4);
      await open.close();
    } finally {
      await removeDirs(dir);
    }
  });
});

afterAll(() => mongoose.disconnect());

describe('a unique index created again after its collection was dropped', () => {
  it('is stored and enforced like the first one', async () => {
    const dir = await tempDir();
    try {
      const open = await openDatabase(dir);
      const jobs = () => open.client.db('chot').collection('jobs');
      for (let round = 0; round < 2; round++) {
        await jobs().createIndex({ name: 1 }, { unique: true, partialFilterExpression: { type: 'single' } });
        await jobs().insertOne({ name: 'sweep', type: 'single' });
        await expect(jobs().insertOne({ name: 'sweep', type: 'single' })).rejects.toMatchObject({ code: 11000 });
        await jobs().insertOne({ name: 'sweep', type: 'normal' });
        await jobs().drop();
      }
      await open.close();
    } finally {
      await removeDirs(dir);
    }
  });
});

describe('a unique index added to a collection that already has documents', () => {
  it('is created when only documents outside its partial filter share a key, and enforced from then on', async () => {
    const dir = await tempDir();
    try {
      const open = await openDatabase(dir);
      const customers = open.client.db('chot').collection('customers');
      // As at an upgrade: existing customers have none of the new fields.
      await customers.insertMany([{ code: 'KH1' }, { code: 'KH2' }, { code: 'KH3' }]);
      await customers.createIndex({ importRun: 1, importLine: 1 }, { unique: true, partialFilterExpression: { importRun: { $exists: true } } });
      await customers.insertOne({ code: 'KH4', importRun: 'r1', importLine: 2 });
      await expect(customers.insertOne({ code: 'KH5', importRun: 'r1', importLine: 2 })).rejects.toMatchObject({ code: 11000 });
      // Where the existing data breaks the rule, the index is refused, as MongoDB does.
      await customers.insertOne({ code: 'KH1' });
      await expect(customers.createIndex({ code: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000, keyValue: { code: 'KH1' } });
      await open.close();
    } finally {
      await removeDirs(dir);
    }
  });
});
