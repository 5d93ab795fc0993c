import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { captureLead } from '../../crm/customers/captureLead.js';
import { Customer } from '../../models/customer.js';
import { Interaction } from '../../models/interaction.js';
import { Source } from '../../models/source.js';
import { ChatSession } from '../../models/chatSession.js';
import { buttonUpdate, contactUpdate, createTelegramTestBot, textUpdate, type TgUser } from './telegramHarness.js';

useTestDatabase();

const prospect: TgUser = { id: 7001, first_name: 'Lan' };
const SALES_CHAT = '5001';

async function salesWithTelegram() {
  return makeStaff('sales', { chatIds: { telegram: SALES_CHAT } });
}

describe('Telegram lead intake', () => {
  it('greets a new prospect from an ad link, asks name, phone and need, captures the lead and alerts the owner with the card', async () => {
    const { user: sales } = await salesWithTelegram();
    const { bot, tg } = createTelegramTestBot();

    await bot.handleUpdate(textUpdate(prospect, '/start src_facebook'));
    const [greeting, askName] = tg.texts(prospect.id);
    expect(greeting).toContain('Xin chào');
    expect(greeting).toContain('chot');
    expect(askName).toBe('Bạn tên là gì?');
    expect(tg.lastButtons(prospect.id).map((b) => b.text)).toEqual(['Bỏ qua']);

    await bot.handleUpdate(textUpdate(prospect, 'Nguyễn Thị Lan'));
    const phoneQuestion = tg.lastMessage(prospect.id);
    expect(phoneQuestion.text).toContain('Số điện thoại');
    expect(phoneQuestion.reply_markup.keyboard[0][0]).toEqual({ text: '📱 Chia sẻ số điện thoại', request_contact: true });

    await bot.handleUpdate(contactUpdate(prospect, '84912345678'));
    expect(tg.lastText(prospect.id)).toBe('Bạn cần tư vấn về điều gì?');
    expect(tg.lastMessage(prospect.id).reply_markup).toMatchObject({ inline_keyboard: [[{ text: 'Bỏ qua', callback_data: 'skip' }]] });

    await bot.handleUpdate(textUpdate(prospect, 'Mua căn hộ 2 phòng ngủ'));
    expect(tg.lastText(prospect.id)).toContain('Cảm ơn Nguyễn Thị Lan');

    const customer = await Customer.findOne().lean();
    expect(customer).toMatchObject({ name: 'Nguyễn Thị Lan', phones: ['+84912345678'], need: 'Mua căn hộ 2 phòng ngủ' });
    expect(customer?.chatIds?.telegram).toBe(String(prospect.id));
    expect(String(customer?.owner)).toBe(String(sales._id));
    expect(String(customer?.source)).toBe(String((await Source.findOne({ code: 'facebook' }))!._id));

    const alert = tg.lastMessage(SALES_CHAT);
    // The lead's source (the ad) first, then where they wrote.
    expect(alert.text).toContain('🆕 Khách mới từ Facebook (nhắn qua Telegram)');
    expect(alert.text).toContain(`${customer!.code} · Nguyễn Thị Lan`);
    expect(alert.text).toContain('0912 345 678');
    const labels = tg.buttons(alert).map((b) => b.text);
    expect(labels).toEqual(expect.arrayContaining(['📞 Gọi', '🤝 Gặp', '📝 Ghi chú', '🔀 Đổi giai đoạn', '⏰ Hẹn', '↩️ Nhắn khách']));
    expect(labels).not.toContain('👥 Giao cho');
    expect(await ChatSession.findOne({ channel: 'telegram', chatId: String(prospect.id) }).lean()).toMatchObject({ data: {} });
  });

  it('merges a returning customer whose phone is typed in another format, keeping the owner', async () => {
    const { user: first } = await salesWithTelegram();
    await makeStaff('sales');
    const existing = await captureLead({ channel: 'web', chatId: 'visitor-1', name: 'Trần Văn Bình', phone: '0987 654 321' });
    const { bot, tg } = createTelegramTestBot();
    const binh: TgUser = { id: 7002, first_name: 'Bình' };

    await bot.handleUpdate(textUpdate(binh, 'xin chào'));
    await bot.handleUpdate(textUpdate(binh, 'Bình'));
    await bot.handleUpdate(textUpdate(binh, '+84 987.654.321'));
    await bot.handleUpdate(buttonUpdate(binh, 'skip'));

    expect(await Customer.countDocuments()).toBe(1);
    const stored = await Customer.findById(existing.customer._id).lean();
    expect(stored?.chatIds).toMatchObject({ web: 'visitor-1', telegram: String(binh.id) });
    expect(String(stored?.owner)).toBe(String(first._id));
    expect(tg.lastText(SALES_CHAT)).toContain('🔁 Khách cũ nhắn lại từ Telegram');
    // The first words a prospect wrote are kept as their message, with the name they gave now.
    expect(await Interaction.exists({ customer: existing.customer._id, type: 'message_in', text: 'Khách xưng tên: Bình\nxin chào' })).toBeTruthy();
  });

  it('handles an update delivered twice only once', async () => {
    await salesWithTelegram();
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(prospect, '/start'));
    await bot.handleUpdate(textUpdate(prospect, 'Lan'));
    await bot.handleUpdate(textUpdate(prospect, '0912345678'));
    const last = textUpdate(prospect, 'Tư vấn bảo hiểm');
    await bot.handleUpdate(last);
    const sentBefore = tg.calls.length;
    await bot.handleUpdate(structuredClone(last));

    expect(tg.calls.length).toBe(sentBefore);
    expect(await Customer.countDocuments()).toBe(1);
    expect(await Interaction.countDocuments({ type: 'message_in' })).toBe(1);
    // The claim lives in the chat's session, with the chat freed again for its next update.
    const session = await ChatSession.findOne({ channel: 'telegram', chatId: String(prospect.id) }).lean();
    expect(session?.seenUpdates?.filter((id) => id === String(last.update_id))).toHaveLength(1);
    expect(session?.leaseHolder).toBeUndefined();
    expect(tg.texts(SALES_CHAT)).toHaveLength(1);
  });

  it('accepts answers in any order: a phone typed when the name is asked, or both in one message', async () => {
    await salesWithTelegram();
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(prospect, '/start'));
    await bot.handleUpdate(textUpdate(prospect, '0912 345 678'));
    expect(tg.lastText(prospect.id)).toBe('Bạn tên là gì?');
    await bot.handleUpdate(textUpdate(prospect, 'Lan'));
    expect(tg.lastText(prospect.id)).toBe('Bạn cần tư vấn về điều gì?');

    const other: TgUser = { id: 7003, first_name: 'Minh' };
    await bot.handleUpdate(textUpdate(other, '/start'));
    await bot.handleUpdate(textUpdate(other, 'Em tên Minh, sđt 0903 111 222'));
    expect(tg.lastText(other.id)).toBe('Bạn cần tư vấn về điều gì?');
    await bot.handleUpdate(textUpdate(other, 'Báo giá xe'));
    expect(await Customer.findOne({ phones: '+84903111222' }).lean()).toMatchObject({ name: 'Em tên Minh, sđt', need: 'Báo giá xe' });
  });

  it('takes a sentence typed where the name is asked as the need, and still asks the name', async () => {
    await salesWithTelegram();
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(prospect, '/start'));
    await bot.handleUpdate(textUpdate(prospect, 'Mình muốn xem căn hộ 2 phòng ngủ ở quận 7'));
    expect(tg.lastText(prospect.id)).toBe('Bạn tên là gì?');
    await bot.handleUpdate(textUpdate(prospect, 'Lan'));
    await bot.handleUpdate(textUpdate(prospect, '0912345678'));
    expect(await Customer.findOne().lean()).toMatchObject({ name: 'Lan', need: 'Mình muốn xem căn hộ 2 phòng ngủ ở quận 7' });
  });

  it('handles two messages of one chat arriving at once in order', async () => {
    await salesWithTelegram();
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(prospect, '/start'));
    await Promise.all([bot.handleUpdate(textUpdate(prospect, 'Lan')), bot.handleUpdate(textUpdate(prospect, '0912345678'))]);
    expect(tg.lastText(prospect.id)).toBe('Bạn cần tư vấn về điều gì?');
    await bot.handleUpdate(textUpdate(prospect, 'Nhà phố'));
    expect(await Customer.findOne().lean()).toMatchObject({ name: 'Lan', phones: ['+84912345678'], need: 'Nhà phố' });
  });

  it('lets every step be skipped by button or by typing the number or word of the option', async () => {
    await salesWithTelegram();
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(prospect, '/start'));
    await bot.handleUpdate(textUpdate(prospect, '1'));
    expect(tg.lastText(prospect.id)).toContain('Số điện thoại');
    await bot.handleUpdate(textUpdate(prospect, 'bo qua'));
    expect(tg.lastText(prospect.id)).toBe('Bạn cần tư vấn về điều gì?');
    await bot.handleUpdate(buttonUpdate(prospect, 'skip'));
    expect(tg.lastText(prospect.id)).toContain('Cảm ơn bạn');
    const customer = await Customer.findOne().lean();
    // No name given: the Telegram display name is used; the chat account is the way back.
    expect(customer).toMatchObject({ name: 'Lan', phones: [] });
    expect(customer?.chatIds?.telegram).toBe(String(prospect.id));
  });

  it('refuses an invalid phone with an example and asks again, storing nothing', async () => {
    await salesWithTelegram();
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(prospect, '/start'));
    await bot.handleUpdate(textUpdate(prospect, 'Lan'));
    await bot.handleUpdate(textUpdate(prospect, '12345'));
    const answer = tg.lastMessage(prospect.id);
    expect(answer.text).toContain('"12345" không hợp lệ');
    expect(answer.text).toContain('0912 345 678');
    expect(answer.reply_markup.keyboard[0][0].request_contact).toBe(true);
    expect(await Customer.countDocuments()).toBe(0);
    await bot.handleUpdate(textUpdate(prospect, '0912345678'));
    expect(tg.lastText(prospect.id)).toBe('Bạn cần tư vấn về điều gì?');
  });

  it('copes with hostile and odd input: a 5,000-character message, emoji and {"$gt": ""}', async () => {
    await salesWithTelegram();
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(prospect, '/start'));
    await bot.handleUpdate(textUpdate(prospect, 'x'.repeat(5000)));
    expect(tg.lastText(prospect.id)).toContain('dài quá');
    await bot.handleUpdate(textUpdate(prospect, 'Lan 🌸'));
    await bot.handleUpdate(buttonUpdate(prospect, 'skip'));
    await bot.handleUpdate(buttonUpdate(prospect, '{"$gt": ""}'));
    expect(tg.lastText(prospect.id)).toBe('Bạn cần tư vấn về điều gì?');
    await bot.handleUpdate(textUpdate(prospect, '{"$gt": ""}'));
    expect(tg.lastText(prospect.id)).toContain('Cảm ơn Lan 🌸');
    const customers = await Customer.find().lean();
    expect(customers).toHaveLength(1);
    expect(customers[0]).toMatchObject({ name: 'Lan 🌸', need: '{"$gt": ""}', phones: [] });
  });

  it('keeps a half-finished intake across a restart', async () => {
    await salesWithTelegram();
    const before = createTelegramTestBot();
    await before.bot.handleUpdate(textUpdate(prospect, '/start'));
    await before.bot.handleUpdate(textUpdate(prospect, 'Lan'));
    const after = createTelegramTestBot();
    await after.bot.handleUpdate(textUpdate(prospect, '0912345678'));
    expect(after.tg.lastText(prospect.id)).toBe('Bạn cần tư vấn về điều gì?');
    await after.bot.handleUpdate(textUpdate(prospect, 'Nhà phố'));
    expect(await Customer.findOne().lean()).toMatchObject({ name: 'Lan', phones: ['+84912345678'], need: 'Nhà phố' });
  });

  it('logs later messages from the lead and forwards them to the owner', async () => {
    await salesWithTelegram();
    const { bot, tg } = createTelegramTestBot();
    for (const text of ['/start', 'Lan', '0912345678', 'Nhà phố']) await bot.handleUpdate(textUpdate(prospect, text));
    tg.clear();
    await bot.handleUpdate(textUpdate(prospect, 'Cho em hỏi giá căn góc?'));
    expect(tg.texts(prospect.id)).toEqual([]);
    const forwarded = tg.lastMessage(SALES_CHAT);
    expect(forwarded.text).toContain('Lan:\nCho em hỏi giá căn góc?');
    expect(tg.buttons(forwarded).map((b) => b.text)).toEqual(['↩️ Nhắn khách', '📇 Mở thẻ']);
    const customer = await Customer.findOne().lean();
    expect(await Interaction.exists({ customer: customer!._id, type: 'message_in', text: 'Cho em hỏi giá căn góc?', channel: 'telegram' })).toBeTruthy();
    // Pressing Start again greets them back instead of a second intake.
    await bot.handleUpdate(textUpdate(prospect, '/start'));
    expect(tg.lastText(prospect.id)).toContain('quay lại');
    expect(await Customer.countDocuments()).toBe(1);
  });

  it('a customer who replies "Hủy" or /stop is opted out of campaigns on every channel and told so', async () => {
    await salesWithTelegram();
    const { bot, tg } = createTelegramTestBot();
    for (const text of ['/start', 'Lan', '0912345678', 'Nhà phố']) await bot.handleUpdate(textUpdate(prospect, text));
    await bot.handleUpdate(textUpdate(prospect, 'Hủy'));
    expect(tg.lastText(prospect.id)).toContain('không gửi tin khuyến mãi cho bạn nữa, qua mọi kênh');
    const customer = await Customer.findOne().lean();
    // Stopping on one channel stops them all: the other chats, email, ZNS and SMS.
    for (const channel of ['telegram', 'zalo_oa', 'web', 'email', 'zns', 'sms'] as const) expect(customer?.optedOut?.[channel]).toBe(true);
    // A stranger typing /stop is not a customer: nothing to opt out, nothing stored.
    const stranger: TgUser = { id: 7999, first_name: 'Ai đó' };
    await bot.handleUpdate(textUpdate(stranger, '/stop'));
    expect(await Customer.countDocuments()).toBe(1);
  });

  it('tells a stranger that staff commands are for linked staff', async () => {
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(prospect, '/today'));
    expect(tg.lastText(prospect.id)).toContain('/link');
    await bot.handleUpdate(textUpdate(prospect, '/find Lan'));
    expect(tg.lastText(prospect.id)).toContain('dành cho nhân viên');
    expect(await Customer.countDocuments()).toBe(0);
  });

  it('switches a prospect to English with /lang', async () => {
    await salesWithTelegram();
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(prospect, '/lang'));
    expect(tg.lastButtons(prospect.id).map((b) => b.text)).toEqual(['Tiếng Việt', 'English']);
    await bot.handleUpdate(buttonUpdate(prospect, 'lang:en'));
    expect(tg.lastText(prospect.id)).toBe('Switched to English.');
    await bot.handleUpdate(textUpdate(prospect, '/start'));
    expect(tg.texts(prospect.id).slice(-2)).toEqual([expect.stringContaining('Hello! This is chot'), 'What is your name?']);
  });
});
