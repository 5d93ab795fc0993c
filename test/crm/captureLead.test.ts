import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { captureLead } from '../../crm/customers/captureLead.js';
import { Customer } from '../../models/customer.js';
import { Interaction } from '../../models/interaction.js';
import { Source } from '../../models/source.js';
import { Stage } from '../../models/stage.js';
import { updateSettings } from '../../crm/settings/settings.js';
import { SYSTEM } from '../../crm/users/actor.js';
import { loseNextUpsertRace } from '../helpers/races.js';

useTestDatabase();

describe('captureLead', () => {
  it('creates a new customer in the default stage with the channel source, an owner and a first message', async () => {
    const { user: sales } = await makeStaff('sales');
    const result = await captureLead({ channel: 'telegram', chatId: '111', name: 'Nguyễn Văn Đức', phone: '0912.345.678', need: 'Mua căn hộ 2PN' });

    expect(result.isNew).toBe(true);
    expect(result.merged).toBe(false);
    expect(String(result.owner?._id)).toBe(String(sales._id));
    const stored = await Customer.findById(result.customer._id).lean();
    expect(stored).toMatchObject({ code: 'KH000001', name: 'Nguyễn Văn Đức', phones: ['+84912345678'], need: 'Mua căn hộ 2PN' });
    expect(stored?.chatIds?.telegram).toBe('111');
    expect(String(stored?.stage)).toBe(String((await Stage.findOne({ code: 'moi' }))!._id));
    expect(String(stored?.source)).toBe(String((await Source.findOne({ code: 'telegram' }))!._id));
    const messages = await Interaction.find({ customer: result.customer._id }).lean();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ type: 'message_in', channel: 'telegram', countsAsContact: false });
  });

  it('merges the same phone typed in another format into the existing customer, keeping its owner', async () => {
    const { user: first } = await makeStaff('sales');
    await makeStaff('sales');
    const a = await captureLead({ channel: 'web', chatId: 'visitor-1', name: 'Trần Thị Ánh', phone: '0912 345 678' });
    const b = await captureLead({ channel: 'zalo_oa', chatId: 'zalo-9', name: 'Ánh', phone: '+84912345678', need: 'Báo giá' });

    expect(b.isNew).toBe(false);
    expect(b.merged).toBe(true);
    expect(String(b.customer._id)).toBe(String(a.customer._id));
    expect(String(b.owner?._id)).toBe(String(first._id));
    expect(await Customer.countDocuments()).toBe(1);
    const stored = await Customer.findById(a.customer._id).lean();
    expect(stored?.name).toBe('Trần Thị Ánh');
    expect(stored?.need).toBe('Báo giá');
    expect(stored?.chatIds).toMatchObject({ web: 'visitor-1', zalo_oa: 'zalo-9' });
    expect(await Interaction.countDocuments({ customer: a.customer._id, type: 'message_in' })).toBe(2);
  });

  it('recognizes a returning prospect by their chat account when they give no phone', async () => {
    await makeStaff('sales');
    const a = await captureLead({ channel: 'telegram', chatId: '42', name: 'Khách A' });
    const b = await captureLead({ channel: 'telegram', chatId: '42', phone: '0987654321' });
    expect(String(b.customer._id)).toBe(String(a.customer._id));
    expect((await Customer.findById(a.customer._id).lean())?.phones).toEqual(['+84987654321']);
  });

  it('creates one customer when the same lead arrives twice at the same moment', async () => {
    await makeStaff('sales');
    const results = await Promise.all(
      ['0912345678', '+84 912 345 678', '84912345678', '0912.345.678'].map((phone) => captureLead({ channel: 'web', name: 'Lê Văn Tám', phone })),
    );
    expect(await Customer.countDocuments()).toBe(1);
    expect(results.filter((r) => r.isNew)).toHaveLength(1);
    expect(new Set(results.map((r) => String(r.customer._id))).size).toBe(1);
  });

  it('merges into the winner when another arrival of the same lead is inserted between its look-up and its insert', async () => {
    const { user: first } = await makeStaff('sales');
    await makeStaff('sales');
    // The upsert's filter also says `deletedAt: null`, so MongoDB does not retry it on the unique
    // phone index: the second arrival gets E11000 from the database and must merge instead.
    let winner: Awaited<ReturnType<typeof captureLead>> | undefined;
    const race = loseNextUpsertRace(Customer.collection, async () => {
      winner = await captureLead({ channel: 'telegram', chatId: 'tg-1', name: 'Phạm Thu Hà', phone: '0912345678' });
    });
    const loser = await captureLead({ channel: 'web', chatId: 'visitor-7', name: 'Hà', phone: '+84 912 345 678', need: 'Hỏi giá' });

    expect(race.fired && race.lookedUpNothing).toBe(true);
    expect(winner?.isNew).toBe(true);
    expect(loser).toMatchObject({ isNew: false, merged: true });
    expect(String(loser.customer._id)).toBe(String(winner!.customer._id));
    // The owner is the winner's: the customer keeps the owner it was created with.
    expect(String(loser.owner?._id)).toBe(String(winner!.owner?._id));
    expect(await Customer.countDocuments()).toBe(1);
    const stored = await Customer.findById(winner!.customer._id).lean();
    expect(stored).toMatchObject({ name: 'Phạm Thu Hà', phones: ['+84912345678'], need: 'Hỏi giá' });
    expect(stored?.chatIds).toMatchObject({ telegram: 'tg-1', web: 'visitor-7' });
    expect(await Interaction.countDocuments({ customer: winner!.customer._id, type: 'message_in' })).toBe(2);
  });

  it('spreads new leads over active sales users who take leads, in turn', async () => {
    const { user: a } = await makeStaff('sales');
    const { user: b } = await makeStaff('sales');
    await makeStaff('sales', { takesNewLeads: false });
    await makeStaff('sales', { active: false });
    const owners = [];
    for (const phone of ['0901000001', '0901000002', '0901000003', '0901000004']) {
      owners.push(String((await captureLead({ channel: 'web', phone })).owner?._id));
    }
    expect(owners.filter((o) => o === String(a._id))).toHaveLength(2);
    expect(owners.filter((o) => o === String(b._id))).toHaveLength(2);
    expect(owners[0]).not.toBe(owners[1]);
  });

  it('a returning lead takes no round-robin turn and no customer code: the next new lead goes to the next salesperson with the next code', async () => {
    const { user: a } = await makeStaff('sales');
    const { user: b } = await makeStaff('sales');
    const first = await captureLead({ channel: 'web', name: 'Khách Một', phone: '0901000001' });
    expect(first.customer.code).toBe('KH000001');
    const firstOwner = String(first.owner?._id);
    // The same person again, by phone only and then by phone from another channel.
    const again = await captureLead({ channel: 'manual', phone: '+84901000001' });
    const onZalo = await captureLead({ channel: 'zalo_bot', chatId: 'zb-1', phone: '0901 000 001' });
    for (const r of [again, onZalo]) {
      expect(r).toMatchObject({ isNew: false, merged: true });
      expect(String(r.owner?._id)).toBe(firstOwner);
    }
    const next = await captureLead({ channel: 'web', name: 'Khách Hai', phone: '0901000002' });
    expect(next.customer.code).toBe('KH000002');
    expect(String(next.owner?._id)).toBe(firstOwner === String(a._id) ? String(b._id) : String(a._id));
  });

  it('falls back to a manager when no salesperson takes leads, and honours round-robin off', async () => {
    const { user: manager } = await makeStaff('manager');
    const first = await captureLead({ channel: 'web', phone: '0901000001' });
    expect(String(first.owner?._id)).toBe(String(manager._id));
    await makeStaff('sales');
    await updateSettings(SYSTEM, { roundRobin: false });
    const second = await captureLead({ channel: 'web', phone: '0901000002' });
    expect(String(second.owner?._id)).toBe(String(manager._id));
  });

  it('takes the source from an ad deep-link code, and ignores an unknown or hostile one', async () => {
    const ad = await captureLead({ channel: 'telegram', chatId: '1', phone: '0901000001', sourceCode: 'facebook' });
    expect(String(ad.customer.source)).toBe(String((await Source.findOne({ code: 'facebook' }))!._id));
    const odd = await captureLead({ channel: 'telegram', chatId: '2', phone: '0901000002', sourceCode: '{"$gt":""}' });
    expect(String(odd.customer.source)).toBe(String((await Source.findOne({ code: 'telegram' }))!._id));
  });

  it('refuses an invalid phone and stores nothing', async () => {
    await expect(captureLead({ channel: 'web', name: 'X', phone: '12345' })).rejects.toMatchObject({ code: 'phone.invalid' });
    expect(await Customer.countDocuments()).toBe(0);
  });

  it('gives customer codes that are never reused, also under concurrent creation', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => captureLead({ channel: 'web', phone: `09010000${String(i).padStart(2, '0')}` })));
    const codes = results.map((r) => r.customer.code).sort();
    expect(new Set(codes).size).toBe(20);
    expect(codes[0]).toBe('KH000001');
    expect(codes[19]).toBe('KH000020');
  });
});
