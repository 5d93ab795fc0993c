import { DateTime } from 'luxon';
import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { captureLead } from '../../crm/customers/captureLead.js';
import { scheduleFollowUp } from '../../crm/followups/followups.js';
import { Customer } from '../../models/customer.js';
import { FollowUp } from '../../models/followUp.js';
import { Interaction } from '../../models/interaction.js';
import { buttonUpdate, createTelegramTestBot, textUpdate, type TgUser } from './telegramHarness.js';

useTestDatabase();

const zone = 'Asia/Ho_Chi_Minh';
const salesTg: TgUser = { id: 5001, first_name: 'Hà' };
const otherTg: TgUser = { id: 5003, first_name: 'Tú' };

/** The buttons of a follow-up reminder (sent by the jobs) are answered by the chat core. */
describe('follow-up reminder buttons', () => {
  async function setup() {
    const sales = await makeStaff('sales', { chatIds: { telegram: String(salesTg.id) } });
    await makeStaff('sales', { chatIds: { telegram: String(otherTg.id) } });
    const customer = await createCustomer(sales.actor, { name: 'Nguyễn Hẹn' });
    const followUp = await scheduleFollowUp(sales.actor, customer._id, { dueAt: new Date(Date.now() + 60_000), recurrence: 'weekly' });
    return { sales, customer, followUp };
  }

  it('marks a follow-up done and tells when the next occurrence of a recurring one is', async () => {
    const { followUp } = await setup();
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(buttonUpdate(salesTg, `fu:done:${followUp._id}`));
    expect(tg.lastText(salesTg.id)).toMatch(/^✅ Đã xong lịch hẹn với Nguyễn Hẹn\.\nLần tới: /);
    expect((await FollowUp.findById(followUp._id).lean())?.status).toBe('completed');
    expect(await FollowUp.countDocuments({ previous: followUp._id })).toBe(1);
    // Pressed again: already done, said so.
    await bot.handleUpdate(buttonUpdate(salesTg, `fu:done:${followUp._id}`));
    expect(tg.lastText(salesTg.id)).toBe('Lịch hẹn này đã xong hoặc đã huỷ.');
  });

  it('snoozes one hour, or moves to a typed time', async () => {
    const { followUp } = await setup();
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(buttonUpdate(salesTg, `fu:snooze:${followUp._id}`));
    expect(tg.lastText(salesTg.id)).toContain('Đã dời lịch hẹn với Nguyễn Hẹn');
    const snoozed = await FollowUp.findById(followUp._id).lean();
    expect(Math.abs(snoozed!.dueAt.getTime() - (Date.now() + 3600_000))).toBeLessThan(60_000);

    await bot.handleUpdate(buttonUpdate(salesTg, `fu:resched:${followUp._id}`));
    expect(tg.lastText(salesTg.id)).toContain('đến lúc nào?');
    await bot.handleUpdate(textUpdate(salesTg, 'hôm qua'));
    expect(tg.lastText(salesTg.id)).toContain('Chưa hiểu thời gian');
    await bot.handleUpdate(textUpdate(salesTg, 'thứ 6 14h30'));
    const moved = await FollowUp.findById(followUp._id).lean();
    const local = DateTime.fromJSDate(moved!.dueAt, { zone });
    expect([local.weekday, local.hour, local.minute]).toEqual([5, 14, 30]);
  });

  it('refuses another salesperson pressing the buttons', async () => {
    const { followUp } = await setup();
    const { bot, tg } = createTelegramTestBot();
    for (const data of [`fu:done:${followUp._id}`, `fu:snooze:${followUp._id}`, `fu:resched:${followUp._id}`]) {
      await bot.handleUpdate(buttonUpdate(otherTg, data));
      expect(tg.lastText(otherTg.id)).toBe('Bạn không có quyền với khách hàng hoặc thao tác này.');
    }
    expect((await FollowUp.findById(followUp._id).lean())?.status).toBe('scheduled');
  });
});

describe('customers blocking the bot', () => {
  it('marks a customer unreachable on Telegram when they block the bot, and reachable when they return', async () => {
    await makeStaff('sales');
    const lead = await captureLead({ channel: 'telegram', chatId: '7001', name: 'Đức', phone: '0912345678' });
    const { bot, tg } = createTelegramTestBot();
    const member = (status: string, id: number) => ({
      update_id: id,
      my_chat_member: {
        chat: { id: 7001, type: 'private', first_name: 'Đức' },
        from: { id: 7001, is_bot: false, first_name: 'Đức' },
        date: 0,
        old_chat_member: { status: 'member', user: { id: 42, is_bot: true, first_name: 'chot' } },
        new_chat_member: { status, user: { id: 42, is_bot: true, first_name: 'chot' }, ...(status === 'kicked' ? { until_date: 0 } : {}) },
      },
    });
    await bot.handleUpdate(member('kicked', 900001) as never);
    expect((await Customer.findById(lead.customer._id).lean())?.unreachable?.telegram).toBe(true);
    await bot.handleUpdate(member('member', 900002) as never);
    expect((await Customer.findById(lead.customer._id).lean())?.unreachable?.telegram).toBe(false);
    expect(tg.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(0);
  });

  it('answers a customer on the channel they last wrote on', async () => {
    const sales = await makeStaff('sales', { chatIds: { telegram: String(salesTg.id) } });
    const lead = await captureLead({ channel: 'telegram', chatId: '7001', name: 'Đức', phone: '0912345678' });
    await captureLead({ channel: 'web', chatId: 'visitor-7', phone: '0912 345 678' });
    const { bot, tg, notifier } = createTelegramTestBot();
    const webSent: string[] = [];
    notifier.register({ channel: 'web', send: async (_chatId, replies) => (webSent.push(...replies.map((r) => r.text)), { ok: true, messageIds: ['w1'] }) });
    expect(String((await Customer.findById(lead.customer._id).lean())?.owner)).toBe(String(sales.user._id));
    await bot.handleUpdate(buttonUpdate(salesTg, `m:${lead.customer._id}`));
    await bot.handleUpdate(textUpdate(salesTg, 'Em chào anh'));
    expect(webSent).toEqual(['Em chào anh']);
    expect(tg.texts('7001')).toEqual([]);
    expect(await Interaction.findOne({ type: 'message_out' }).lean()).toMatchObject({ channel: 'web', text: 'Em chào anh' });
  });
});
