import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { makeCustomer } from './fixtures.js';
import { fakeWorker } from './harness.js';
import { ManualClock, MINUTE } from '../../jobs/clock.js';
import { runCareMessages } from '../../jobs/careMessages.js';
import { runScheduledMessages } from '../../jobs/scheduledMessages.js';
import { createCareTemplate, updateCareTemplate } from '../../crm/care/templates.js';
import { SYSTEM } from '../../crm/users/actor.js';
import { ScheduledMessage } from '../../models/scheduledMessage.js';
import { Interaction } from '../../models/interaction.js';
import { Deal } from '../../models/deal.js';
import { Customer } from '../../models/customer.js';
import { buttonUpdate, createTelegramTestBot, textUpdate } from '../bot/telegramHarness.js';

useTestDatabase();

/** A worker at a local time in Hà Nội (UTC+7), the default company time zone. */
function at(localIso: string) {
  return new ManualClock(new Date(`${localIso}+07:00`));
}

/** What the worker's two jobs do in turn: the care job queues the occasions, the scheduled-message job sends them. */
async function careRound(worker: ReturnType<typeof fakeWorker>) {
  await runCareMessages(worker);
  await runScheduledMessages(worker);
}

async function greetings(worker: ReturnType<typeof fakeWorker>, chatId: string) {
  return worker.sender.to(chatId).map((r) => r.text);
}

