import http from 'node:http';
import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { makeCustomer } from './fixtures.js';
import { silentLogger } from './harness.js';
import { RecordingSender } from './fakeBotApi.js';
import { startOutreach, startSmtpServer, listenOnLoopback, closeServer } from '../outreach/helpers.js';
import { buttonUpdate, createTelegramTestBot, type TgUser } from '../bot/telegramHarness.js';
import { ManualClock, MINUTE, HOUR } from '../../jobs/clock.js';
import { runScheduledMessages } from '../../jobs/scheduledMessages.js';
import { runCareMessages } from '../../jobs/careMessages.js';
import { Notifier } from '../../bot/core/notifier.js';
import { scheduleMessage } from '../../crm/scheduledMessages/schedule.js';
import { createCareTemplate } from '../../crm/care/templates.js';
import { updateSettings } from '../../crm/settings/settings.js';
import { optOutEverywhere } from '../../crm/outreach/optOut.js';
import { logInteraction } from '../../crm/interactions/interactions.js';
import { SYSTEM } from '../../crm/users/actor.js';
import { ScheduledMessage } from '../../models/scheduledMessage.js';
import { Interaction } from '../../models/interaction.js';

/**
 * Messages chot composes for one customer (⏰ Hẹn gửi tin, care greetings) reach customers who
 * never wrote to a bot: when no chat reaches them, by SMS (without marks), else by email, through
 * the real outreach senders (a local SMTP server, a fake brandname SMS gateway), exactly once
 * however many workers race, logged with the delivery status; an opt-out stops every channel.
 */
useTestDatabase();

const start = new Date('2026-12-02T03:00:00Z');
const salesTg: TgUser = { id: 7301, first_name: 'Hà' };

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let gateway: { url: string; calls: { authorization?: string; body: Record<string, string> }[]; server: http.Server };
let chot: Awaited<ReturnType<typeof startOutreach>>;
beforeAll(async () => {
  smtp = await startSmtpServer();
  const calls: typeof gateway.calls = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      calls.push({ authorization: req.headers.authorization, body: JSON.parse(raw || '{}') });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id: `sms-${calls.length}` }));
    });
  });
  gateway = { url: await listenOnLoopback(server), calls, server };
  chot = await startOutreach({
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Công ty ABC <sales@abc.vn>',
    SESSION_SECRET: 'test-session-secret-0123456789',
    SMS_PROVIDER: 'http',
    SMS_API_URL: `${gateway.url}/sms`,
    SMS_API_KEY: 'sms-key-123456',
    SMS_BRANDNAME: 'CONGTYABC',
  });
});
afterAll(async () => {
  await chot?.stop();
  await smtp?.stop();
  if (gateway) await closeServer(gateway.server);
});
beforeEach(async () => {
  smtp.received.length = 0;
  gateway.calls.length = 0;
  await updateSettings(SYSTEM, { companyName: 'Công ty ABC' });
});

/** A worker process: a Telegram sender (to tell authors) and the email and SMS senders chot configured. */
function worker(clock: ManualClock) {
  const notifier = new Notifier(silentLogger);
  const sender = new RecordingSender('telegram');
  notifier.register(sender);
  notifier.registerOutreach(chot.notifier.outreach('email')!);
  notifier.registerOutreach(chot.notifier.outreach('sms')!);
  return { clock, notifier, logger: silentLogger, signal: new AbortController().signal, sender };
}

async function author() {
  return makeStaff('sales', { chatIds: { telegram: String(salesTg.id) }, name: 'Hà Sales' });
}

