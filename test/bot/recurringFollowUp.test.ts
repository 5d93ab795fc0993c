import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { FollowUp } from '../../models/followUp.js';
import { ManualClock, MINUTE } from '../../jobs/clock.js';
import { sendDueReminders } from '../../jobs/reminders.js';
import { fakeWorker } from '../jobs/harness.js';
import { buttonUpdate, createTelegramTestBot, textUpdate, type TgUser } from './telegramHarness.js';
import { useZaloBotChannel } from './zaloBotStaffChat.js';

useTestDatabase();

const salesTg: TgUser = { id: 6201, first_name: 'Hà' };
// Monday 30/11/2026 10:00 in Ho Chi Minh City.
const now = new Date('2026-11-30T03:00:00Z');

/** After the time, the follow-up flow asks "Lặp lại?" with the same choices on every channel. */
describe('recurring follow-ups from the chat, on Telegram', () => {
  it('asks "Lặp lại?" after the time, stores a weekly follow-up, and the card and the reminder say it repeats', async () => {
    const { actor } = await makeStaff('sales', { chatIds: { telegram: String(salesTg.id) } });
    const customer = await createCustomer(actor, { name: 'Đoàn Văn Lặp', phones: ['0909 321 321'] });
    const { bot, tg } = createTelegramTestBot({ clock: () => now });

    await bot.handleUpdate(buttonUpdate(salesTg, `f:${customer._id}`));
    await bot.handleUpdate(textUpdate(salesTg, 'mai 9h'));
    expect(tg.lastText(salesTg.id)).toBe('Hẹn lúc Thứ 3 01/12 09:00. Lặp lại?');
    expect(tg.lastButtons(salesTg.id).map((b) => b.text)).toEqual(['Không', 'Hằng ngày', 'Hằng tuần', 'Hằng tháng', 'Huỷ']);

    // Anything else typed is not an answer: the question comes again.
    await bot.handleUpdate(textUpdate(salesTg, 'thỉnh thoảng'));
    expect(tg.lastText(salesTg.id)).toBe('Hẹn lúc Thứ 3 01/12 09:00. Lặp lại?');

    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Hằng tuần')));
    expect(tg.lastText(salesTg.id)).toContain('Hẹn lúc Thứ 3 01/12 09:00 (hằng tuần). Nội dung cần làm');
    await bot.handleUpdate(textUpdate(salesTg, 'Gọi hỏi thăm'));
    const card = tg.lastText(salesTg.id);
    expect(card).toContain('⏰ Đã hẹn Đoàn Văn Lặp lúc Thứ 3 01/12 09:00, lặp lại hằng tuần.');
    expect(card).toContain('⏰ Thứ 3 01/12 09:00 🔁 lặp lại hằng tuần — Gọi hỏi thăm');

    const followUp = (await FollowUp.findOne({ customer: customer._id }).lean())!;
    expect(followUp).toMatchObject({ recurrence: 'weekly', note: 'Gọi hỏi thăm', status: 'scheduled' });

    const clock = new ManualClock(now);
    const worker = fakeWorker(clock);
    clock.advance(followUp.dueAt.getTime() - now.getTime() + MINUTE);
    await sendDueReminders(worker);
    const reminder = worker.sender.to(String(salesTg.id))[0]!.text;
    expect(reminder).toContain('🔁 Lịch lặp lại');
  });

  it('a one-time follow-up is still one answer away: "Không"', async () => {
    const { actor } = await makeStaff('sales', { chatIds: { telegram: String(salesTg.id) } });
    const customer = await createCustomer(actor, { name: 'Một Lần' });
    const { bot, tg } = createTelegramTestBot({ clock: () => now });
    await bot.handleUpdate(buttonUpdate(salesTg, `f:${customer._id}`));
    await bot.handleUpdate(textUpdate(salesTg, 'mai 9h'));
    await bot.handleUpdate(textUpdate(salesTg, 'không'));
    await bot.handleUpdate(buttonUpdate(salesTg, 'skip'));
    expect(tg.lastText(salesTg.id)).toContain('⏰ Đã hẹn Một Lần lúc Thứ 3 01/12 09:00.');
    expect(tg.lastText(salesTg.id)).not.toContain('lặp lại');
    expect((await FollowUp.findOne().lean())!.recurrence).toBe('none');
  });
});

describe('recurring follow-ups from the chat, on Zalo Bot (typed replies)', () => {
  const zaloBot = useZaloBotChannel();

  it('offers the same four choices as a numbered list and takes "hằng tháng" typed in words', async () => {
    const { actor } = await makeStaff('sales', { chatIds: { zalo_bot: 'S1' } });
    const customer = await createCustomer(actor, { name: 'Trương Hằng Tháng' });
    const me = zaloBot.chat('S1');
    await me.say('/find hang thang');
    await me.choose('⏰ Hẹn');
    await me.say('mai 9h');
    expect(me.text).toContain('Lặp lại?\n\n1. Không\n2. Hằng ngày\n3. Hằng tuần\n4. Hằng tháng\n5. Huỷ');
    await me.say('hang thang');
    await me.choose('Bỏ qua');
    expect(me.text).toContain('lặp lại hằng tháng');
    expect((await FollowUp.findOne({ customer: customer._id }).lean())!.recurrence).toBe('monthly');
  });
});
