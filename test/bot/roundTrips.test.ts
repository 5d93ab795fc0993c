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
import { CommandCounter } from '../../bench/lib/benchDatabase.js';
import { Customer } from '../../models/customer.js';
import { Stage } from '../../models/stage.js';
import { Source } from '../../models/source.js';
import { Group } from '../../models/group.js';
import { createOpportunity } from '../../crm/opportunities/opportunities.js';
import { createOrganization } from '../../crm/organizations/organizations.js';
import { linkContact } from '../../crm/organizations/contacts.js';
import { addComment } from '../../crm/comments/comments.js';
import { CommentRead } from '../../models/commentRead.js';

jest.setTimeout(120_000);

const SECRET = 'round-trips-secret';
const STAFF_CHAT = 4100;
const MANAGER_CHAT = 4200;
let dormantId = '';
let app: RunningApp;
let telegram: FakeTelegramServer;
let stopDb: () => Promise<void>;
let customerId = '';
const commands: CommandStartedEvent[] = [];
/** Counts waits as the bench does: reads sent together are one wait. */
const counter = new CommandCounter();
let updateId = 1;

beforeAll(async () => {
  telegram = await new FakeTelegramServer().start();
  const db = await startEmbeddedMongo();
  stopDb = db.stop;
  const config = loadConfig({ MONGODB_URI: db.uri, PORT: '0', LOG_LEVEL: 'silent', PUBLIC_URL: 'https://rt.chot.local', TELEGRAM_BOT_TOKEN: '123456:RT', TELEGRAM_API_ROOT: telegram.url, TELEGRAM_WEBHOOK_SECRET: SECRET, SESSION_SECRET: 'round-trips-session-secret-0123' });
  app = await startApp({ config, logger: createLogger('silent'), mode: { web: true, worker: false }, dbName: 'chot_round_trips', clientOptions: { monitorCommands: true, ...EMBEDDED_CLIENT_OPTIONS } });
  mongoose.connection.getClient().on('commandStarted', (e) => commands.push(e));
  counter.watch(mongoose.connection.getClient());
  const sales = await createUser(SYSTEM, { name: 'Lan Sales', email: 'lan@chot.test', role: 'sales' });
  await User.updateOne({ _id: sales._id }, { $set: { 'chatIds.telegram': String(STAFF_CHAT) } });
  const manager = await createUser(SYSTEM, { name: 'Hùng Manager', email: 'hung@chot.test', role: 'manager' });
  await User.updateOne({ _id: manager._id }, { $set: { 'chatIds.telegram': String(MANAGER_CHAT) } });
  // A card with everything that has a name: stage, owner, source, groups.
  const [source, group] = await Promise.all([Source.findOne({ code: 'website' }).lean(), Group.create({ name: 'Khách VIP' })]);
  const customer = await createCustomer(userActor(sales), { name: 'Trần Văn Bình', phones: ['0912000111'], source: source!._id, groups: [group._id] });
  customerId = String(customer._id);
  const dormant = await createCustomer(userActor(sales), { name: 'Lê Thị Ngủ', phones: ['0912000222'] });
  dormantId = String(dormant._id);
  await createOpportunity(userActor(sales), { name: 'Gói năm', customer: customer._id, value: 12_000_000 });
});

afterAll(async () => {
  await app?.stop();
  await stopDb?.();
  await telegram?.stop();
});

const from = (id: number) => ({ id, is_bot: false, first_name: 'X', language_code: 'vi' });
const chat = (id: number) => ({ id, type: 'private', first_name: 'X' });

/**
 * POSTs one update and returns the database commands sent until the webhook answered, the
 * collections they went to, and the waits they cost (commands sent together count once).
 */
