import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { makeCustomer } from './fixtures.js';
import { fakeWorker } from './harness.js';
import { RecordingSender } from './fakeBotApi.js';
import { buttonUpdate, createTelegramTestBot, textUpdate, type TgUser } from '../bot/telegramHarness.js';
import { ManualClock, MINUTE, HOUR } from '../../jobs/clock.js';
import { runScheduledMessages } from '../../jobs/scheduledMessages.js';
import { scheduleMessage } from '../../crm/scheduledMessages/schedule.js';
import { logInteraction } from '../../crm/interactions/interactions.js';
import { SYSTEM } from '../../crm/users/actor.js';
import { ScheduledMessage } from '../../models/scheduledMessage.js';
import { Interaction } from '../../models/interaction.js';
import { Customer } from '../../models/customer.js';
import type { ChannelSender, Reply, SendResult } from '../../bot/core/types.js';

useTestDatabase();

// 10:00 in Hà Nội (the default company time zone) on Wednesday 2 December 2026.
const start = new Date('2026-12-02T03:00:00Z');
const salesTg: TgUser = { id: 6101, first_name: 'Hà' };
const otherTg: TgUser = { id: 6102, first_name: 'Tú' };

async function team() {
  const sales = await makeStaff('sales', { chatIds: { telegram: String(salesTg.id) }, name: 'Hà Sales' });
  const other = await makeStaff('sales', { chatIds: { telegram: String(otherTg.id) }, name: 'Tú Sales' });
  const customer = await makeCustomer({ owner: sales.user._id, name: 'Trần Thị Bích' });
  return { sales, other, customer };
}

/** A chat sender that refuses some chats the way a platform does, and accepts (and records) the rest. */
class RefusingSender implements ChannelSender {
  readonly sent: { chatId: string; replies: Reply[] }[] = [];
  constructor(
    readonly channel: ChannelSender['channel'],
    private readonly refusals: Map<string, Extract<SendResult, { ok: false }>>,
  ) {}
  async send(chatId: string, replies: Reply[]): Promise<SendResult> {
    const refusal = this.refusals.get(chatId);
    if (refusal) return refusal;
    this.sent.push({ chatId, replies });
    return { ok: true, messageIds: [String(this.sent.length)] };
  }
}

/** A send that never comes back: the process dies while the platform call is in flight. */
class HangingSender implements ChannelSender {
  readonly channel = 'telegram' as const;
  calls = 0;
  send(): Promise<SendResult> {
    this.calls += 1;
    return new Promise(() => {});
  }
}

