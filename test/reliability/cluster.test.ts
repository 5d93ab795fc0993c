/**
 * Two web processes and two workers (`npm run web` ×2, `npm run worker` ×2) on one database, every
 * channel in webhook mode against fake platforms: what a scaled-out deployment must get right.
 * Platforms redeliver and load balancers spread requests, so the same update may reach both web
 * processes at once; a person's next message may land on the other process.
 */
import { jest } from '@jest/globals';
import { Customer } from '../../models/customer.js';
import { Interaction } from '../../models/interaction.js';
import { User } from '../../models/user.js';
import { FollowUp } from '../../models/followUp.js';
import { ChatSession } from '../../models/chatSession.js';
import { ZaloInbox } from '../../models/zaloInbox.js';
import { JOBS_COLLECTION } from '../../jobs/scheduler.js';
import { followUpReminders } from '../../jobs/reminders.js';
import { scheduleFollowUp } from '../../crm/followups/followups.js';
import { userActor } from '../../crm/users/actor.js';
import { createUser } from '../../crm/users/users.js';
import { ensureFirstAdmin } from '../../crm/seed/defaults.js';
import { SYSTEM } from '../../crm/users/actor.js';
import { OaWebhookSender } from '../zalo/helpers/oaWebhookClient.js';
import { botText, postBotUpdate } from '../zalo/helpers/botUpdates.js';
import { AppProcess, eventually, killAll } from './helpers/appProcess.js';
import { ADMIN, FakePlatforms, ZALO_BOT, ZALO_OA } from './helpers/channels.js';
import { postTelegramUpdate, telegramText } from './helpers/fakeTelegram.js';
import { useSharedDatabase } from './helpers/sharedDatabase.js';


jest.setTimeout(90_000);

const db = useSharedDatabase();
const platforms = new FakePlatforms();
let webA: AppProcess;
let webB: AppProcess;
let salesUserId: unknown;
/** The salesperson's own Telegram chat, where new leads, relayed messages and reminders arrive. */
const SALES_CHAT = 5000;

beforeAll(async () => {
  await platforms.start();
  // Both web processes start at the same moment on an empty database (seeding and the first admin race).
  [webA, webB] = await Promise.all([AppProcess.start('web A', 'web', platforms.env(db.uri)), AppProcess.start('web B', 'web', platforms.env(db.uri))]);
  const sales = await createUser(SYSTEM, { name: 'Lan Sales', email: 'sales@chot.test', role: 'sales', password: 'mat-khau-12345' });
  await User.updateOne({ _id: sales._id }, { $set: { 'chatIds.telegram': String(SALES_CHAT) } });
  salesUserId = sales._id;
}, 90_000);

afterAll(async () => {
  await killAll();
  await platforms.stop();
});

/**
 * Posts one message and returns the replies it brought, once its handling is over: for Telegram
 * when the webhook has answered (it answers after handling), for Zalo when `handled` says so.
 */
async function exchange(sentTo: () => string[], post: () => Promise<Response>, handled: () => Promise<void> = async () => undefined): Promise<string[]> {
  const before = sentTo().length;
  const res = await post();
  expect(res.status).toBe(200);
  await eventually(() => sentTo().length > before, 'a reply');
  await handled();
  return sentTo().slice(before);
}

async function oneCustomerWithPhone(phone: string) {
  const customers = await Customer.find({ phones: phone }).lean();
  expect(customers).toHaveLength(1);
  return customers[0]!;
}

const salesTexts = () => platforms.telegram.texts(SALES_CHAT);

/*
 * "Nothing more happened" is proven by a positive signal, never by a pause: the Telegram webhook
 * answers after the update is handled, and its processed mark is in the database; the Zalo webhooks
 * store before answering and the inbox marks each event done; a job's run shows in its document.
 */
async function telegramHandled(update: Record<string, unknown>) {
  // The claim is in the chat's session; the reservation gone means its handling is over.
  const chatId = String((update as { message: { chat: { id: number } } }).message.chat.id);
  await eventually(async () => Boolean(await ChatSession.exists({ channel: 'telegram', chatId, seenUpdates: String(update.update_id), leaseHolder: { $exists: false } })), 'the processed mark');
}

async function inboxDrained(channel: 'zalo_oa' | 'zalo_bot') {
  await eventually(async () => (await ZaloInbox.countDocuments({ channel, status: { $in: ['pending', 'processing'] } })) === 0, `the ${channel} inbox drained`);
}

it('both web processes started together on an empty database: one admin account, one set of stages', async () => {
  expect(await User.countDocuments({ email: ADMIN.email })).toBe(1);
  const { Stage } = await import('../../models/stage.js');
  const codes = (await Stage.find().select('code').lean()).map((s) => s.code);
  expect(codes.length).toBe(new Set(codes).size);
  expect(webA.running && webB.running).toBe(true);
  // The same start-up step, racing harder than two process start-ups reliably do.
  const email = 'second.admin@chot.test';
  const results = await Promise.all([1, 2, 3].map(() => ensureFirstAdmin({ email, password: 'mat-khau-admin-2' })));
  expect(results.filter((r) => r.created)).toHaveLength(1);
  expect(await User.countDocuments({ email })).toBe(1);
});

