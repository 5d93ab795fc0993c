import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { createOrganization } from '../../crm/organizations/organizations.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { linkContact } from '../../crm/organizations/contacts.js';
import { SYSTEM } from '../../crm/users/actor.js';
import { Customer } from '../../models/customer.js';
import { Organization } from '../../models/organization.js';
import { Interaction } from '../../models/interaction.js';
import { buttonUpdate, contactUpdate, createTelegramTestBot, textUpdate, type TgUser } from './telegramHarness.js';

useTestDatabase();

const prospect: TgUser = { id: 7101, first_name: 'Hoa' };
const seller: TgUser = { id: 5101, first_name: 'Lan' };

async function salesOnTelegram() {
  return makeStaff('sales', { chatIds: { telegram: String(seller.id) } });
}

describe('"Công ty của bạn?" in the Telegram intake', () => {
  it('is asked once the team has organizations; a bad tax code is refused, then the person joins the company with that tax code', async () => {
    const { user } = await salesOnTelegram();
    const org = await createOrganization(SYSTEM, { name: 'Công ty TNHH Thép Việt', taxCode: '0101234567', owner: String(user._id) });
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(prospect, '/start'));
    await bot.handleUpdate(textUpdate(prospect, 'Trần Thị Hoa'));
    await bot.handleUpdate(contactUpdate(prospect, '84912000111'));
    await bot.handleUpdate(textUpdate(prospect, 'Báo giá thép cuộn'));
    expect(tg.lastText(prospect.id)).toContain('Bạn làm ở công ty nào?');
    expect(tg.lastButtons(prospect.id).map((b) => b.text)).toEqual(['Bỏ qua']);

    await bot.handleUpdate(textUpdate(prospect, 'Thép Việt, MST 0101 2345'));
    expect(tg.lastText(prospect.id)).toContain('Mã số thuế "0101 2345" không hợp lệ');
    expect(await Customer.countDocuments()).toBe(0);

    await bot.handleUpdate(textUpdate(prospect, 'Thép Việt, MST 0101 234 567'));
    expect(tg.lastText(prospect.id)).toContain('Cảm ơn Trần Thị Hoa');
    const customer = await Customer.findOne().lean();
    expect(customer).toMatchObject({ name: 'Trần Thị Hoa', organization: org._id });
    expect(await Organization.countDocuments()).toBe(1);
  });

  it('is skippable by button or by typing "bỏ qua", and never asked while the team has no organization', async () => {
    await salesOnTelegram();
    const { bot, tg } = createTelegramTestBot();
    for (const text of ['/start', 'Hoa', '0912000222', 'Tư vấn']) await bot.handleUpdate(textUpdate(prospect, text));
    expect(tg.lastText(prospect.id)).toContain('Cảm ơn Hoa');
    expect(tg.texts(prospect.id).join('\n')).not.toContain('công ty nào');

    await createOrganization(SYSTEM, { name: 'Bất kỳ' });
    const other: TgUser = { id: 7102, first_name: 'Minh' };
    for (const text of ['/start', 'Minh', '0912000333', 'Tư vấn']) await bot.handleUpdate(textUpdate(other, text));
    expect(tg.lastText(other.id)).toContain('công ty nào');
    await bot.handleUpdate(textUpdate(other, 'bỏ qua'));
    expect(tg.lastText(other.id)).toContain('Cảm ơn Minh');
    expect((await Customer.findOne({ name: 'Minh' }).lean())!.organization).toBeUndefined();
  });
});

describe('staff /new with a company', () => {
  it('asks before joining a company found only by name, and creates another one when told it differs', async () => {
    const { user } = await salesOnTelegram();
    const existing = await createOrganization(SYSTEM, { name: 'Công ty Cổ phần Minh Long', owner: String(user._id) });
    const { bot, tg } = createTelegramTestBot();
    const create = async (name: string, phone: string, answer: string) => {
      for (const text of ['/new', name, phone, 'Mua gạch', 'Minh Long JSC']) await bot.handleUpdate(textUpdate(seller, text));
      expect(tg.lastText(seller.id)).toContain('Đã có tổ chức TC000001 · Công ty Cổ phần Minh Long');
      await bot.handleUpdate(buttonUpdate(seller, tg.buttonData(seller.id, answer)));
      await bot.handleUpdate(buttonUpdate(seller, tg.buttonData(seller.id, 'Bỏ qua')));
      return tg.lastText(seller.id);
    };
    const same = await create('Anh Tú', '0912000444', 'Đúng, công ty này');
    expect(same).toContain('🏢 Là liên hệ của TC000001 · Công ty Cổ phần Minh Long');
    expect((await Customer.findOne({ name: 'Anh Tú' }).lean())!.organization).toEqual(existing._id);

    const other = await create('Chị Mai', '0912000555', 'Không, công ty khác');
    expect(other).toContain('🏢 Là liên hệ của TC000002 · Minh Long JSC');
    expect(await Organization.countDocuments()).toBe(2);
  });
});

