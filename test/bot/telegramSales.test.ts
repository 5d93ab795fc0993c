import { DateTime } from 'luxon';
import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { captureLead } from '../../crm/customers/captureLead.js';
import { issueLinkCode } from '../../crm/users/users.js';
import { SYSTEM } from '../../crm/users/actor.js';
import { Customer } from '../../models/customer.js';
import { Interaction } from '../../models/interaction.js';
import { Stage } from '../../models/stage.js';
import { StageChange } from '../../models/stageChange.js';
import { Deal } from '../../models/deal.js';
import { FollowUp } from '../../models/followUp.js';
import { User } from '../../models/user.js';
import { buttonUpdate, createTelegramTestBot, replyUpdate, textUpdate, type TgUser } from './telegramHarness.js';

useTestDatabase();

const zone = 'Asia/Ho_Chi_Minh';
const salesTg: TgUser = { id: 5001, first_name: 'Hà' };
const managerTg: TgUser = { id: 5002, first_name: 'Quân' };
const otherSalesTg: TgUser = { id: 5003, first_name: 'Tú' };
const customerTg: TgUser = { id: 7001, first_name: 'Đức' };

async function team() {
  const sales = await makeStaff('sales', { chatIds: { telegram: String(salesTg.id) }, name: 'Hà Sales' });
  const other = await makeStaff('sales', { chatIds: { telegram: String(otherSalesTg.id) }, name: 'Tú Sales' });
  const manager = await makeStaff('manager', { chatIds: { telegram: String(managerTg.id) }, name: 'Quân Manager', takesNewLeads: false });
  return { sales, other, manager };
}