it('Telegram: an intake moves between the processes, and its last update, delivered to both at once and again, makes one customer and one answer', async () => {
  const lead = 8101;
  const texts = () => platforms.telegram.texts(lead);
  expect((await exchange(texts, () => postTelegramUpdate(webA.base, telegramText(lead, '/start'))))[0]).toContain('Xin chào');
  // Each answer goes to the other process: the intake state lives in the database.
  expect(await exchange(texts, () => postTelegramUpdate(webB.base, telegramText(lead, 'Lan')))).toEqual([expect.stringContaining('Số điện thoại')]);
  expect(await exchange(texts, () => postTelegramUpdate(webA.base, telegramText(lead, '0912345671')))).toEqual([expect.stringContaining('tư vấn về điều gì')]);

  const last = telegramText(lead, 'Căn hộ 2 phòng ngủ');
  const answers = await Promise.all([postTelegramUpdate(webA.base, last), postTelegramUpdate(webB.base, last)]);
  expect(answers.map((r) => r.status)).toEqual([200, 200]);
  expect((await postTelegramUpdate(webB.base, last)).status).toBe(200);
  await eventually(() => texts().some((t) => t.includes('Cảm ơn Lan')), 'the thank-you');
  await telegramHandled(last);
  expect(texts().filter((t) => t.includes('Cảm ơn Lan'))).toHaveLength(1);
  const customer = await oneCustomerWithPhone('+84912345671');
  expect(customer).toMatchObject({ name: 'Lan', need: 'Căn hộ 2 phòng ngủ' });
  expect(String(customer.owner)).toBe(String(salesUserId));
  // The salesperson is told of the new lead once.
  expect(salesTexts().filter((t) => t.includes('Khách mới'))).toHaveLength(1);

  // The customer writes again; the update reaches both processes: one interaction, one relay.
  const relayedBefore = salesTexts().length;
  const again = telegramText(lead, 'Cho em hỏi giá thuê');
  await Promise.all([postTelegramUpdate(webA.base, again), postTelegramUpdate(webB.base, again)]);
  await eventually(() => salesTexts().length > relayedBefore, 'the relay to the salesperson');
  await telegramHandled(again);
  expect(salesTexts().slice(relayedBefore).filter((t) => t.includes('Cho em hỏi giá thuê'))).toHaveLength(1);
  expect(await Interaction.countDocuments({ customer: customer._id, type: 'message_in', text: 'Cho em hỏi giá thuê' })).toBe(1);
});

it('Zalo OA: the same signed event delivered twice and to both processes is stored and handled once', async () => {
  const follower = 'zalo-user-77';
  const oa = (base: string) => new OaWebhookSender(base, ZALO_OA.appId, ZALO_OA.secretKey);
  const texts = () => platforms.zaloOa.sent.filter((s) => s.userId === follower).map((s) => s.text);
  await exchange(texts, () => oa(webA.base).post(oa(webA.base).text(follower, 'Chào shop')), () => inboxDrained('zalo_oa'));
  await exchange(texts, () => oa(webB.base).post(oa(webB.base).text(follower, 'Minh')), () => inboxDrained('zalo_oa'));
  await exchange(texts, () => oa(webA.base).post(oa(webA.base).text(follower, '0912345672')), () => inboxDrained('zalo_oa'));
  const last = oa(webA.base).text(follower, 'Đất nền');
  const answers = await Promise.all([oa(webA.base).post(last), oa(webB.base).post(last)]);
  expect(answers.map((r) => r.status)).toEqual([200, 200]);
  expect((await oa(webB.base).post(last)).status).toBe(200);
  await eventually(() => texts().some((t) => t.includes('Cảm ơn Minh')), 'the thank-you on Zalo OA');
  await inboxDrained('zalo_oa');
  expect(texts().filter((t) => t.includes('Cảm ơn Minh'))).toHaveLength(1);
  const customer = await oneCustomerWithPhone('+84912345672');
  expect(customer).toMatchObject({ name: 'Minh', need: 'Đất nền' });

  const again = oa(webA.base).text(follower, 'Còn lô góc không?');
  await Promise.all([oa(webA.base).post(again), oa(webB.base).post(again), oa(webA.base).post(again)]);
  await eventually(async () => (await Interaction.countDocuments({ customer: customer._id, type: 'message_in', text: 'Còn lô góc không?' })) > 0, 'the interaction');
  await inboxDrained('zalo_oa');
  expect(await Interaction.countDocuments({ customer: customer._id, type: 'message_in', text: 'Còn lô góc không?' })).toBe(1);
  expect(salesTexts().filter((t) => t.includes('Còn lô góc không?'))).toHaveLength(1);
});