async function roundTrips(update: Record<string, unknown>): Promise<{ count: number; waits: number; collections: string[]; names: string[] }> {
  const before = commands.length;
  const { waits } = await counter.measure(async () => {
    const res = await fetch(`http://127.0.0.1:${app.port}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify({ update_id: updateId++, ...update }),
    });
    await res.arrayBuffer();
    expect(res.status).toBe(200);
  });
  const collections = commands.slice(before).map((c) => String(c.command[c.commandName]));
  // Not counted: the caches' version check, at most once a second for the whole process, sent beside the claim.
  const names = commands.slice(before).map((c) => c.commandName);
  return { count: collections.filter((c) => c !== 'cacheversions').length, waits, collections, names };
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
  expect((await press(STAFF_CHAT, 'rp:none')).waits).toBeLessThanOrEqual(5);
  // The save: the customer once, the follow-up beside its next date, then the card.
  const saved = await press(STAFF_CHAT, 'skip');
  expect(telegram.lastTextByChat.get(String(STAFF_CHAT))).toContain('⏰');
  expect(saved.waits).toBeLessThanOrEqual(5);
  expect(saved.collections.filter((c) => c === 'customers')).toHaveLength(2); // the read, and the next date
});

/** Reference data and staff come from the in-process caches: a card step never reads these. */
const CACHED = ['stages', 'sources', 'groups', 'settings', 'users', 'opportunitystages'];
const lastText = (chat: number) => telegram.lastTextByChat.get(String(chat)) ?? '';

describe('the sales commands stay within 5 waits on the database per update', () => {
  beforeAll(async () => {
    // The first updates of the process fill the caches.
    await text(STAFF_CHAT, '/help');
    await press(STAFF_CHAT, `c:${customerId}`);
    await text(MANAGER_CHAT, '/help');
  });

  it('opening a card: the claim, the whole card in one command, the closing write (3 commands, 3 waits), no reference data read', async () => {
    const trips = await press(STAFF_CHAT, `c:${customerId}`);
    expect(lastText(STAFF_CHAT)).toContain('Trần Văn Bình');
    // The names come from memory and are on the card all the same.
    for (const shown of ['Mới', 'Lan Sales', 'Website', 'Gói năm']) expect(lastText(STAFF_CHAT)).toContain(shown);
    expect(trips.waits).toBeLessThanOrEqual(3);
    expect(trips.count).toBeLessThanOrEqual(3);
    expect(trips.collections.filter((c) => CACHED.includes(c))).toEqual([]);
  });

  it('opening a card with unread comments marks them read with one more command', async () => {
    await addComment(userActor((await User.findOne({ role: 'manager' }).lean())!), customerId, 'Gọi lại cho khách nhé', []);
    const trips = await press(STAFF_CHAT, `c:${customerId}`);
    expect(trips.collections).toEqual(['chatsessions', 'customers', 'commentreads', 'chatsessions']);
    expect((await CommentRead.findOne({ customer: customerId, unread: { $gt: 0 } }).lean())).toBeNull();
    expect((await press(STAFF_CHAT, `c:${customerId}`)).count).toBe(3);
  });

  it('/find with one hit opens its card without reading the customer again', async () => {
    await text(STAFF_CHAT, '/find Trần Văn Bình'); // the first search of the process learns whether the team has organizations
    const trips = await text(STAFF_CHAT, '/find Trần Văn Bình');
    expect(lastText(STAFF_CHAT)).toContain('Nguồn');
    // The claim, the search, the card's reads together, the release.
    expect(trips.waits).toBeLessThanOrEqual(4);
    expect(trips.count).toBeLessThanOrEqual(13);
    // The search only: a team without organizations is not searched for one.
    expect(trips.collections.filter((c) => c === 'customers')).toHaveLength(1);
    expect(trips.collections).not.toContain('organizations');
    expect(trips.collections.filter((c) => CACHED.includes(c))).toEqual([]);
  });

  it("a salesperson's /find among organizations asks for customers and organizations together, not for their scope first", async () => {
    const manager = userActor((await User.findOne({ email: 'hung@chot.test' }).lean())!);
    const sales = userActor((await User.findOne({ email: 'lan@chot.test' }).lean())!);
    const theirs = await createOrganization(manager, { name: 'Công ty TNHH Bình Minh' });
    const hers = await createOrganization(sales, { name: 'Công ty Cổ phần Bình An' });
    await createOrganization(manager, { name: 'Công ty TNHH Bình Dương' });
    // Lan sells to the manager's Bình Minh through a contact: she sees it, not Bình Dương.
    const contact = await createCustomer(sales, { name: 'Đỗ Thị Liên', phones: ['0912000444'] });
    await linkContact(manager, theirs._id, contact._id, {});
    await text(STAFF_CHAT, '/find binh'); // the first search after the first organization learns that the team has some
    const trips = await text(STAFF_CHAT, '/find binh');
    expect(lastText(STAFF_CHAT)).toContain('Kết quả');
    const shown = (telegram.buttons(String(STAFF_CHAT)) ?? []).map((b) => b.text);
    expect(shown).toEqual(expect.arrayContaining([`🏢 ${hers.code} · Công ty Cổ phần Bình An`, `🏢 ${theirs.code} · Công ty TNHH Bình Minh`, expect.stringContaining('Trần Văn Bình')]));
    expect(shown.join('\n')).not.toContain('Bình Dương');
    // The claim, the two searches and the check of Lan's contacts at the one she does not own, the release.
    expect(trips.waits).toBeLessThanOrEqual(4);
    expect(trips.count).toBeLessThanOrEqual(5);
    expect(trips.collections.filter((c) => c === 'organizations')).toHaveLength(1);
    expect(trips.names.filter((n) => n === 'distinct')).toHaveLength(1);
    // Matching no organization she does not own, the search asks nothing about her contacts.
    const card = await text(STAFF_CHAT, '/find Trần Văn Bình');
    expect(lastText(STAFF_CHAT)).toContain('Nguồn');
    expect(card.collections.filter((c) => c === 'organizations')).toHaveLength(1);
    expect(card.names).not.toContain('distinct');
    expect(card.waits).toBeLessThanOrEqual(4);
  });

  it('logging a call: each of its three steps within 5 waits, the card after it without reference data', async () => {
    const steps = [await press(STAFF_CHAT, `l:call:${customerId}`)];
    steps.push(await press(STAFF_CHAT, 'o:reached'));
    steps.push(await press(STAFF_CHAT, 'skip'));
    expect(lastText(STAFF_CHAT)).toContain('Đã ghi');
    for (const step of steps) expect(step.waits).toBeLessThanOrEqual(5);
    expect(steps.map((s) => s.count)).toEqual([3, 2, expect.any(Number)]);
    // The save: the claim, the card with its customer, the interaction and what it moves, the closing write.
    expect(steps[2].count).toBeLessThanOrEqual(7);
    expect(steps[2].waits).toBeLessThanOrEqual(4);
    expect(steps[2].collections.filter((c) => CACHED.includes(c))).toEqual([]);
  });

  it('logging a call to a dormant customer revives them within 5 waits', async () => {
    const dormantStage = (await Stage.findOne({ kind: 'dormant' }).lean())!;
    await Customer.updateOne({ _id: dormantId }, { $set: { stage: dormantStage._id, dormantSince: new Date() } });
    await press(STAFF_CHAT, `l:call:${dormantId}`);
    await press(STAFF_CHAT, 'o:reached');
    const trips = await press(STAFF_CHAT, 'skip');
    expect(lastText(STAFF_CHAT)).toContain('Mới');
    expect((await Customer.findById(dormantId).lean())!.stage).not.toEqual(dormantStage._id);
    expect(trips.waits).toBeLessThanOrEqual(5);
    expect(trips.collections).toContain('stagechanges');
  });

  it('changing stage: the card with its customer in one command, the writes together, no second read (6 commands, 4 waits), no stage read', async () => {
    const to = (await Stage.findOne({ code: 'tiep_can' }).lean())!;
    const trips = await press(STAFF_CHAT, `ss:${customerId}:${to._id}`);
    expect(lastText(STAFF_CHAT)).toContain('Tiếp cận');
    expect(lastText(STAFF_CHAT)).toContain('Gói năm');
    expect(trips.waits).toBeLessThanOrEqual(4);
    // The claim, the card, the move, its history line, the rollups, the closing write.
    expect(trips.count).toBeLessThanOrEqual(6);
    expect(trips.collections.filter((c) => c === 'customers')).toHaveLength(2); // the card, then the move
    expect(trips.collections.filter((c) => CACHED.includes(c))).toEqual([]);
  });

  it('/pipeline, a salesperson\'s and a manager\'s, reads no step or staff names', async () => {
    // The first /pipeline on a database that has no dashboard rollups yet (an upgrade) builds them
    // once, and the next one reads, once per process, that they are built; every later one only
    // reads the rollups.
    for (let i = 0; i < 2; i++) await text(MANAGER_CHAT, '/pipeline');
    for (const chat of [STAFF_CHAT, MANAGER_CHAT]) {
      const trips = await text(chat, '/pipeline');
      expect(lastText(chat)).toContain('Tiếp cận');
      expect(trips.waits).toBeLessThanOrEqual(3);
      expect(trips.count).toBeLessThanOrEqual(5);
      expect(trips.collections.filter((c) => CACHED.includes(c))).toEqual([]);
    }
  });
});