describe('Telegram sales commands and the customer card', () => {
  it('finds a customer without diacritics and shows the card with its actions', async () => {
    const { sales } = await team();
    await createCustomer(sales.actor, { name: 'Nguyễn Văn Đức', phones: ['0912345678'], need: 'Căn hộ 2PN' });
    await createCustomer(sales.actor, { name: 'Nguyễn Văn Đạt', phones: ['0912000111'] });
    const { bot, tg } = createTelegramTestBot();

    await bot.handleUpdate(textUpdate(salesTg, '/find nguyen van'));
    expect(tg.lastText(salesTg.id)).toContain('Kết quả cho "nguyen van"');
    expect(tg.lastButtons(salesTg.id).map((b) => b.text).sort()).toEqual(['KH000001 · Nguyễn Văn Đức', 'KH000002 · Nguyễn Văn Đạt']);

    await bot.handleUpdate(textUpdate(salesTg, '/find duc'));
    const card = tg.lastMessage(salesTg.id);
    expect(card.text).toContain('👤 KH000001 · Nguyễn Văn Đức');
    expect(card.text).toContain('📞 0912 345 678');
    expect(card.text).toContain('Giai đoạn: Mới');
    expect(card.text).toContain('Phụ trách: Hà Sales');
    expect(card.text).toContain('Nhu cầu: Căn hộ 2PN');
    expect(tg.buttons(card).map((b) => b.text)).toEqual(['📞 Gọi', '🤝 Gặp', '✉️ Email', '💬 SMS', '📝 Ghi chú', '🔀 Đổi giai đoạn', '⏰ Hẹn', '🎂 Sinh nhật', '📄 Báo giá', '💬 Trao đổi', '📜 Lịch sử', '👥 Người theo dõi']);

    // Plain text with no flow in progress is a search too; a phone's last digits work.
    await bot.handleUpdate(textUpdate(salesTg, '000111'));
    expect(tg.lastText(salesTg.id)).toContain('Nguyễn Văn Đạt');
    await bot.handleUpdate(textUpdate(salesTg, '/find không có ai'));
    expect(tg.lastText(salesTg.id)).toContain('Không tìm thấy');
  });

  it('logs a call with an outcome and a note from the card buttons', async () => {
    const { sales } = await team();
    const customer = await createCustomer(sales.actor, { name: 'Lê Thị Mai', phones: ['0912345678'] });
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(salesTg, '/find mai'));
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Gọi')));
    expect(tg.lastText(salesTg.id)).toBe('Kết quả cuộc gọi với Lê Thị Mai?');
    expect(tg.lastButtons(salesTg.id).map((b) => b.text)).toEqual(['Đã liên lạc được', 'Quan tâm', 'Không quan tâm', 'Không nghe máy', 'Hẹn gọi lại', 'Bỏ qua']);
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Quan tâm')));
    expect(tg.lastText(salesTg.id)).toContain('Ghi chú thêm');
    await bot.handleUpdate(textUpdate(salesTg, 'Gửi báo giá qua Zalo'));
    expect(tg.lastText(salesTg.id)).toContain('✅ Đã ghi cuộc gọi cho Lê Thị Mai.');
    expect(tg.lastText(salesTg.id)).toContain('cuộc gọi — Quan tâm: Gửi báo giá qua Zalo');

    const logged = await Interaction.findOne({ customer: customer._id, type: 'call' }).lean();
    expect(logged).toMatchObject({ outcome: 'interested', text: 'Gửi báo giá qua Zalo', countsAsContact: true });
    expect(String(logged?.user)).toBe(String(sales.user._id));
    expect((await Customer.findById(customer._id).lean())?.lastContactAt).toBeInstanceOf(Date);
  });

  it('does every card action by typing numbers and words only, as on a channel without buttons', async () => {
    const { sales } = await team();
    const customer = await createCustomer(sales.actor, { name: 'Phạm Hùng', phones: ['0912345678'] });
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(salesTg, '/find hung'));
    // 2 = meeting, then outcome 1 = reached, then skip the note by typing the word.
    await bot.handleUpdate(textUpdate(salesTg, '2'));
    expect(tg.lastText(salesTg.id)).toContain('cuộc gặp');
    await bot.handleUpdate(textUpdate(salesTg, '1'));
    await bot.handleUpdate(textUpdate(salesTg, 'bỏ qua'));
    expect(tg.lastText(salesTg.id)).toContain('✅ Đã ghi cuộc gặp');
    // 3 = email, 4 = SMS, 5 = note, each from the card shown again after the previous one.
    await bot.handleUpdate(textUpdate(salesTg, '3'));
    await bot.handleUpdate(textUpdate(salesTg, 'không nghe máy'));
    await bot.handleUpdate(textUpdate(salesTg, 'Đã gửi brochure'));
    await bot.handleUpdate(textUpdate(salesTg, '4'));
    await bot.handleUpdate(textUpdate(salesTg, '6'));
    await bot.handleUpdate(textUpdate(salesTg, 'SMS nhắc lịch'));
    await bot.handleUpdate(textUpdate(salesTg, '5'));
    expect(tg.lastText(salesTg.id)).toBe('Nội dung ghi chú cho Phạm Hùng:');
    await bot.handleUpdate(textUpdate(salesTg, 'Khách thích tầng cao'));
    const types = (await Interaction.find({ customer: customer._id }).sort({ createdAt: 1 }).lean()).map((i) => [i.type, i.outcome ?? null, i.text ?? null]);
    expect(types).toEqual([
      ['meeting', 'reached', null],
      ['email', 'no_answer', 'Đã gửi brochure'],
      ['sms', null, 'SMS nhắc lịch'],
      ['note', null, 'Khách thích tầng cao'],
    ]);
    // 6 = change stage: the stages in their configured order, without the automatic dormant one.
    await bot.handleUpdate(textUpdate(salesTg, '6'));
    expect(tg.lastButtons(salesTg.id).map((b) => b.text)).toEqual(['• Mới', 'Tiếp cận', 'Nóng', 'Tiềm năng', 'Mất', 'Chốt']);
    await bot.handleUpdate(textUpdate(salesTg, 'tiem nang'));
    expect(tg.lastText(salesTg.id)).toContain('✅ Phạm Hùng: Mới → Tiềm năng.');
    // 7 = follow up.
    await bot.handleUpdate(textUpdate(salesTg, '7'));
    await bot.handleUpdate(textUpdate(salesTg, '3 ngày nữa'));
    // 1 = no repeat, then 1 = skip the note.
    await bot.handleUpdate(textUpdate(salesTg, '1'));
    await bot.handleUpdate(textUpdate(salesTg, '1'));
    expect(tg.lastText(salesTg.id)).toContain('⏰ Đã hẹn Phạm Hùng');
    expect(await FollowUp.countDocuments({ customer: customer._id, status: 'scheduled' })).toBe(1);
  });

  it('changes stage, asking the deal amount for a won stage and refusing a bad amount', async () => {
    const { sales } = await team();
    const customer = await createCustomer(sales.actor, { name: 'Võ Thanh', phones: ['0912345678'] });
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(buttonUpdate(salesTg, `s:${customer._id}`));
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Nóng')));
    expect(tg.lastText(salesTg.id)).toContain('Mới → Nóng');
    await bot.handleUpdate(buttonUpdate(salesTg, `s:${customer._id}`));
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Chốt')));
    expect(tg.lastText(salesTg.id)).toContain('Giá trị hợp đồng với Võ Thanh');
    await bot.handleUpdate(textUpdate(salesTg, 'nhiều lắm'));
    expect(tg.lastText(salesTg.id)).toContain('Số tiền không hợp lệ');
    await bot.handleUpdate(textUpdate(salesTg, '1,5 tỷ'));
    expect(tg.lastText(salesTg.id)).toContain('Nóng → Chốt, hợp đồng 1.500.000.000');

    const won = await Stage.findOne({ code: 'chot' }).lean();
    expect(String((await Customer.findById(customer._id).lean())?.stage)).toBe(String(won!._id));
    expect(await StageChange.countDocuments({ customer: customer._id })).toBe(2);
    expect(await Deal.findOne({ customer: customer._id }).lean()).toMatchObject({ amount: 1_500_000_000 });

    // The monthly stats count the won deal and its revenue.
    await bot.handleUpdate(textUpdate(salesTg, '/stats'));
    expect(tg.lastText(salesTg.id)).toMatch(/Hợp đồng chốt: 1\n• Doanh thu: 1\.500\.000\.000/);
  });

  it('a won stage can be set without an amount', async () => {
    const { sales } = await team();
    const customer = await createCustomer(sales.actor, { name: 'Đỗ Minh' });
    const won = await Stage.findOne({ code: 'chot' }).lean();
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(buttonUpdate(salesTg, `ss:${customer._id}:${won!._id}`));
    await bot.handleUpdate(buttonUpdate(salesTg, 'skip'));
    expect(tg.lastText(salesTg.id)).toContain('Mới → Chốt.');
    expect(await Deal.countDocuments()).toBe(0);
  });

  it('schedules a follow-up from a Vietnamese time phrase, asking again for one it does not understand', async () => {
    const { sales } = await team();
    const customer = await createCustomer(sales.actor, { name: 'Trần An', phones: ['0912345678'] });
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(buttonUpdate(salesTg, `f:${customer._id}`));
    expect(tg.lastText(salesTg.id)).toContain('mai 9h, 9h sáng mai, thứ 6 14h30');
    await bot.handleUpdate(textUpdate(salesTg, 'khi nào rảnh'));
    expect(tg.lastText(salesTg.id)).toContain('Chưa hiểu thời gian "khi nào rảnh"');
    await bot.handleUpdate(textUpdate(salesTg, '9h sáng mai'));
    expect(tg.lastText(salesTg.id)).toContain('Lặp lại?');
    await bot.handleUpdate(buttonUpdate(salesTg, 'rp:none'));
    expect(tg.lastText(salesTg.id)).toContain('Nội dung cần làm');
    await bot.handleUpdate(textUpdate(salesTg, 'Gọi chốt lịch xem nhà'));
    expect(tg.lastText(salesTg.id)).toContain('⏰ Đã hẹn Trần An');

    const followUp = await FollowUp.findOne({ customer: customer._id }).lean();
    const expected = DateTime.now().setZone(zone).startOf('day').plus({ days: 1 }).set({ hour: 9 });
    expect(followUp?.dueAt.toISOString()).toBe(expected.toJSDate().toISOString());
    expect(followUp).toMatchObject({ note: 'Gọi chốt lịch xem nhà', status: 'scheduled' });
    expect(String(followUp?.owner)).toBe(String(sales.user._id));
    expect(tg.lastText(salesTg.id)).toContain('Gọi chốt lịch xem nhà');
  });

  it('schedules a follow-up from an English phrase for a staff user who chose English', async () => {
    const { sales } = await team();
    const customer = await createCustomer(sales.actor, { name: 'Tran An' });
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(salesTg, '/lang'));
    await bot.handleUpdate(textUpdate(salesTg, 'English'));
    expect(tg.lastText(salesTg.id)).toBe('Switched to English.');
    expect((await User.findById(sales.user._id).lean())?.language).toBe('en');
    await bot.handleUpdate(buttonUpdate(salesTg, `f:${customer._id}`));
    expect(tg.lastText(salesTg.id)).toContain('tomorrow 9am, in 2 hours');
    await bot.handleUpdate(textUpdate(salesTg, 'in 2 hours'));
    await bot.handleUpdate(textUpdate(salesTg, 'no'));
    await bot.handleUpdate(buttonUpdate(salesTg, 'skip'));
    expect(tg.lastText(salesTg.id)).toContain('Follow-up with Tran An set for');
    const followUp = await FollowUp.findOne({ customer: customer._id }).lean();
    expect(Math.abs(followUp!.dueAt.getTime() - (Date.now() + 2 * 3600_000))).toBeLessThan(60_000);
  });

  it('lets a manager reassign a customer, and tells the new owner with the card', async () => {
    const { sales, other } = await team();
    const customer = await createCustomer(sales.actor, { name: 'Hoàng Yến', phones: ['0912345678'] });
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(managerTg, '/find hoang yen'));
    await bot.handleUpdate(buttonUpdate(managerTg, tg.buttonData(managerTg.id, 'Giao cho')));
    expect(tg.lastButtons(managerTg.id).map((b) => b.text)).toEqual(['Quân Manager', 'Tú Sales']);
    await bot.handleUpdate(buttonUpdate(managerTg, tg.buttonData(managerTg.id, 'Tú Sales')));
    expect(tg.lastText(managerTg.id)).toBe('✅ Đã giao Hoàng Yến cho Tú Sales.');
    expect(String((await Customer.findById(customer._id).lean())?.owner)).toBe(String(other.user._id));
    expect(tg.lastText(otherSalesTg.id)).toContain('Quân Manager đã giao khách Hoàng Yến cho bạn');
    expect(tg.lastText(otherSalesTg.id)).toContain('👤 KH000001 · Hoàng Yến');
  });

  it('never lets a sales user see or change another owner\'s customer, by button, id or search', async () => {
    const { other } = await team();
    const theirs = await createCustomer(other.actor, { name: 'Khách Của Tú', phones: ['0912345678'] });
    const stage = await Stage.findOne({ code: 'nong' }).lean();
    const { bot, tg } = createTelegramTestBot();
    for (const data of [`c:${theirs._id}`, `l:call:${theirs._id}`, `s:${theirs._id}`, `ss:${theirs._id}:${stage!._id}`, `f:${theirs._id}`, `m:${theirs._id}`, `r:${theirs._id}`, `ro:${theirs._id}:${other.user._id}`]) {
      tg.clear();
      await bot.handleUpdate(buttonUpdate(salesTg, data));
      expect(tg.texts(salesTg.id)).toEqual(['Bạn không có quyền với khách hàng hoặc thao tác này.']);
    }
    await bot.handleUpdate(textUpdate(salesTg, '/find Khach cua tu'));
    expect(tg.lastText(salesTg.id)).toContain('Không tìm thấy');
    await bot.handleUpdate(textUpdate(salesTg, '0912345678'));
    expect(tg.lastText(salesTg.id)).toContain('Không tìm thấy');
    expect(await Interaction.countDocuments()).toBe(0);
    expect(await StageChange.countDocuments()).toBe(0);
    // Malformed ids and injection attempts in button data are refused the same way, never queried.
    for (const data of ['c:{"$gt":""}', 'c:', 'ss::', 'l:call:nope', 'zz:1']) {
      tg.clear();
      await bot.handleUpdate(buttonUpdate(salesTg, data));
      expect(tg.texts(salesTg.id)).toHaveLength(1);
    }
  });

  it('relays a salesperson\'s reply to the customer on Telegram, from the card and by replying to a forwarded message', async () => {
    const { sales } = await team();
    const lead = await captureLead({ channel: 'telegram', chatId: String(customerTg.id), name: 'Đức', phone: '0912345678' });
    expect(String(lead.owner?._id)).toBe(String(sales.user._id));
    const { bot, tg } = createTelegramTestBot();

    await bot.handleUpdate(buttonUpdate(salesTg, `m:${lead.customer._id}`));
    expect(tg.lastText(salesTg.id)).toBe('Gõ tin nhắn gửi Đức:');
    await bot.handleUpdate(textUpdate(salesTg, 'Chào anh Đức, em gửi báo giá nhé'));
    expect(tg.lastText(customerTg.id)).toBe('Chào anh Đức, em gửi báo giá nhé');
    expect(tg.lastText(salesTg.id)).toBe('✅ Đã gửi cho Đức.');

    // The customer answers: forwarded to the owner; the owner answers with Telegram's reply.
    await bot.handleUpdate(textUpdate(customerTg, 'Giá bao nhiêu vậy em?'));
    expect(tg.lastText(salesTg.id)).toContain('Giá bao nhiêu vậy em?');
    const forwardedId = tg.lastMessageId(salesTg.id);
    // Something else arrives in between: the reply still goes to the customer it refers to.
    await bot.handleUpdate(textUpdate(salesTg, '/today'));
    await bot.handleUpdate(replyUpdate(salesTg, '2 tỷ anh nhé', forwardedId));
    expect(tg.lastText(customerTg.id)).toBe('2 tỷ anh nhé');

    const kinds = (await Interaction.find({ customer: lead.customer._id }).sort({ createdAt: 1 }).lean()).map((i) => [i.type, i.text]);
    expect(kinds).toEqual([
      ['message_in', undefined],
      ['message_out', 'Chào anh Đức, em gửi báo giá nhé'],
      ['message_in', 'Giá bao nhiêu vậy em?'],
      ['message_out', '2 tỷ anh nhé'],
    ]);
    // The salesperson's own Telegram account is never shown to the customer.
    expect(tg.texts(customerTg.id).join(' ')).not.toContain(String(salesTg.id));
  });

  it('tells the salesperson when the customer blocked the bot, and marks the customer unreachable there', async () => {
    const { sales } = await team();
    const lead = await captureLead({ channel: 'telegram', chatId: String(customerTg.id), name: 'Đức', phone: '0912345678' });
    expect(String(lead.owner?._id)).toBe(String(sales.user._id));
    const { bot, tg } = createTelegramTestBot();
    tg.failures.set(String(customerTg.id), { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    await bot.handleUpdate(buttonUpdate(salesTg, `m:${lead.customer._id}`));
    await bot.handleUpdate(textUpdate(salesTg, 'Anh ơi?'));
    expect(tg.lastText(salesTg.id)).toBe('❌ Không gửi được: Đức đã chặn hoặc bỏ theo dõi kênh này.');
    expect((await Customer.findById(lead.customer._id).lean())?.unreachable?.telegram).toBe(true);
    expect(await Interaction.countDocuments({ type: 'message_out' })).toBe(0);
    // Tried again later: told at once, without another call to Telegram.
    tg.clear();
    await bot.handleUpdate(buttonUpdate(salesTg, `m:${lead.customer._id}`));
    await bot.handleUpdate(textUpdate(salesTg, 'Anh ơi?'));
    expect(tg.lastText(salesTg.id)).toContain('đã chặn');
    expect(tg.texts(customerTg.id)).toEqual([]);
  });

  it('classifies Telegram errors: 403 is blocked, 429 is rate limited with the wait', async () => {
    const { tg, notifier } = createTelegramTestBot();
    const sender = notifier.sender('telegram')!;
    tg.failures.set('1', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    tg.failures.set('2', { error_code: 429, description: 'Too Many Requests: retry after 120', parameters: { retry_after: 120 } });
    tg.failures.set('3', { error_code: 400, description: 'Bad Request: chat not found' });
    expect(await sender.send('1', [{ text: 'x' }])).toMatchObject({ ok: false, reason: 'blocked' });
    expect(await sender.send('2', [{ text: 'x' }])).toMatchObject({ ok: false, reason: 'rate_limited', retryAfterSeconds: 120 });
    expect(await sender.send('3', [{ text: 'x' }])).toMatchObject({ ok: false, reason: 'error' });
    expect(await sender.send('4', [{ text: 'a' }, { text: 'b' }])).toEqual({ ok: true, messageIds: [expect.any(String), expect.any(String)] });
  });

  it('creates a customer step by step with /new, re-asking an invalid phone and pointing to an existing one', async () => {
    const { sales } = await team();
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(salesTg, '/new'));
    expect(tg.lastText(salesTg.id)).toContain('Tên khách hàng?');
    await bot.handleUpdate(textUpdate(salesTg, 'Bùi Thị Hoa'));
    await bot.handleUpdate(textUpdate(salesTg, '0123'));
    expect(tg.lastText(salesTg.id)).toContain('không hợp lệ');
    await bot.handleUpdate(textUpdate(salesTg, '0912 345 678'));
    await bot.handleUpdate(textUpdate(salesTg, 'Mua đất nền'));
    expect(tg.lastText(salesTg.id)).toContain('Người giới thiệu Bùi Thị Hoa?');
    await bot.handleUpdate(buttonUpdate(salesTg, 'skip'));
    expect(tg.lastText(salesTg.id)).toContain('✅ Đã tạo khách KH000001 · Bùi Thị Hoa.');
    const created = await Customer.findOne().lean();
    expect(created).toMatchObject({ name: 'Bùi Thị Hoa', phones: ['+84912345678'], need: 'Mua đất nền' });
    expect(String(created?.owner)).toBe(String(sales.user._id));

    await bot.handleUpdate(textUpdate(salesTg, '/new'));
    await bot.handleUpdate(textUpdate(salesTg, 'Hoa trùng'));
    await bot.handleUpdate(textUpdate(salesTg, '+84912345678'));
    // Their own customer: said at the phone step, and what follows is added to that customer.
    expect(tg.lastText(salesTg.id)).toContain('đã là của khách KH000001 · Bùi Thị Hoa');
    await bot.handleUpdate(buttonUpdate(salesTg, 'skip'));
    expect(tg.lastText(salesTg.id)).toContain('✅ Đã ghi thêm vào khách KH000001 · Bùi Thị Hoa.');
    expect(await Customer.countDocuments()).toBe(1);
  });

  it('cancels a flow in progress with /cancel or the cancel button', async () => {
    const { sales } = await team();
    const customer = await createCustomer(sales.actor, { name: 'Lý Na' });
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(salesTg, '/new'));
    await bot.handleUpdate(textUpdate(salesTg, '/cancel'));
    expect(tg.lastText(salesTg.id)).toContain('Đã huỷ');
    await bot.handleUpdate(textUpdate(salesTg, '/cancel'));
    expect(tg.lastText(salesTg.id)).toBe('Không có thao tác nào đang dở.');
    await bot.handleUpdate(buttonUpdate(salesTg, `f:${customer._id}`));
    await bot.handleUpdate(buttonUpdate(salesTg, 'cancel'));
    expect(tg.lastText(salesTg.id)).toContain('Đã huỷ');
    await bot.handleUpdate(textUpdate(salesTg, 'mai 9h'));
    expect(await FollowUp.countDocuments()).toBe(0);
  });

  it('shows /today with overdue and due follow-ups and hot leads without a plan, and /mine by stage', async () => {
    const { sales, other } = await team();
    const a = await createCustomer(sales.actor, { name: 'Quá Hạn' });
    const b = await createCustomer(sales.actor, { name: 'Hôm Nay' });
    const c = await createCustomer(sales.actor, { name: 'Nóng Chưa Hẹn' });
    await createCustomer(other.actor, { name: 'Của Người Khác' });
    const hot = await Stage.findOne({ code: 'nong' }).lean();
    await Customer.updateOne({ _id: c._id }, { $set: { stage: hot!._id } });
    const now = DateTime.now().setZone(zone);
    await FollowUp.create({ customer: a._id, owner: sales.user._id, dueAt: now.minus({ days: 2 }).toJSDate(), status: 'open', note: 'gọi lại' });
    await FollowUp.create({ customer: b._id, owner: sales.user._id, dueAt: now.endOf('day').minus({ minutes: 1 }).toJSDate(), status: 'scheduled' });
    const { bot, tg } = createTelegramTestBot();

    await bot.handleUpdate(textUpdate(salesTg, '/today'));
    const today = tg.lastText(salesTg.id);
    expect(today).toContain('Quá hạn:');
    expect(today).toContain('Quá Hạn — gọi lại');
    expect(today).toContain('Hẹn hôm nay:');
    expect(today).toContain('Khách nóng chưa có hẹn:');
    expect(today).toContain('Nóng Chưa Hẹn');
    expect(today).not.toContain('Của Người Khác');
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Nóng Chưa Hẹn')));
    expect(tg.lastText(salesTg.id)).toContain('👤 KH000003 · Nóng Chưa Hẹn');

    await bot.handleUpdate(textUpdate(salesTg, '/mine'));
    expect(tg.lastText(salesTg.id)).toContain('• Mới: 2');
    expect(tg.lastText(salesTg.id)).toContain('• Nóng: 1');
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Mới')));
    expect(tg.lastButtons(salesTg.id).map((x) => x.text).sort()).toEqual(['KH000001 · Quá Hạn', 'KH000002 · Hôm Nay']);

    await bot.handleUpdate(textUpdate(otherSalesTg, '/today'));
    expect(tg.lastText(otherSalesTg.id)).toContain('Hôm nay không có việc tồn');
  });

  it('links a staff account with /link CODE or the start link, once per code', async () => {
    const { user } = await makeStaff('sales', { name: 'Người Mới' });
    const { code } = await issueLinkCode(SYSTEM, user._id);
    const { bot, tg } = createTelegramTestBot();
    const newcomer: TgUser = { id: 6001, first_name: 'Mới' };
    await bot.handleUpdate(textUpdate(newcomer, `/link ${code}`));
    expect(tg.texts(newcomer.id)[0]).toBe('Đã liên kết tài khoản chat với Người Mới. Gõ /help để xem các lệnh.');
    expect((await User.findById(user._id).lean())?.chatIds?.telegram).toBe(String(newcomer.id));
    await bot.handleUpdate(textUpdate(newcomer, '/today'));
    expect(tg.lastText(newcomer.id)).toContain('Hôm nay không có việc tồn');

    const someoneElse: TgUser = { id: 6002, first_name: 'Lạ' };
    await bot.handleUpdate(textUpdate(someoneElse, `/start link_${code}`));
    expect(tg.lastText(someoneElse.id)).toContain('Mã liên kết không đúng hoặc đã hết hạn');

    const { code: second } = await issueLinkCode(SYSTEM, user._id);
    await bot.handleUpdate(textUpdate(someoneElse, `/start link_${second}`));
    expect(tg.texts(someoneElse.id).at(-2)).toContain('Đã liên kết');
    expect((await User.findById(user._id).lean())?.chatIds?.telegram).toBe(String(someoneElse.id));
  });

  it('answers staff bad input with guidance: long text, emoji, injection-looking search, unknown command', async () => {
    await team();
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(salesTg, 'y'.repeat(5000)));
    expect(tg.lastText(salesTg.id)).toContain('Tin nhắn dài quá');
    await bot.handleUpdate(textUpdate(salesTg, '/find {"$gt": ""}'));
    expect(tg.lastText(salesTg.id)).toContain('Không tìm thấy');
    await bot.handleUpdate(textUpdate(salesTg, '🔥🔥🔥'));
    expect(tg.lastText(salesTg.id)).toContain('Không tìm thấy');
    await bot.handleUpdate(textUpdate(salesTg, '/xoa_het'));
    expect(tg.lastText(salesTg.id)).toContain('Không có lệnh /xoa_het');
    await bot.handleUpdate(textUpdate(salesTg, '/help'));
    expect(tg.lastText(salesTg.id)).toContain('/find');
  });
});