describe('scheduled and care messages to customers without a chat account', () => {
  it('a customer with only an email gets the scheduled message by email once, across racing workers and a restart, logged with its delivery', async () => {
    const { user, actor } = await author();
    const customer = await makeCustomer({ owner: user._id, name: 'Phạm Minh Đức', channels: [], email: 'duc@example.vn' });
    const message = await scheduleMessage(actor, customer._id, { text: 'Chào anh Đức, em gửi anh lịch xem nhà thứ Bảy nhé.', sendAt: new Date(start.getTime() + HOUR) }, start);

    const clock = new ManualClock(new Date(start.getTime() + HOUR));
    const a = worker(clock);
    const b = worker(clock);
    await Promise.all([runScheduledMessages(a), runScheduledMessages(b), runScheduledMessages(a), runScheduledMessages(b)]);
    clock.advance(5 * MINUTE);
    await runScheduledMessages(worker(clock));

    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail!.to).toEqual(['duc@example.vn']);
    expect(mail!.parsed.subject).toBe('Công ty ABC thông báo');
    expect(mail!.parsed.text).toContain('Chào anh Đức, em gửi anh lịch xem nhà thứ Bảy nhé.');
    expect(gateway.calls).toHaveLength(0);

    const sent = await ScheduledMessage.findById(message._id).lean();
    expect(sent).toMatchObject({ status: 'sent', channel: 'email' });
    const logged = await Interaction.findById(sent!.interaction).lean();
    expect(logged).toMatchObject({ type: 'email', outcome: 'sent', delivery: { status: 'sent', trackingId: `sched:${message._id}` } });
    expect(logged!.text).toContain('Chào anh Đức');
    expect(String(logged!.user)).toBe(String(user._id));
    expect(await Interaction.countDocuments({ customer: customer._id })).toBe(1);
    // Nobody was told anything: it went out.
    expect(a.sender.sent.length + b.sender.sent.length).toBe(0);
  });

  it('a customer with only a mobile gets it by SMS without diacritics; one with a chat account still gets it on chat', async () => {
    const { user, actor } = await author();
    const mobileOnly = await makeCustomer({ owner: user._id, name: 'Lê Thị Hoa', channels: [], phones: ['+84912345678'], email: 'hoa@example.vn' });
    const onChat = await makeCustomer({ owner: user._id, name: 'Khách chat', email: 'chat@example.vn', phones: ['+84987654321'] });
    const sendAt = new Date(start.getTime() + HOUR);
    const toHoa = await scheduleMessage(actor, mobileOnly._id, { text: 'Chào chị Hoa, đừng quên lịch hẹn 9h sáng thứ Bảy.', sendAt }, start);
    await scheduleMessage(actor, onChat._id, { text: 'Tin qua chat', sendAt }, start);

    const clock = new ManualClock(sendAt);
    const a = worker(clock);
    const b = worker(clock);
    await Promise.all([runScheduledMessages(a), runScheduledMessages(b)]);

    expect(gateway.calls).toEqual([
      { authorization: 'Bearer sms-key-123456', body: { to: '84912345678', brandname: 'CONGTYABC', text: 'Chao chi Hoa, dung quen lich hen 9h sang thu Bay.', reference: `sched:${toHoa._id}` } },
    ]);
    // SMS comes before email in the fallback: Hoa's email is left alone, and so is the chat customer's.
    expect(smtp.received).toHaveLength(0);
    expect([...a.sender.to(onChat.chatIds.telegram), ...b.sender.to(onChat.chatIds.telegram)].map((r) => r.text)).toEqual(['Tin qua chat']);

    expect(await ScheduledMessage.findById(toHoa._id).lean()).toMatchObject({ status: 'sent', channel: 'sms' });
    expect(await Interaction.findOne({ customer: mobileOnly._id }).lean()).toMatchObject({
      type: 'sms',
      text: 'Chao chi Hoa, dung quen lich hen 9h sang thu Bay.',
      delivery: { status: 'sent', providerId: 'sms-1' },
    });
    expect(await Interaction.findOne({ customer: onChat._id }).lean()).toMatchObject({ type: 'message_out', channel: 'telegram' });
  });

  it('a Zalo OA customer silent for more than 7 days gets it by SMS instead of the refused Zalo message', async () => {
    const { user, actor } = await author();
    const customer = await makeCustomer({ owner: user._id, name: 'Khách Zalo', channels: ['zalo_oa'], phones: ['+84912345000'] });
    const sendAt = new Date(start.getTime() + HOUR);
    await logInteraction(SYSTEM, customer._id, { type: 'message_in', channel: 'zalo_oa', text: 'Cho hỏi giá', occurredAt: new Date(sendAt.getTime() - 8 * 24 * HOUR) });
    await scheduleMessage(actor, customer._id, { text: 'Chào anh, bên em có ưu đãi mới.', sendAt }, start);

    const w = worker(new ManualClock(sendAt));
    const zalo = new RecordingSender('zalo_oa');
    w.notifier.register(zalo);
    await runScheduledMessages(w);

    expect(zalo.sent).toHaveLength(0);
    expect(gateway.calls.map((c) => c.body.text)).toEqual(['Chao anh, ben em co uu dai moi.']);
    expect(await ScheduledMessage.findOne({ customer: customer._id }).lean()).toMatchObject({ status: 'sent', channel: 'sms' });
  });

  it('an opted-out customer gets nothing on any channel and the author is told; so is the author of one with no address at all', async () => {
    const { user, actor } = await author();
    const optedOut = await makeCustomer({ owner: user._id, name: 'Khách từ chối', channels: [], email: 'stop@example.vn', phones: ['+84912000111'] });
    await optOutEverywhere(optedOut._id);
    const nowhere = await makeCustomer({ owner: user._id, name: 'Khách không địa chỉ', channels: [] });
    const sendAt = new Date(start.getTime() + HOUR);
    for (const c of [optedOut, nowhere]) await scheduleMessage(actor, c._id, { text: `Tin cho ${c.name}`, sendAt }, start);

    const w = worker(new ManualClock(sendAt));
    await runScheduledMessages(w);

    expect(smtp.received).toHaveLength(0);
    expect(gateway.calls).toHaveLength(0);
    expect(await ScheduledMessage.findOne({ customer: optedOut._id }).lean()).toMatchObject({ status: 'failed', reason: 'opted_out' });
    expect(await ScheduledMessage.findOne({ customer: nowhere._id }).lean()).toMatchObject({ status: 'failed', reason: 'no_address' });
    const told = w.sender.to(String(salesTg.id)).map((r) => r.text);
    expect(told).toHaveLength(2);
    expect(told.find((t) => t.includes('Khách từ chối'))).toContain('khách đã từ chối nhận tin');
    expect(told.find((t) => t.includes('Khách không địa chỉ'))).toContain('chưa có tài khoản chat, email hay số di động');
  });

  it('a birthday greeting to a customer with only an email goes out once, with the unsubscribe link', async () => {
    const { user: owner } = await makeStaff('sales', { name: 'Hà Sales' });
    const customer = await makeCustomer({ owner: owner._id, name: 'Trần Thị Bích', channels: [], email: 'bich@example.vn', birthday: { day: 12, month: 5 } });
    await createCareTemplate(SYSTEM, { name: 'Sinh nhật', kind: 'birthday', text: 'Chúc mừng sinh nhật {ten}! — {nguoi_phu_trach}', hour: 9 });

    const clock = new ManualClock(new Date('2027-05-12T09:00:00+07:00'));
    await Promise.all([runCareMessages(worker(clock)), runCareMessages(worker(clock))]);
    clock.advance(5 * MINUTE);
    await Promise.all([runCareMessages(worker(clock)), runScheduledMessages(worker(clock))]);

    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.to).toEqual(['bich@example.vn']);
    expect(smtp.received[0]!.parsed.text).toContain('Chúc mừng sinh nhật Trần Thị Bích! — Hà Sales');
    expect(smtp.received[0]!.raw.replace(/\r?\n[ \t]+/g, ' ')).toMatch(/^List-Unsubscribe: <http:\/\/127\.0\.0\.1:\d+\/unsubscribe\//m);
    expect(await ScheduledMessage.find({ customer: customer._id }).lean()).toMatchObject([{ status: 'sent', channel: 'email' }]);
    expect(await Interaction.countDocuments({ customer: customer._id, type: 'email', 'delivery.status': 'sent' })).toBe(1);
  });

  it('the card offers ⏰ Hẹn gửi tin for a customer with only an email when email is configured, and not without it', async () => {
    const { user } = await author();
    const customer = await makeCustomer({ owner: user._id, name: 'Khách email', channels: [], email: 'mail@example.vn' });
    const plain = createTelegramTestBot({ clock: () => start });
    await plain.bot.handleUpdate(buttonUpdate(salesTg, `c:${customer._id}`));
    expect(plain.tg.lastButtons(salesTg.id).map((b) => b.text)).not.toContain('⏰ Hẹn gửi tin');

    const withEmail = createTelegramTestBot({ clock: () => start });
    withEmail.notifier.registerOutreach(chot.notifier.outreach('email')!);
    await withEmail.bot.handleUpdate(buttonUpdate(salesTg, `c:${customer._id}`));
    expect(withEmail.tg.lastButtons(salesTg.id).map((b) => b.text)).toContain('⏰ Hẹn gửi tin');
  });
});