describe('/find and the organization card on Telegram', () => {
  it('finds an organization without diacritics and by tax code, lists its contacts, adds one and logs a call with a chosen contact', async () => {
    const { user, actor } = await salesOnTelegram();
    const org = await createOrganization(SYSTEM, { name: 'Công ty TNHH Đại Phát', taxCode: '0301112223', owner: String(user._id) });
    const director = await createCustomer(actor, { name: 'Nguyễn Văn Đức', phones: ['0912345678'] });
    await linkContact(SYSTEM, org._id, director._id, { jobTitle: 'Giám đốc', contactRole: 'decision_maker' });
    const accountant = await createCustomer(actor, { name: 'Lê Thu', phones: ['0987654321'] });
    const { bot, tg } = createTelegramTestBot();

    await bot.handleUpdate(textUpdate(seller, '/find dai phat'));
    const card = tg.lastText(seller.id);
    expect(card).toContain('🏢 TC000001 · Công ty TNHH Đại Phát');
    expect(card).toContain('MST: 0301112223');
    expect(card).toContain('• Nguyễn Văn Đức — Giám đốc (Người quyết định) · 0912 345 678');
    expect(tg.lastButtons(seller.id).map((b) => b.text)).toEqual(['➕ Thêm người liên hệ', '📝 Ghi tương tác', '💼 Cơ hội', '💬 Trao đổi']);
    await bot.handleUpdate(textUpdate(seller, '/find 0301112223'));
    expect(tg.lastText(seller.id)).toContain('🏢 TC000001 · Công ty TNHH Đại Phát');

    await bot.handleUpdate(buttonUpdate(seller, tg.buttonData(seller.id, 'Thêm người liên hệ')));
    await bot.handleUpdate(textUpdate(seller, '0987 654 321'));
    expect(tg.lastText(seller.id)).toContain('Vai trò của Lê Thu ở Công ty TNHH Đại Phát?');
    await bot.handleUpdate(buttonUpdate(seller, tg.buttonData(seller.id, 'Kế toán')));
    await bot.handleUpdate(textUpdate(seller, 'Kế toán trưởng'));
    expect(tg.lastText(seller.id)).toContain('✅ Lê Thu là người liên hệ của Công ty TNHH Đại Phát.');
    expect(tg.lastText(seller.id)).toContain('• Lê Thu — Kế toán trưởng (Kế toán) · 0987 654 321');
    expect(await Customer.findById(accountant._id).lean()).toMatchObject({ organization: org._id, jobTitle: 'Kế toán trưởng', contactRole: 'accountant' });

    await bot.handleUpdate(buttonUpdate(seller, tg.buttonData(seller.id, 'Ghi tương tác')));
    await bot.handleUpdate(buttonUpdate(seller, tg.buttonData(seller.id, 'Lê Thu')));
    await bot.handleUpdate(buttonUpdate(seller, tg.buttonData(seller.id, 'Gọi')));
    await bot.handleUpdate(buttonUpdate(seller, tg.buttonData(seller.id, 'Quan tâm')));
    await bot.handleUpdate(textUpdate(seller, 'Hẹn gửi hồ sơ thanh toán'));
    expect(await Interaction.findOne({ customer: accountant._id, type: 'call' }).lean()).toMatchObject({ outcome: 'interested', text: 'Hẹn gửi hồ sơ thanh toán' });
    // The customer card names the organization, with a button back to it.
    expect(tg.lastText(seller.id)).toContain('🏢 TC000001 · Công ty TNHH Đại Phát — Kế toán trưởng (Kế toán)');
    expect(tg.lastButtons(seller.id).map((b) => b.text)).toContain('🏢 Công ty TNHH Đại Phát');
  });

  it('does not show a salesperson an organization they neither own nor sell to', async () => {
    await salesOnTelegram();
    const { user: other } = await makeStaff('sales');
    await createOrganization(SYSTEM, { name: 'Hoàng Gia', taxCode: '0302222222', owner: String(other._id) });
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(seller, '/find hoang gia'));
    expect(tg.lastText(seller.id)).toContain('Không tìm thấy');
  });
});