it('Zalo Bot: the same update delivered twice and to both processes is stored and handled once', async () => {
  const user = 'zbot-user-9';
  const texts = () => platforms.zaloBot.sent.filter((s) => s.chatId === user).map((s) => s.text);
  const post = (base: string, update: unknown) => postBotUpdate(base, update, ZALO_BOT.secret);
  await exchange(texts, () => post(webB.base, botText(user, 'Xin chào')), () => inboxDrained('zalo_bot'));
  await exchange(texts, () => post(webA.base, botText(user, 'Hoa')), () => inboxDrained('zalo_bot'));
  await exchange(texts, () => post(webB.base, botText(user, '0912345673')), () => inboxDrained('zalo_bot'));
  const last = botText(user, 'Nhà phố');
  const answers = await Promise.all([post(webA.base, last), post(webB.base, last)]);
  expect(answers.map((r) => r.status)).toEqual([200, 200]);
  expect((await post(webA.base, last)).status).toBe(200);
  await eventually(() => texts().some((t) => t.includes('Cảm ơn Hoa')), 'the thank-you on Zalo Bot');
  await inboxDrained('zalo_bot');
  expect(texts().filter((t) => t.includes('Cảm ơn Hoa'))).toHaveLength(1);
  const customer = await oneCustomerWithPhone('+84912345673');

  const again = botText(user, 'Hẹn xem nhà thứ bảy');
  await Promise.all([post(webA.base, again), post(webB.base, again)]);
  await eventually(async () => (await Interaction.countDocuments({ customer: customer._id, type: 'message_in', text: 'Hẹn xem nhà thứ bảy' })) > 0, 'the interaction');
  await inboxDrained('zalo_bot');
  expect(await Interaction.countDocuments({ customer: customer._id, type: 'message_in', text: 'Hẹn xem nhà thứ bảy' })).toBe(1);
});

it('an admin session started on one web process works on the other', async () => {
  // Behind the HTTPS proxy PUBLIC_URL implies: the session cookie is Secure.
  const https = { 'x-forwarded-proto': 'https' };
  // A browser sends its page's origin with the form; the panel refuses a login without one.
  const login = await fetch(`${webA.base}/admin/login`, { method: 'POST', redirect: 'manual', headers: { ...https, origin: webA.base }, body: new URLSearchParams({ email: ADMIN.email, password: ADMIN.password }) });
  expect(login.status).toBe(302);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  expect(cookie).not.toBe('');
  const list = (base: string, withCookie: boolean) =>
    fetch(`${base}/admin/api/resources/Customer/actions/list`, { redirect: 'manual', headers: withCookie ? { ...https, cookie } : https });
  const onB = await list(webB.base, true);
  expect(onB.status).toBe(200);
  const body = (await onB.json()) as { records: unknown[] };
  expect(body.records.length).toBeGreaterThanOrEqual(3);
  // Without the cookie the other process refuses: the 200 above came from the shared session.
  expect((await list(webB.base, false)).status).not.toBe(200);
});

it('two workers started together send a due follow-up reminder once, and the web processes send none', async () => {
  const customer = await oneCustomerWithPhone('+84912345671');
  const sales = await User.findById(salesUserId).lean();
  const earlier = new Date(Date.now() - 5 * 60_000);
  // The reminder itself, not the morning digest that also lists the follow-up when the test runs
  // after the digest hour (company time).
  const reminders = () => salesTexts().filter((t) => t.startsWith('⏰') && t.includes('Gọi lại báo giá'));
  const followUp = await scheduleFollowUp(userActor({ _id: sales!._id, name: sales!.name, role: 'sales' }), customer._id, { type: 'call', dueAt: new Date(Date.now() - 60_000), note: 'Gọi lại báo giá' }, earlier);
  // No worker yet: the web processes schedule no job at all, so nothing can remind.
  const jobs = Customer.db.collection(JOBS_COLLECTION);
  expect(await jobs.countDocuments()).toBe(0);
  expect((await FollowUp.findById(followUp._id).lean())?.remindedFor).toBeFalsy();
  expect(reminders()).toHaveLength(0);

  const [worker1, worker2] = await Promise.all([AppProcess.start('worker 1', 'worker', platforms.env(db.uri)), AppProcess.start('worker 2', 'worker', platforms.env(db.uri))]);
  await eventually(() => reminders().length > 0, 'the reminder', 20_000);
  await eventually(async () => (await FollowUp.findById(followUp._id).lean())?.remindedFor, 'the reminder claim');
  // Two more complete runs of the reminder job, on whichever worker locks it: each is due at once,
  // and its document's lastFinishedAt moving past the moment it was made due proves the run is over.
  const reminderJob = { name: followUpReminders.name, type: 'single' };
  for (let run = 0; run < 2; run += 1) {
    await eventually(async () => (await jobs.findOne(reminderJob))?.lockedAt == null, 'the reminder job unlocked', 20_000);
    const dueAt = new Date();
    await jobs.updateOne(reminderJob, { $set: { nextRunAt: dueAt } });
    await eventually(async () => ((await jobs.findOne(reminderJob))?.lastFinishedAt?.getTime() ?? 0) >= dueAt.getTime(), 'another run of the reminder job', 20_000);
  }
  expect(await jobs.countDocuments(reminderJob)).toBe(1);
  expect(reminders()).toHaveLength(1);
  expect(worker1.running && worker2.running && webA.running && webB.running).toBe(true);
});
