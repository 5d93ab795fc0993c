import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { Customer } from '../../models/customer.js';
import { Interaction } from '../../models/interaction.js';
import { buttonUpdate, createTelegramTestBot, textUpdate, type TgUser } from './telegramHarness.js';
import { useZaloBotChannel } from './zaloBotStaffChat.js';

useTestDatabase();

const askerTg: TgUser = { id: 6001, first_name: 'Bình' };
const ownerTg: TgUser = { id: 6002, first_name: 'An' };
const managerTg: TgUser = { id: 6003, first_name: 'Quân' };

/**
 * `/new` with a phone already on record: the salesperson learns at the phone step whose customer
 * it is, and is offered only what they may do — never a button that answers "Bạn không có quyền".
 */
describe('/new with a colleague\'s customer\'s phone, on Telegram', () => {
  async function team() {
    const owner = await makeStaff('sales', { name: 'An Phụ Trách', chatIds: { telegram: String(ownerTg.id) } });
    const asker = await makeStaff('sales', { name: 'Bình Hỏi', chatIds: { telegram: String(askerTg.id) } });
    const manager = await makeStaff('manager', { name: 'Quân Quản Lý', chatIds: { telegram: String(managerTg.id) }, takesNewLeads: false });
    const customer = await createCustomer(owner.actor, { name: 'Hồ Thị Mơ', phones: ['0938 111 222'] });
    return { owner, asker, manager, customer };
  }

  it('says who owns the customer at the phone step and offers to tell the owner or ask a manager', async () => {
    const { customer } = await team();
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(askerTg, '/new'));
    await bot.handleUpdate(textUpdate(askerTg, 'Mơ'));
    await bot.handleUpdate(textUpdate(askerTg, '0938111222'));

    expect(tg.lastText(askerTg.id)).toBe(`Số 0938 111 222 đã là của khách ${customer.code} · Hồ Thị Mơ, do An Phụ Trách phụ trách. Bạn có thể báo cho An Phụ Trách hoặc nhờ quản lý.`);
    expect(tg.lastButtons(askerTg.id).map((b) => b.text)).toEqual(['📣 Báo cho An Phụ Trách', '🙋 Nhờ quản lý']);
    // The flow ended here: nothing more is asked, nothing is created.
    expect(await Customer.countDocuments()).toBe(1);

    await bot.handleUpdate(buttonUpdate(askerTg, tg.buttonData(askerTg.id, 'Báo cho')));
    expect(tg.lastText(askerTg.id)).toBe(`✅ Đã báo cho An Phụ Trách về khách ${customer.code}.`);
    expect(tg.lastText(ownerTg.id)).toBe(`📣 Bình Hỏi hỏi về khách ${customer.code} · Hồ Thị Mơ của bạn (SĐT 0938 111 222).`);
  });

  it('sends "ask a manager" to the managers, who can open the customer from it', async () => {
    const { customer } = await team();
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(askerTg, '/new'));
    await bot.handleUpdate(textUpdate(askerTg, 'Mơ'));
    await bot.handleUpdate(textUpdate(askerTg, '+84938111222'));
    await bot.handleUpdate(buttonUpdate(askerTg, tg.buttonData(askerTg.id, 'Nhờ quản lý')));

    expect(tg.lastText(askerTg.id)).toBe(`✅ Đã gửi yêu cầu về khách ${customer.code} cho quản lý.`);
    expect(tg.lastText(managerTg.id)).toBe(`🙋 Bình Hỏi cần hỗ trợ về khách ${customer.code} · Hồ Thị Mơ (phụ trách: An Phụ Trách, SĐT 0938 111 222).`);
    await bot.handleUpdate(buttonUpdate(managerTg, tg.buttonData(managerTg.id, 'Mở thẻ')));
    expect(tg.lastText(managerTg.id)).toContain(`👤 ${customer.code} · Hồ Thị Mơ`);
    expect(tg.lastButtons(managerTg.id).map((b) => b.text)).toContain('👥 Giao cho');
  });

  it('never answers "Bạn không có quyền" to a button it offered', async () => {
    await team();
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(askerTg, '/new'));
    await bot.handleUpdate(textUpdate(askerTg, 'Mơ'));
    await bot.handleUpdate(textUpdate(askerTg, '0938111222'));
    const offered = tg.lastButtons(askerTg.id);
    for (const button of offered) {
      await bot.handleUpdate(buttonUpdate(askerTg, button.callback_data!));
      expect(tg.lastText(askerTg.id)).not.toContain('không có quyền');
    }
  });

  it('adds to their own customer instead: the name given and the need are kept, no second customer', async () => {
    const { owner, customer } = await team();
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(ownerTg, '/new'));
    await bot.handleUpdate(textUpdate(ownerTg, 'Chị Mơ Hồ'));
    await bot.handleUpdate(textUpdate(ownerTg, '0938 111 222'));
    expect(tg.lastText(ownerTg.id)).toContain(`đã là của khách ${customer.code} · Hồ Thị Mơ`);
    expect(tg.lastButtons(ownerTg.id).map((b) => b.text)).toEqual(['Bỏ qua', '📇 Mở thẻ', 'Huỷ']);
    await bot.handleUpdate(textUpdate(ownerTg, 'Muốn mua thêm căn thứ hai'));
    expect(tg.lastText(ownerTg.id)).toContain(`✅ Đã ghi thêm vào khách ${customer.code} · Hồ Thị Mơ.`);

    expect(await Customer.countDocuments()).toBe(1);
    const stored = (await Customer.findById(customer._id).lean())!;
    expect(stored).toMatchObject({ name: 'Hồ Thị Mơ', need: 'Muốn mua thêm căn thứ hai' });
    expect(String(stored.owner)).toBe(String(owner.user._id));
    const said = await Interaction.findOne({ customer: customer._id, type: 'message_in' }).lean();
    expect(said?.text).toBe('Khách xưng tên: Chị Mơ Hồ\nMuốn mua thêm căn thứ hai');
  });
});

describe('/new with a colleague\'s customer\'s phone, on Zalo Bot (typed replies)', () => {
  const zaloBot = useZaloBotChannel();

  it('offers the same two choices as numbers, and typing one tells the owner', async () => {
    const owner = await makeStaff('sales', { name: 'An Phụ Trách', chatIds: { zalo_bot: 'OWNER' } });
    await makeStaff('sales', { name: 'Bình Hỏi', chatIds: { zalo_bot: 'ASKER' } });
    const customer = await createCustomer(owner.actor, { name: 'Hồ Thị Mơ', phones: ['0938 111 222'] });
    const me = zaloBot.chat('ASKER');
    await me.say('/new');
    await me.say('Mơ');
    await me.say('0938 111 222');
    expect(me.text).toContain(`đã là của khách ${customer.code} · Hồ Thị Mơ, do An Phụ Trách phụ trách`);
    expect(me.text).toContain('1. 📣 Báo cho An Phụ Trách\n2. 🙋 Nhờ quản lý');
    await me.choose('Báo cho');
    expect(me.text).toContain('✅ Đã báo cho An Phụ Trách');
    const toOwner = zaloBot.sentTo('OWNER');
    expect(toOwner).toContain(`📣 Bình Hỏi hỏi về khách ${customer.code} · Hồ Thị Mơ của bạn`);
  });
});
