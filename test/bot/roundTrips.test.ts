/**
 * Database round trips per chat update, counted as the bench counts them: the whole app in webhook
 * mode, a Telegram update POSTed in, every command the driver sends until the webhook answers.
 * Settings and the staff lookup come from memory, and the session read, the update claim and the
 * choices write are one write before and one after the step: that is what keeps an update cheap.
 */
import { jest } from '@jest/globals';
import mongoose from 'mongoose';
import type { CommandStartedEvent } from 'mongodb';
import { loadConfig } from '../../app/config.js';
import { createLogger } from '../../app/logger.js';
import { EMBEDDED_CLIENT_OPTIONS, startEmbeddedMongo } from '../../app/database.js';
import { startApp, type RunningApp } from '../../app/start.js';
import { createUser } from '../../crm/users/users.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { SYSTEM, userActor } from '../../crm/users/actor.js';
import { User } from '../../models/user.js';
import { FakeTelegramServer } from '../../bench/lib/fakeTelegramServer.js';

jest.setTimeout(120_000);

const SECRET = 'round-trips-secret';
const STAFF_CHAT = 4100;
let app: RunningApp;
let telegram: FakeTelegramServer;
let stopDb: () => Promise<void>;
let customerId = '';
const commands: CommandStartedEvent[] = [];
let updateId = 1;

beforeAll(async () => {
  telegram = await new FakeTelegramServer().start();
  const db = await startEmbeddedMongo();
  stopDb = db.stop;
  const config = loadConfig({ MONGODB_URI: db.uri, PORT: '0', LOG_LEVEL: 'silent', PUBLIC_URL: 'https://rt.chot.local', TELEGRAM_BOT_TOKEN: '123456:RT', TELEGRAM_API_ROOT: telegram.url, TELEGRAM_WEBHOOK_SECRET: SECRET, SESSION_SECRET: 'round-trips-session-secret-0123' });
  app = await startApp({ config, logger: createLogger('silent'), mode: { web: true, worker: false }, dbName: 'chot_round_trips', clientOptions: { monitorCommands: true, ...EMBEDDED_CLIENT_OPTIONS } });
  mongoose.connection.getClient().on('commandStarted', (e) => commands.push(e));
  const sales = await createUser(SYSTEM, { name: 'Lan Sales', email: 'lan@chot.test', role: 'sales' });
  await User.updateOne({ _id: sales._id }, { $set: { 'chatIds.telegram': String(STAFF_CHAT) } });
  const customer = await createCustomer(userActor(sales), { name: 'Trần Văn Bình', phones: ['0912000111'] });
  customerId = String(customer._id);
});

afterAll(async () => {
  await app?.stop();
  await stopDb?.();
  await telegram?.stop();
});

const from = (id: number) => ({ id, is_bot: false, first_name: 'X', language_code: 'vi' });
const chat = (id: number) => ({ id, type: 'private', first_name: 'X' });

/** POSTs one update and returns the database commands sent until the webhook answered. */
async function roundTrips(update: Record<string, unknown>): Promise<{ count: number; collections: string[] }> {
  const before = commands.length;
  const res = await fetch(`http://127.0.0.1:${app.port}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify({ update_id: updateId++, ...update }),
  });
  await res.arrayBuffer();
  expect(res.status).toBe(200);
  const sent = commands.slice(before);
  return { count: sent.length, collections: sent.map((c) => String(c.command[c.commandName])) };
}
const text = (id: number, body: string) => roundTrips({ message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat: chat(id), from: from(id), text: body } });
const press = (id: number, data: string) =>
  roundTrips({ callback_query: { id: String(updateId), from: from(id), chat_instance: 'rt', data, message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: chat(id), text: '…' } } });

it('an update that needs no data costs two round trips: the claim that reads the session, and the closing write', async () => {
  await text(STAFF_CHAT, '/help'); // the first update of the process loads settings and staff
  for (let i = 0; i < 3; i++) {
    const trips = await text(STAFF_CHAT, '/help');
    // Plus, at most once a second for the whole process, the check of the cache versions.
    expect(trips.collections.filter((c) => c !== 'cacheversions')).toEqual(['chatsessions', 'chatsessions']);
  }
});

it('settings and the staff lookup are not read from the database per update', async () => {
  const seen: string[] = [];
  for (const body of ['/help', '/today', '/help']) seen.push(...(await text(STAFF_CHAT, body)).collections);
  expect(seen).not.toContain('settings');
  expect(seen).not.toContain('users');
});

it('the intake of a new lead: each answer before the capture stays within 5 round trips', async () => {
  const lead = 7300;
  for (const body of ['/start', 'Nguyễn Thị Hoa', '0912345777']) {
    expect((await text(lead, body)).count).toBeLessThanOrEqual(5);
  }
  expect(telegram.lastTextByChat.get(String(lead))).toContain('tư vấn về điều gì');
});

it('scheduling a follow-up stays within 5 round trips per update', async () => {
  expect((await press(STAFF_CHAT, `f:${customerId}`)).count).toBeLessThanOrEqual(5);
  expect((await text(STAFF_CHAT, 'mai 9h')).count).toBeLessThanOrEqual(5);
  expect(telegram.lastTextByChat.get(String(STAFF_CHAT))).not.toContain('Có lỗi');
});