describe('recurring care messages', () => {
  it('greets a customer on their birthday at the local hour, once that year, and again the next year', async () => {
    const { user: owner } = await makeStaff('sales', { name: 'Hà Sales' });
    const customer = await makeCustomer({ owner: owner._id, name: 'Trần Thị Bích', birthday: { day: 12, month: 5, year: 1990 } });
    await makeCustomer({ name: 'Khách khác', birthday: { day: 13, month: 5 } });
    await createCareTemplate(SYSTEM, { name: 'Sinh nhật', kind: 'birthday', text: 'Chúc mừng sinh nhật {ten}! — {nguoi_phu_trach}', hour: 9 });
    const chat = customer.chatIds.telegram;

    const early = fakeWorker(at('2027-05-12T08:59:00'));
    await careRound(early);
    expect(early.sender.sent).toHaveLength(0);

    const clock = at('2027-05-12T09:00:00');
    const a = fakeWorker(clock);
    const b = fakeWorker(clock);
    await Promise.all([careRound(a), careRound(b)]);
    clock.advance(5 * MINUTE);
    await Promise.all([careRound(a), careRound(fakeWorker(clock))]);
    expect([...(await greetings(a, chat)), ...(await greetings(b, chat))]).toEqual(['Chúc mừng sinh nhật Trần Thị Bích! — Hà Sales']);
    expect(a.sender.sent.length + b.sender.sent.length).toBe(1);
    expect(await Interaction.countDocuments({ customer: customer._id, type: 'message_out', text: 'Chúc mừng sinh nhật Trần Thị Bích! — Hà Sales' })).toBe(1);

    // Later that day, and the next day: nothing more for her (the next day is the other customer's birthday).
    for (const when of ['2027-05-12T18:00:00', '2027-05-13T09:00:00']) {
      const later = fakeWorker(at(when));
      await careRound(later);
      expect(await greetings(later, chat)).toEqual([]);
    }

    const nextYear = fakeWorker(at('2028-05-12T09:10:00'));
    await careRound(nextYear);
    expect(await greetings(nextYear, chat)).toEqual(['Chúc mừng sinh nhật Trần Thị Bích! — Hà Sales']);
    expect(await ScheduledMessage.countDocuments({ customer: customer._id, status: 'sent' })).toBe(2);
  });

  it('the care job only queues, each greeting signed by its own owner; the scheduled-message job sends them', async () => {
    const { user: ha } = await makeStaff('sales', { name: 'Hà Sales' });
    const { user: nam } = await makeStaff('sales', { name: 'Nam Sales' });
    await makeCustomer({ owner: ha._id, name: 'Khách Của Hà', birthday: { day: 3, month: 8 } });
    await makeCustomer({ owner: nam._id, name: 'Khách Của Nam', birthday: { day: 3, month: 8 } });
    await makeCustomer({ name: 'Khách Chưa Giao', birthday: { day: 3, month: 8 } });
    await createCareTemplate(SYSTEM, { name: 'Sinh nhật', kind: 'birthday', text: '{ten} — {nguoi_phu_trach}', hour: 9 });
    const worker = fakeWorker(at('2027-08-03T09:00:00'));
    expect(await runCareMessages(worker)).toBe(3);
    expect(worker.sender.sent).toHaveLength(0);
    const texts = (await ScheduledMessage.find({ status: 'scheduled' }).lean()).map((m) => m.text);
    expect(texts).toEqual(expect.arrayContaining(['Khách Của Hà — Hà Sales', 'Khách Của Nam — Nam Sales']));
    // No owner: signed by the company.
    expect(texts.find((t) => t.startsWith('Khách Chưa Giao'))).not.toMatch(/Sales/);
    await runScheduledMessages(worker);
    expect(worker.sender.sent).toHaveLength(3);
  });

  it('a 29 February birthday is greeted on 28 February in a year without 29 February, on the 29th in a leap year', async () => {
    const customer = await makeCustomer({ name: 'Lê Nhuận', birthday: { day: 29, month: 2 } });
    await createCareTemplate(SYSTEM, { name: 'Sinh nhật', kind: 'birthday', text: 'Chúc mừng sinh nhật {ten}!', hour: 8 });
    const chat = customer.chatIds.telegram;
    const sentOn = async (when: string) => {
      const worker = fakeWorker(at(when));
      await careRound(worker);
      return (await greetings(worker, chat)).length;
    };
    expect(await sentOn('2027-02-27T08:00:00')).toBe(0);
    expect(await sentOn('2027-02-28T08:00:00')).toBe(1);
    expect(await sentOn('2027-03-01T08:00:00')).toBe(0);
    expect(await sentOn('2028-02-28T08:00:00')).toBe(0);
    expect(await sentOn('2028-02-29T08:00:00')).toBe(1);
  });

  it('"N days after won" goes once per won deal, N local days after it closed', async () => {
    const customer = await makeCustomer({ name: 'Phạm Văn Đông' });
    await createCareTemplate(SYSTEM, { name: 'Hỏi thăm sau 3 ngày', kind: 'days_after_won', days: 3, text: 'Anh {ten} ({ma}) dùng sản phẩm thấy thế nào ạ?', hour: 10 });
    // Won at 23:30 local on 1 December (16:30 UTC): the local day counts, not the UTC one.
    await Deal.create({ customer: customer._id, amount: 50_000_000, closedAt: new Date('2026-12-01T23:30:00+07:00') });
    const chat = customer.chatIds.telegram;
    const sentOn = async (when: string) => {
      const worker = fakeWorker(at(when));
      await careRound(worker);
      return greetings(worker, chat);
    };
    expect(await sentOn('2026-12-03T10:00:00')).toEqual([]);
    expect(await sentOn('2026-12-04T09:59:00')).toEqual([]);
    expect(await sentOn('2026-12-04T10:00:00')).toEqual([`Anh Phạm Văn Đông (${customer.code}) dùng sản phẩm thấy thế nào ạ?`]);
    expect(await sentOn('2026-12-04T15:00:00')).toEqual([]);
    expect(await sentOn('2026-12-05T10:00:00')).toEqual([]);
  });

  it('a switched-off template sends nothing; switched on again, it sends', async () => {
    const customer = await makeCustomer({ name: 'Vũ Thị Hoa', birthday: { day: 1, month: 6 } });
    const template = await createCareTemplate(SYSTEM, { name: 'Sinh nhật', kind: 'birthday', text: 'Chúc mừng sinh nhật {ten}!', hour: 9, active: false });
    const off = fakeWorker(at('2027-06-01T09:00:00'));
    await careRound(off);
    expect(off.sender.sent).toHaveLength(0);
    expect(await ScheduledMessage.countDocuments({ customer: customer._id })).toBe(0);

    await updateCareTemplate(SYSTEM, String(template._id), { active: true });
    const on = fakeWorker(at('2027-06-01T11:00:00'));
    await careRound(on);
    expect(await greetings(on, customer.chatIds.telegram)).toEqual(['Chúc mừng sinh nhật Vũ Thị Hoa!']);
  });

  it('an opted-out customer gets no greeting; the refusal is kept on the record', async () => {
    const customer = await makeCustomer({ name: 'Đỗ Minh', birthday: { day: 2, month: 7 }, optedOut: { telegram: true } });
    await createCareTemplate(SYSTEM, { name: 'Sinh nhật', kind: 'birthday', text: 'Chúc mừng sinh nhật {ten}!', hour: 9 });
    const worker = fakeWorker(at('2027-07-02T09:00:00'));
    await careRound(worker);
    expect(worker.sender.sent).toHaveLength(0);
    expect(await ScheduledMessage.findOne({ customer: customer._id }).lean()).toMatchObject({ status: 'failed', reason: 'opted_out' });
  });

  it('the birthday is captured from the card in chat ("12/5", "12/05/1990"), shown on the card; a date that does not exist is refused', async () => {
    const salesTg = { id: 6201, first_name: 'Hà' };
    const { user } = await makeStaff('sales', { chatIds: { telegram: String(salesTg.id) } });
    const customer = await makeCustomer({ owner: user._id, name: 'Ngô Thanh Vân' });
    const { bot, tg } = createTelegramTestBot();

    await bot.handleUpdate(buttonUpdate(salesTg, `c:${customer._id}`));
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Sinh nhật')));
    expect(tg.lastText(salesTg.id)).toContain('Sinh nhật của Ngô Thanh Vân?');
    await bot.handleUpdate(textUpdate(salesTg, '31/2'));
    expect(tg.lastText(salesTg.id)).toContain('Chưa hiểu ngày sinh "31/2"');
    await bot.handleUpdate(textUpdate(salesTg, '12/5'));
    expect(tg.lastText(salesTg.id)).toContain('🎂 Đã lưu sinh nhật của Ngô Thanh Vân: 12/05.');
    expect(tg.lastText(salesTg.id)).toContain('🎂 Sinh nhật: 12/05');
    expect((await Customer.findById(customer._id).lean())!.birthday).toEqual({ day: 12, month: 5 });

    await bot.handleUpdate(buttonUpdate(salesTg, `bd:${customer._id}`));
    await bot.handleUpdate(textUpdate(salesTg, '12/05/1990'));
    expect(tg.lastText(salesTg.id)).toContain('🎂 Sinh nhật: 12/05/1990');
    expect((await Customer.findById(customer._id).lean())!.birthday).toEqual({ day: 12, month: 5, year: 1990 });
  });
});
