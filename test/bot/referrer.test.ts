import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { Customer } from '../../models/customer.js';
import { buttonUpdate, createTelegramTestBot, textUpdate, type TgUser } from './telegramHarness.js';
import { useZaloBotChannel } from './zaloBotStaffChat.js';

useTestDatabase();

const salesTg: TgUser = { id: 6101, first_name: 'Hà' };

/** `/new` asks who referred the customer (optional), and the card says it. */
describe('the referrer in /new, on Telegram', () => {
  it('takes a customer code, re-asks after an unknown one with a clear message, and shows it on the card', async () => {
    const { actor } = await makeStaff('sales', { name: 'Hà Sales', chatIds: { telegram: String(salesTg.id) } });
    const friend = await createCustomer(actor, { name: 'Cao Văn Bạn', phones: ['0909 000 001'] });
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(salesTg, '/new'));
    await bot.handleUpdate(textUpdate(salesTg, 'Tạ Thị Mới'));
    await bot.handleUpdate(textUpdate(salesTg, '0909 000 002'));
    await bot.handleUpdate(textUpdate(salesTg, 'Căn hộ gần trường'));
    expect(tg.lastText(salesTg.id)).toBe('Người giới thiệu Tạ Thị Mới? Nhập SĐT hoặc mã KH của một khách, hoặc tên nhân viên (hoặc bỏ qua).');
    expect(tg.lastButtons(salesTg.id).map((b) => b.text)).toEqual(['Bỏ qua', 'Huỷ']);

    await bot.handleUpdate(textUpdate(salesTg, 'KH999999'));
    expect(tg.lastText(salesTg.id)).toContain('Không tìm thấy người giới thiệu "KH999999"');
    expect(await Customer.countDocuments()).toBe(1);

    await bot.handleUpdate(textUpdate(salesTg, friend.code.toLowerCase()));
    expect(tg.lastText(salesTg.id)).toContain('✅ Đã tạo khách KH000002 · Tạ Thị Mới.');
    expect(tg.lastText(salesTg.id)).toContain(`Người giới thiệu: ${friend.code} · Cao Văn Bạn`);
    const created = (await Customer.findOne({ name: 'Tạ Thị Mới' }).lean())!;
    expect(created.referrer).toEqual({ kind: 'customer', id: friend._id });
    expect(created.need).toBe('Căn hộ gần trường');
  });

  it('is skipped with the button or by typing "bỏ qua"', async () => {
    await makeStaff('sales', { chatIds: { telegram: String(salesTg.id) } });
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(salesTg, '/new'));
    await bot.handleUpdate(textUpdate(salesTg, 'Không Ai Giới Thiệu'));
    await bot.handleUpdate(buttonUpdate(salesTg, 'skip'));
    await bot.handleUpdate(buttonUpdate(salesTg, 'skip'));
    await bot.handleUpdate(textUpdate(salesTg, 'bỏ qua'));
    expect(tg.lastText(salesTg.id)).toContain('✅ Đã tạo khách');
    expect(tg.lastText(salesTg.id)).not.toContain('Người giới thiệu');
    expect((await Customer.findOne().lean())!.referrer).toBeUndefined();
  });
});

describe('the referrer in /new, on Zalo Bot (typed replies)', () => {
  const zaloBot = useZaloBotChannel();

  it('takes a staff member\'s name without diacritics and shows it on the card', async () => {
    const { user: colleague } = await makeStaff('sales', { name: 'Đặng Thị Thảo' });
    await makeStaff('sales', { name: 'Hà Sales', chatIds: { zalo_bot: 'S1' } });
    const me = zaloBot.chat('S1');
    await me.say('/new');
    await me.say('Kiều Văn Lộc');
    await me.choose('Bỏ qua');
    await me.choose('Bỏ qua');
    expect(me.text).toContain('Người giới thiệu Kiều Văn Lộc?');
    await me.say('dang thi thao');
    expect(me.text).toContain('✅ Đã tạo khách');
    expect(me.text).toContain('Người giới thiệu: Đặng Thị Thảo');
    expect((await Customer.findOne({ name: 'Kiều Văn Lộc' }).lean())!.referrer).toEqual({ kind: 'user', id: colleague._id });
  });
});
