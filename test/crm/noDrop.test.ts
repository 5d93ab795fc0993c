import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { captureLead } from '../../crm/customers/captureLead.js';
import { createCustomer, updateCustomer } from '../../crm/customers/customers.js';
import { getCustomerCard } from '../../crm/customers/customerCard.js';
import { findReferrer } from '../../crm/customers/referrer.js';
import { commitImport, previewImport } from '../../crm/imports/csvImport.js';
import { SYSTEM } from '../../crm/users/actor.js';
import { isCrmError } from '../../crm/shared/errors.js';
import { errorMessage } from '../../i18n/index.js';
import { Customer } from '../../models/customer.js';
import { Interaction } from '../../models/interaction.js';

useTestDatabase();

/** The rejection of a promise, for asserting on a CrmError's code and its message to a person. */
async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (e) {
    if (isCrmError(e)) return { code: e.code, message: errorMessage('vi', e) };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('a known phone arriving again', () => {
  it('keeps the name on record, records the name and need given now as an interaction on that channel, and keeps both needs', async () => {
    await makeStaff('sales');
    const first = await captureLead({ channel: 'web', chatId: 'v-1', name: 'Nguyễn Thị Lan', phone: '0912 345 678', need: 'Căn hộ 2 phòng ngủ' });
    const at = new Date('2026-12-01T03:00:00Z');
    const again = await captureLead({ channel: 'zalo_oa', chatId: 'z-1', name: 'Chị Lan Anh', phone: '+84912345678', need: 'Nhà phố quận 7' }, at);

    expect(String(again.customer._id)).toBe(String(first.customer._id));
    const stored = (await Customer.findById(first.customer._id).lean())!;
    expect(stored.name).toBe('Nguyễn Thị Lan');
    expect(stored.need).toBe('Nhà phố quận 7');
    expect(stored.needs!.map((n) => [n.text, n.channel])).toEqual([
      ['Căn hộ 2 phòng ngủ', 'web'],
      ['Nhà phố quận 7', 'zalo_oa'],
    ]);
    const said = await Interaction.findOne({ customer: first.customer._id, channel: 'zalo_oa', type: 'message_in' }).lean();
    expect(said?.text).toContain('Khách xưng tên: Chị Lan Anh');
    expect(said?.text).toContain('Nhà phố quận 7');
    expect(said?.occurredAt.toISOString()).toBe(at.toISOString());
  });

  it('keeps a need stated before the history existed when a new one arrives', async () => {
    await makeStaff('sales');
    const { customer } = await captureLead({ channel: 'telegram', chatId: '42', name: 'Võ Minh', phone: '0987 000 111' });
    // A customer saved before `needs` existed: only the single `need` field.
    await Customer.updateOne({ _id: customer._id }, { $set: { need: 'Đất nền Long An' }, $unset: { needs: 1 } });
    await captureLead({ channel: 'telegram', chatId: '42', phone: '0987000111', need: 'Căn hộ cho thuê' });
    const stored = (await Customer.findById(customer._id).lean())!;
    expect(stored.needs!.map((n) => n.text)).toEqual(['Đất nền Long An', 'Căn hộ cho thuê']);
  });

  it('does not repeat a need said again in the same words', async () => {
    await makeStaff('sales');
    const { customer } = await captureLead({ channel: 'web', chatId: 'v-2', name: 'Lý Hoa', phone: '0903 111 222', need: 'Biệt thự' });
    await captureLead({ channel: 'web', chatId: 'v-2', phone: '0903111222', need: 'Biệt thự' });
    expect((await Customer.findById(customer._id).lean())!.needs).toHaveLength(1);
  });
});

describe('the referrer', () => {
  it('is found by a customer phone or KH code, or a staff name or email, and shown on the card with its name', async () => {
    const { user: sales, actor } = await makeStaff('sales', { name: 'Đỗ Thu Hà', email: 'thu.ha@chot.test' });
    const friend = await createCustomer(actor, { name: 'Bạn Giới Thiệu', phones: ['0911 000 001'] });
    expect(await findReferrer('0911000001')).toMatchObject({ kind: 'customer', id: friend._id, name: `${friend.code} · Bạn Giới Thiệu` });
    expect(await findReferrer(friend.code.toLowerCase())).toMatchObject({ kind: 'customer', id: friend._id });
    expect(await findReferrer('do thu ha')).toMatchObject({ kind: 'user', id: sales._id, name: 'Đỗ Thu Hà' });
    expect(await findReferrer('THU.HA@chot.test')).toMatchObject({ kind: 'user', id: sales._id });

    const referred = await createCustomer(actor, { name: 'Khách Được Giới Thiệu', phones: ['0911 000 002'], referrer: await findReferrer('0911000001') });
    const card = await getCustomerCard(actor, referred._id);
    expect(card.referrer).toEqual({ kind: 'customer', id: friend._id, name: `${friend.code} · Bạn Giới Thiệu` });
  });

  it('refuses an unknown referrer and a customer referring themselves, with a clear message', async () => {
    const { actor } = await makeStaff('sales');
    const unknown = await refusal(findReferrer('0999 888 777'));
    expect(unknown).toEqual({ code: 'referrer.unknown', message: expect.stringContaining('Không tìm thấy người giới thiệu "0999 888 777"') });

    const me = await createCustomer(actor, { name: 'Tự Mình', phones: ['0911 000 003'] });
    const self = await refusal(updateCustomer(actor, me._id, { referrer: { kind: 'customer', id: me._id } }));
    expect(self).toEqual({ code: 'referrer.self', message: 'Khách hàng không thể tự giới thiệu chính mình.' });
    expect((await Customer.findById(me._id).lean())!.referrer).toBeUndefined();
  });
});

describe('CSV import', () => {
  it('merging appends the notes, dated, and keeps the new need in the history; committing the file again adds nothing twice', async () => {
    const { actor } = await makeStaff('manager');
    const existing = await createCustomer(actor, { name: 'Trịnh Văn Nam', phones: ['0913 555 666'], need: 'Căn hộ', notes: 'Gọi sau 17h' });
    const csv = 'Họ tên,Số điện thoại,Nhu cầu,Ghi chú\nNam Trịnh,0913555666,Nhà phố,Đã xem mẫu nhà A\n';
    const now = new Date('2026-12-01T17:30:00Z'); // 02/12 in Ho Chi Minh City
    expect(await commitImport(actor, csv, now)).toMatchObject({ merged: 1, created: 0 });
    await commitImport(actor, csv, new Date(now.getTime() + 60_000));

    const stored = (await Customer.findById(existing._id).lean())!;
    expect(stored.name).toBe('Trịnh Văn Nam');
    expect(stored.notes).toBe('Gọi sau 17h\n\n[02/12/2026] Đã xem mẫu nhà A');
    expect(stored.need).toBe('Nhà phố');
    expect(stored.needs!.map((n) => [n.text, n.channel])).toEqual([
      ['Căn hộ', 'manual'],
      ['Nhà phố', 'import'],
    ]);
  });

  it('sets the referrer from a "Người giới thiệu" column, refusing unknown and self referrers', async () => {
    const { actor } = await makeStaff('manager', { name: 'Lâm Quản Lý', email: 'lam.ql@chot.test' });
    const friend = await createCustomer(actor, { name: 'Người Quen', phones: ['0914 000 001'] });
    const csv = [
      'Họ tên,Số điện thoại,Người giới thiệu',
      'Khách Một,0914000011,0914 000 001',
      `Khách Hai,0914000012,${friend.code}`,
      'Khách Ba,0914000013,lam.ql@chot.test',
      'Khách Bốn,0914000014,Không Ai Cả',
      'Khách Năm,0914000015,0914000015',
    ].join('\n');
    const preview = await previewImport(actor, csv);
    expect(preview.rows.map((r) => [r.name, r.action, r.reason])).toEqual([
      ['Khách Một', 'create', undefined],
      ['Khách Hai', 'create', undefined],
      ['Khách Ba', 'create', undefined],
      ['Khách Bốn', 'refuse', 'unknownReferrer'],
      ['Khách Năm', 'refuse', 'unknownReferrer'],
    ]);
    await commitImport(actor, csv);
    const referrerOf = async (name: string) => (await Customer.findOne({ name }).lean())!.referrer;
    expect(await referrerOf('Khách Một')).toEqual({ kind: 'customer', id: friend._id });
    expect(await referrerOf('Khách Hai')).toEqual({ kind: 'customer', id: friend._id });
    expect((await referrerOf('Khách Ba'))?.kind).toBe('user');

    // Merging a row into the very customer it names as referrer.
    const self = await previewImport(actor, `Họ tên,Số điện thoại,Người giới thiệu\nNgười Quen,0914000001,${friend.code}\n`);
    expect(self.rows[0]).toMatchObject({ action: 'refuse', reason: 'selfReferrer' });
  });
});

describe('the card of a customer with no referrer', () => {
  it('has referrer null', async () => {
    await makeStaff('sales');
    const { customer } = await captureLead({ channel: 'web', chatId: 'v-9', name: 'Không Ai', phone: '0905 000 999' });
    expect((await getCustomerCard(SYSTEM, customer._id)).referrer).toBeNull();
  });
});