describe('messages sent later to one customer', () => {
  it('is scheduled from the card in Telegram, sent exactly once by two racing workers and not again after a restart, and logged as message_out', async () => {
    const { sales, customer } = await team();
    let now = start;
    const { bot, tg } = createTelegramTestBot({ clock: () => now });

    await bot.handleUpdate(buttonUpdate(salesTg, `c:${customer._id}`));
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Hẹn gửi tin')));
    expect(tg.lastText(salesTg.id)).toContain('Trần Thị Bích');
    await bot.handleUpdate(textUpdate(salesTg, 'Chào chị Bích, em gửi chị báo giá căn hộ 2PN nhé.'));
    expect(tg.lastText(salesTg.id)).toContain('Gửi lúc nào?');
    await bot.handleUpdate(textUpdate(salesTg, 'thứ 2 tuần sau 8h30'));
    const confirmation = tg.lastText(salesTg.id);
    // Monday 7 December, 8:30 in Hà Nội, said back in local time.
    expect(confirmation).toContain('✅ Đã hẹn gửi cho Trần Thị Bích lúc');
    expect(confirmation).toContain('07/12 08:30');
    expect(confirmation).toContain('Tin hẹn gửi:');
    expect(tg.lastButtons(salesTg.id).map((b) => b.text)).toContain('🗑 Hủy tin 07/12 08:30');

    const [stored] = await ScheduledMessage.find({ customer: customer._id }).lean();
    expect(stored).toMatchObject({ status: 'scheduled', text: 'Chào chị Bích, em gửi chị báo giá căn hộ 2PN nhé.' });
    expect(stored!.sendAt.toISOString()).toBe('2026-12-07T01:30:00.000Z');
    expect(String(stored!.author)).toBe(String(sales.user._id));

    const clock = new ManualClock(new Date('2026-12-07T01:29:00Z'));
    const a = fakeWorker(clock);
    const b = fakeWorker(clock);
    await Promise.all([runScheduledMessages(a), runScheduledMessages(b)]);
    expect(a.sender.sent.length + b.sender.sent.length).toBe(0);

    clock.advance(1 * MINUTE);
    await Promise.all([runScheduledMessages(a), runScheduledMessages(b), runScheduledMessages(a), runScheduledMessages(b)]);
    const delivered = [...a.sender.to(customer.chatIds.telegram), ...b.sender.to(customer.chatIds.telegram)];
    expect(delivered.map((r) => r.text)).toEqual(['Chào chị Bích, em gửi chị báo giá căn hộ 2PN nhé.']);

    // A restart later: a fresh worker finds nothing to send.
    clock.advance(5 * MINUTE);
    const restarted = fakeWorker(clock);
    await runScheduledMessages(restarted);
    expect(restarted.sender.sent).toHaveLength(0);
    expect(a.sender.sent.length + b.sender.sent.length).toBe(1);

    const sent = await ScheduledMessage.findById(stored!._id).lean();
    expect(sent).toMatchObject({ status: 'sent', channel: 'telegram' });
    expect(sent!.sentAt!.toISOString()).toBe('2026-12-07T01:30:00.000Z');
    const logged = await Interaction.findById(sent!.interaction).lean();
    expect(logged).toMatchObject({ type: 'message_out', channel: 'telegram', text: 'Chào chị Bích, em gửi chị báo giá căn hộ 2PN nhé.' });
    expect(String(logged!.user)).toBe(String(sales.user._id));

    // Sent: no longer on the card.
    now = new Date('2026-12-07T02:00:00Z');
    await bot.handleUpdate(buttonUpdate(salesTg, `c:${customer._id}`));
    expect(tg.lastText(salesTg.id)).not.toContain('Tin hẹn gửi');
  });

  it('a worker that dies while sending: the restarted worker never sends it again, marks it failed and tells the author', async () => {
    const { sales, customer } = await team();
    const message = await scheduleMessage(sales.actor, customer._id, { text: 'Nhắc chị lịch xem nhà', sendAt: new Date(start.getTime() + HOUR) }, start);
    const clock = new ManualClock(new Date(start.getTime() + HOUR));

    const dying = fakeWorker(clock);
    const hanging = new HangingSender();
    dying.notifier.register(hanging);
    void runScheduledMessages(dying);
    for (let i = 0; i < 100 && hanging.calls === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(hanging.calls).toBe(1);
    expect((await ScheduledMessage.findById(message._id).lean())!.status).toBe('sending');

    // The restart, at once and a while later: nothing goes to the customer.
    const restarted = fakeWorker(clock);
    await runScheduledMessages(restarted);
    expect(restarted.sender.to(customer.chatIds.telegram)).toHaveLength(0);
    clock.advance(11 * MINUTE);
    await Promise.all([runScheduledMessages(restarted), runScheduledMessages(fakeWorker(clock))]);
    expect(restarted.sender.to(customer.chatIds.telegram)).toHaveLength(0);

    expect(await ScheduledMessage.findById(message._id).lean()).toMatchObject({ status: 'failed', reason: 'unknown_delivery' });
    const told = restarted.sender.to(String(salesTg.id));
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain('không rõ tin đã đến khách chưa');
    expect(told[0]!.text).toContain('Nhắc chị lịch xem nhà');
    expect(await Interaction.countDocuments({ customer: customer._id, type: 'message_out' })).toBe(0);
  });

  it('is cancelled from the card by its owner; another salesperson cannot cancel it; nothing is sent', async () => {
    const { sales, customer } = await team();
    const message = await scheduleMessage(sales.actor, customer._id, { text: 'Hỏi thăm sau buổi xem nhà', sendAt: new Date(start.getTime() + 2 * HOUR) }, start);
    const { bot, tg } = createTelegramTestBot({ clock: () => start });

    // A forged button from a colleague who does not own the customer.
    await bot.handleUpdate(buttonUpdate(otherTg, `smx:${message._id}`));
    expect(tg.lastText(otherTg.id)).toContain('không có quyền');
    expect((await ScheduledMessage.findById(message._id).lean())!.status).toBe('scheduled');

    await bot.handleUpdate(buttonUpdate(salesTg, `c:${customer._id}`));
    expect(tg.lastText(salesTg.id)).toContain('Hỏi thăm sau buổi xem nhà');
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Hủy tin')));
    expect(tg.lastText(salesTg.id)).toContain('🗑 Đã hủy tin hẹn gửi cho Trần Thị Bích');
    expect(tg.lastText(salesTg.id)).not.toContain('Tin hẹn gửi:');
    expect((await ScheduledMessage.findById(message._id).lean())!.status).toBe('cancelled');

    const clock = new ManualClock(new Date(start.getTime() + 3 * HOUR));
    const worker = fakeWorker(clock);
    await runScheduledMessages(worker);
    expect(worker.sender.sent).toHaveLength(0);
  });

  it('a time in the past or more than a year ahead is refused in chat, and the text is kept for another try', async () => {
    const { customer } = await team();
    const { bot, tg } = createTelegramTestBot({ clock: () => start });
    await bot.handleUpdate(buttonUpdate(salesTg, `sm:${customer._id}`));
    await bot.handleUpdate(textUpdate(salesTg, 'Chúc mừng năm mới!'));
    await bot.handleUpdate(textUpdate(salesTg, 'hôm nay 8h'));
    expect(tg.lastText(salesTg.id)).toContain('đã qua');
    await bot.handleUpdate(textUpdate(salesTg, '1/1/2028 9h'));
    expect(tg.lastText(salesTg.id)).toContain('trong vòng một năm');
    await bot.handleUpdate(textUpdate(salesTg, 'lúc nào đó'));
    expect(tg.lastText(salesTg.id)).toContain('Chưa hiểu thời gian');
    expect(await ScheduledMessage.countDocuments({ customer: customer._id })).toBe(0);
    await bot.handleUpdate(textUpdate(salesTg, '1/1 9h'));
    expect(tg.lastText(salesTg.id)).toContain('01/01/2027 09:00');
    expect(await ScheduledMessage.findOne({ customer: customer._id }).lean()).toMatchObject({ text: 'Chúc mừng năm mới!', status: 'scheduled' });
  });

  it('a refusal (blocked, outside Zalo OA\'s 7 days, opted out, no chat account) is reported to its author in their language; nothing is sent', async () => {
    const { user: author, actor } = await makeStaff('sales', { chatIds: { telegram: 'author-en' }, language: 'en', name: 'Linh' });
    const blocked = await makeCustomer({ owner: author._id, name: 'Khách chặn' });
    const zalo = await makeCustomer({ owner: author._id, name: 'Khách Zalo', channels: ['zalo_oa'] });
    const optedOut = await makeCustomer({ owner: author._id, name: 'Khách từ chối', optedOut: { telegram: true } });
    const noChat = await makeCustomer({ owner: author._id, name: 'Khách không chat', channels: [] });
    // The Zalo customer last wrote 8 days before the message is due.
    await logInteraction(SYSTEM, zalo._id, { type: 'message_in', channel: 'zalo_oa', text: 'Cho hỏi giá', occurredAt: new Date(start.getTime() - 8 * 24 * HOUR + HOUR) });
    for (const c of [blocked, zalo, optedOut, noChat]) await scheduleMessage(actor, c._id, { text: `Tin cho ${c.name}`, sendAt: new Date(start.getTime() + HOUR) }, start);

    const clock = new ManualClock(new Date(start.getTime() + HOUR));
    const worker = fakeWorker(clock);
    const telegram = new RefusingSender('telegram', new Map([[blocked.chatIds.telegram, { ok: false, reason: 'blocked', detail: 'Forbidden: bot was blocked by the user' }]]));
    const zaloOa = new RefusingSender('zalo_oa', new Map());
    worker.notifier.register(telegram);
    worker.notifier.register(zaloOa);
    await runScheduledMessages(worker);

    expect(zaloOa.sent).toHaveLength(0);
    expect(telegram.sent.filter((s) => s.chatId !== 'author-en')).toHaveLength(0);
    const reasons = Object.fromEntries((await ScheduledMessage.find({ author: author._id }).populate<{ customer: { name: string } }>('customer', 'name').lean()).map((m) => [m.customer.name, [m.status, m.reason]]));
    expect(reasons).toEqual({
      'Khách chặn': ['failed', 'blocked: Forbidden: bot was blocked by the user'],
      'Khách Zalo': ['failed', 'outside_window'],
      'Khách từ chối': ['failed', 'opted_out'],
      'Khách không chat': ['failed', 'no_chat_id'],
    });
    expect((await Customer.findById(blocked._id).lean())!.unreachable?.telegram).toBe(true);

    const told = telegram.sent.filter((s) => s.chatId === 'author-en').flatMap((s) => s.replies.map((r) => r.text));
    expect(told).toHaveLength(4);
    expect(told.find((t) => t.includes('Khách chặn'))).toContain('was not sent: the customer blocked or unfollowed the chat channel.');
    expect(told.find((t) => t.includes('Khách Zalo'))).toContain('more than 7 days since the customer last wrote on Zalo OA');
    expect(told.find((t) => t.includes('Khách từ chối'))).toContain('opted out');
    expect(told.find((t) => t.includes('Khách không chat'))).toContain('no chat account');
  });
});
