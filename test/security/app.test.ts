import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { mkdtemp, rm } from 'node:fs/promises';
import { startApp, type RunningApp } from '../../app/start.js';
import { loadConfig } from '../../app/config.js';
import { createLogger } from '../../app/logger.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { userActor } from '../../crm/users/actor.js';
import { issueLinkCode } from '../../crm/users/users.js';
import { SYSTEM } from '../../crm/users/actor.js';
import { Customer } from '../../models/customer.js';
import { User } from '../../models/user.js';
import { Settings } from '../../models/settings.js';
import { Campaign } from '../../models/campaign.js';
import { Stage } from '../../models/stage.js';
import { ZaloInbox } from '../../models/zaloInbox.js';
import { ChatSession } from '../../models/chatSession.js';
import { Interaction } from '../../models/interaction.js';
import { FakeServer } from '../zalo/helpers/fakeServer.js';
import { FakeZaloOa } from '../zalo/helpers/fakeZaloOa.js';
import { FakeZaloBot } from '../zalo/helpers/fakeZaloBot.js';
import { OaWebhookSender } from '../zalo/helpers/oaWebhookClient.js';
import { oaSignature } from '../../bot/zalo/oa/signature.js';
import { botText, postBotUpdate } from '../zalo/helpers/botUpdates.js';
import { waitFor } from '../zalo/helpers/app.js';
import { Browser as PanelBrowser, makeUser } from '../admin/harness.js';
import { BOT_INFO } from '../bot/telegramHarness.js';

/**
 * The whole app, every feature on, configured with a Telegram token, both Zalo products and an
 * admin password against fake servers on 127.0.0.1, logging at trace level into memory. The tests
 * below attack it from outside; the last one reads every log line for the secrets it was given.
 */

/**
 * With an https PUBLIC_URL the session cookie is `Secure`: the app runs behind a TLS proxy on the
 * same host, so the browser's requests arrive as from that proxy.
 */
class Browser extends PanelBrowser {
  override request(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
    return super.request(method, url, body, { 'x-forwarded-proto': 'https', ...headers });
  }
}

const SECRETS = {
  ADMIN_PASSWORD: 'Quan-tri-Mat-Khau-9137',
  SESSION_SECRET: 'session-secret-5f1e0c2b9a7d4e68',
  TELEGRAM_BOT_TOKEN: '7654321:AAH-tele-Secret_Token-xyz789',
  TELEGRAM_WEBHOOK_SECRET: 'tg-hook-Secret-4412',
  ZALO_OA_SECRET_KEY: 'oa-Secret-Key-77aa31',
  ZALO_OA_ACCESS_TOKEN: 'oa-Access-Token-0f9e8d',
  ZALO_OA_REFRESH_TOKEN: 'oa-Refresh-Token-c4b3a2',
  ZALO_BOT_TOKEN: '1459232241454765289:zbot-Secret-Part-91Kq',
  ZALO_BOT_WEBHOOK_SECRET: 'zbot-hook-Secret-6630',
};
const SALES_PASSWORD = 'Ban-hang-Mat-Khau-2468';
const ADMIN_EMAIL = 'boss@chot.test';
const APP_ID = 'oa-app-1';

const logChunks: string[] = [];
const logStream = new Writable({
  write(chunk, _enc, done) {
    logChunks.push(String(chunk));
    done();
  },
});
const logLines = () =>
  logChunks
    .join('')
    .split('\n')
    .filter(Boolean);

/** A Telegram Bot API stand-in: answers every method, records sends. */
const telegramSent: { chatId: string; text: string }[] = [];
const telegram = new FakeServer((req) => {
  const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.path);
  if (!match || match[1] !== SECRETS.TELEGRAM_BOT_TOKEN) return { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };
  const body = req.raw ? JSON.parse(req.raw) : {};
  if (match[2] === 'getMe') return { body: { ok: true, result: BOT_INFO } };
  if (match[2] === 'sendMessage') {
    telegramSent.push({ chatId: String(body.chat_id), text: body.text });
    return { body: { ok: true, result: { message_id: telegramSent.length, date: 0, chat: { id: body.chat_id, type: 'private' }, text: body.text } } };
  }
  return { body: { ok: true, result: true } };
});
const zaloOa = new FakeZaloOa({ appId: APP_ID, appSecret: SECRETS.ZALO_OA_SECRET_KEY, accessToken: SECRETS.ZALO_OA_ACCESS_TOKEN, refreshToken: SECRETS.ZALO_OA_REFRESH_TOKEN });
const zaloBot = new FakeZaloBot(SECRETS.ZALO_BOT_TOKEN);

let app: RunningApp;
let base: string;
let dataDir: string;
let oa: OaWebhookSender;
let sales: { _id: import('mongoose').Types.ObjectId; name: string };
let colleague: { _id: import('mongoose').Types.ObjectId; name: string };

beforeAll(async () => {
  await Promise.all([telegram.start(), zaloOa.start(), zaloBot.start()]);
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'chot-security-'));
  const env: Record<string, string> = {
    ...SECRETS,
    DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'trace',
    PUBLIC_URL: 'https://crm.example.vn',
    // The TLS proxy on the same host is the only peer allowed to say the request came over https.
    TRUST_PROXY: 'loopback',
    ADMIN_EMAIL,
    TELEGRAM_API_ROOT: telegram.url,
    ZALO_OA_APP_ID: APP_ID,
    ZALO_OA_API_ROOT: zaloOa.url,
    ZALO_OAUTH_ROOT: zaloOa.url,
    ZALO_BOT_API_ROOT: zaloBot.url,
  };
  if (process.env.MONGODB_URI) env.MONGODB_URI = process.env.MONGODB_URI;
  const config = loadConfig(env);
  app = await startApp({ config, logger: createLogger(config.LOG_LEVEL, logStream), dbName: `chot_security_${Date.now()}` });
  base = `http://127.0.0.1:${app.port}`;
  oa = new OaWebhookSender(base, APP_ID, SECRETS.ZALO_OA_SECRET_KEY);
  sales = await makeUser('sales', 'lan@chot.test', SALES_PASSWORD);
  colleague = await makeUser('sales', 'minh@chot.test', SALES_PASSWORD);
  await makeUser('manager', 'hoa@chot.test', SALES_PASSWORD);
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await Promise.all([telegram.stop(), zaloOa.server.stop(), zaloBot.server.stop()]);
  if (process.env.MONGODB_URI) {
    // startApp's database on a real server: nothing else uses it.
  }
  await rm(dataDir, { recursive: true, force: true });
});

/** The Zalo inboxes have nothing left to process: whatever an accepted request started has finished. */
const inboxDrained = () => waitFor(async () => (await ZaloInbox.countDocuments({ status: { $in: ['pending', 'processing'] } })) === 0);

/** What a refused or hostile request could have left behind. */
async function stored() {
  return {
    processed: (await ChatSession.find().lean()).reduce((n, s) => n + (s.seenUpdates?.length ?? 0), 0),
    inbox: await ZaloInbox.countDocuments(),
    sessions: await ChatSession.countDocuments(),
    customers: await Customer.countDocuments(),
    interactions: await Interaction.countDocuments(),
    sent: telegramSent.length + zaloOa.sent.length + zaloBot.sent.length,
  };
}

let updateId = 9000;
function tgText(userId: number, text: string): Record<string, unknown> {
  updateId += 1;
  return {
    update_id: updateId,
    message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat: { id: userId, type: 'private', first_name: 'K' }, from: { id: userId, is_bot: false, first_name: 'K' }, text },
  };
}

function postTelegram(body: unknown, secret?: string, raw?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret !== undefined) headers['x-telegram-bot-api-secret-token'] = secret;
  return fetch(`${base}/webhooks/telegram`, { method: 'POST', headers, body: raw ?? JSON.stringify(body) });
}

/**
 * A POST on its own connection, closed after the answer: a server that refuses a big body before
 * reading it leaves a pooled fetch connection half-used, which would outlive the test.
 */
function postRaw(pathname: string, body: string | Buffer, headers: Record<string, string>): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${pathname}`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', connection: 'close', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    // A refusal may come (and the socket close) before the whole body is written.
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    req.end(body);
  });
}

describe('webhooks refuse requests without the right secret or signature', () => {
  const cases: { channel: string; send: (secret: string | undefined) => Promise<Response> }[] = [
    { channel: 'Telegram', send: (secret) => postTelegram(tgText(8100, '/start'), secret) },
    { channel: 'Zalo Bot', send: (secret) => postBotUpdate(base, botText('zb-8100', 'Xin chào'), secret) },
    {
      channel: 'Zalo OA',
      send: (secret) => (secret === undefined ? oa.post(oa.text('zo-8100', 'Xin chào'), { sign: false }) : oa.post(oa.text('zo-8100', 'Xin chào'), { secret })),
    },
  ];

  it.each(cases)('$channel: no secret, a wrong one, or a near miss → 401, nothing stored or sent', async ({ send }) => {
    const before = await stored();
    for (const secret of [undefined, '', 'wrong-secret', `${SECRETS.TELEGRAM_WEBHOOK_SECRET}x`, SECRETS.ZALO_BOT_WEBHOOK_SECRET.slice(0, -1), SECRETS.ZALO_OA_SECRET_KEY.toUpperCase()]) {
      const res = await send(secret);
      expect({ secret, status: res.status }).toEqual({ secret, status: 401 });
    }
    // Telegram updates are handled before the answer; Zalo's are stored before it and processed
    // after: once the inbox has drained, nothing a request started is still on its way.
    await inboxDrained();
    expect(await stored()).toEqual(before);
  });

  it('Zalo OA: a correctly signed event replayed with an old timestamp is refused', async () => {
    const before = await stored();
    const old = oa.event('user_send_text', 'zo-8101', { message: { msg_id: 'replay-1', text: 'cũ' } }, Date.now() - 6 * 60_000);
    expect((await oa.post(old)).status).toBe(401);
    // The same capture with only the timestamp moved forward no longer matches its signature.
    const moved = await oa.post(old, { tamper: (raw) => raw.replace(String(old.timestamp), String(Date.now())) });
    expect(moved.status).toBe(401);
    expect(await stored()).toEqual(before);
  });

  it('the right secrets are accepted (so the refusals above are about the secret)', async () => {
    expect((await postTelegram(tgText(8102, '/start'), SECRETS.TELEGRAM_WEBHOOK_SECRET)).status).toBe(200);
    expect((await postBotUpdate(base, botText('zb-8102', 'Xin chào'), SECRETS.ZALO_BOT_WEBHOOK_SECRET)).status).toBe(200);
    expect((await oa.post(oa.text('zo-8102', 'Xin chào'))).status).toBe(200);
    await waitFor(() => telegramSent.some((m) => m.chatId === '8102') && zaloBot.sent.some((m) => m.chatId === 'zb-8102') && zaloOa.sent.some((m) => m.userId === 'zo-8102'));
  });
});

describe('hostile webhook bodies (with the right secrets)', () => {
  const tgHeaders = { 'x-telegram-bot-api-secret-token': SECRETS.TELEGRAM_WEBHOOK_SECRET };
  const botHeaders = { 'x-bot-api-secret-token': SECRETS.ZALO_BOT_WEBHOOK_SECRET };

  it('refuses bodies over the limit with 413 and keeps serving', async () => {
    const big = JSON.stringify({ ...tgText(8200, 'x'.repeat(1_100_000)) });
    expect((await postRaw('/webhooks/telegram', big, tgHeaders)).status).toBe(413);
    expect((await postRaw('/webhooks/zalo-bot', JSON.stringify(botText('zb-8200', 'x'.repeat(1_000_000))), botHeaders)).status).toBe(413);
    const oaBig = JSON.stringify(oa.text('zo-8200', 'x'.repeat(1_000_000)));
    const timestamp = String(JSON.parse(oaBig).timestamp);
    const mac = oaSignature(APP_ID, oaBig, timestamp, SECRETS.ZALO_OA_SECRET_KEY);
    expect((await postRaw('/webhooks/zalo-oa', oaBig, { 'x-zevent-signature': `mac=${mac}` })).status).toBe(413);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await Customer.countDocuments({ name: { $regex: '^xxxx' } })).toBe(0);
  });

  it('answers deeply nested and invalid UTF-8 bodies without crashing or storing them', async () => {
    const before = await stored();
    const deep = '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000);
    for (const [pathname, headers] of [['/webhooks/telegram', tgHeaders], ['/webhooks/zalo-bot', botHeaders]] as const) {
      const res = await postRaw(pathname, deep, headers);
      expect(res.status).toBeLessThan(500);
      const bad = await postRaw(pathname, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]), headers);
      expect(bad.status).toBeLessThan(500);
    }
    expect(await stored()).toEqual(before);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('never lets MongoDB operators in ids or text reach a query: each is refused or stored as a plain string', async () => {
    const op = { $gt: '' };
    const where = { $where: 'sleep(100) || true' };
    const tg = (message: Record<string, unknown>) => ({ ...tgText(8300, 'hi'), message: { ...(tgText(8300, 'hi').message as object), ...message } });
    const hostile = [
      tg({ text: op }),
      tg({ chat: { id: op, type: 'private' } }),
      tg({ from: { id: where, is_bot: false, first_name: 'x' } }),
      { update_id: op, message: tgText(8300, 'hi').message },
    ];
    for (const update of hostile) expect((await postTelegram(update, SECRETS.TELEGRAM_WEBHOOK_SECRET)).status).toBeLessThan(500);
    const zb = botText('zb-8300', 'hi');
    for (const update of [
      { ...zb, message: { ...zb.message, text: op } },
      { ...zb, message: { ...zb.message, chat: { id: op, chat_type: 'PRIVATE' }, from: { id: op, display_name: 'x', is_bot: false } } },
      { ...zb, message: { ...zb.message, message_id: where } },
    ]) {
      expect((await postBotUpdate(base, update, SECRETS.ZALO_BOT_WEBHOOK_SECRET)).status).toBeLessThan(500);
    }
    for (const event of [
      { ...oa.text('zo-8300', 'hi'), sender: { id: op } },
      { ...oa.text('zo-8300', 'hi'), message: { msg_id: where, text: op } },
    ]) {
      expect((await oa.post(event)).status).toBeLessThan(500);
    }
    await inboxDrained();
    expect(await ZaloInbox.countDocuments({ status: 'failed' })).toBe(0);
    // Whatever was kept holds only plain strings where ids and text go.
    for (const s of await ChatSession.find().lean()) {
      expect(s.chatId).not.toMatch(/object|\$gt|\$where/i);
      for (const id of s.seenUpdates ?? []) expect(id).not.toMatch(/object|\$gt|\$where/i);
    }
    for (const e of await ZaloInbox.find().lean()) expect(e.key).not.toMatch(/object|\$gt|\$where/i);
    for (const c of await Customer.find().lean()) {
      expect(JSON.stringify(c)).not.toMatch(/"\$gt"|"\$where"|\[object Object\]/);
    }
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});

describe('the admin panel: who may do what', () => {
  let salesBrowser: Browser;
  let managerBrowser: Browser;
  let theirs: { _id: unknown; stage: unknown };
  let mine: { _id: unknown };

  beforeAll(async () => {
    salesBrowser = new Browser(base);
    managerBrowser = new Browser(base);
    expect((await salesBrowser.login('lan@chot.test', SALES_PASSWORD)).status).toBe(302);
    expect((await managerBrowser.login('hoa@chot.test', SALES_PASSWORD)).status).toBe(302);
    theirs = await createCustomer(userActor({ _id: colleague._id, role: 'sales' }), { name: 'Khách Của Minh', phones: ['0977000111'], need: 'Riêng tư' });
    mine = await createCustomer(userActor({ _id: sales._id, role: 'sales' }), { name: 'Khách Của Lan', phones: ['0977000222'] });
  });

  /** Everything these requests could change, to compare before and after. */
  async function snapshot() {
    const plain = async (q: Promise<unknown[]>) => JSON.stringify(await q);
    return {
      customers: await plain(Customer.find().sort({ _id: 1 }).lean()),
      users: await plain(User.find().sort({ _id: 1 }).lean()),
      // Background jobs may touch the settings' updatedAt: compare what a person could change.
      settings: JSON.stringify((await Settings.find().lean()).map(({ updatedAt: _touched, ...rest }) => rest)),
      campaigns: await plain(Campaign.find().lean()),
      stages: await plain(Stage.find().sort({ _id: 1 }).lean()),
    };
  }

  /** AdminJS answers a refused action with a "forbiddenError" notice (200) or a 403. */
  function expectRefused(what: string, res: { status: number; data: any }) {
    const refused = res.status === 403 || res.status === 401 || ['forbiddenError', 'crmError_forbidden'].includes(res.data?.notice?.message);
    expect({ what, status: res.status, refused }).toEqual({ what, status: res.status, refused: true });
  }

  it('a salesperson cannot open, edit, delete or bulk-change a colleague\'s customer by direct URL', async () => {
    const before = await snapshot();
    const id = String(theirs._id);
    const won = await Stage.findOne({ kind: 'won' }).lean();
    const group = await (await import('../../models/group.js')).Group.findOne().lean();
    const requests: [string, 'GET' | 'POST', string, unknown?][] = [
      ['show', 'GET', `/resources/Customer/records/${id}/show`],
      ['edit (read)', 'GET', `/resources/Customer/records/${id}/edit`],
      ['edit', 'POST', `/resources/Customer/records/${id}/edit`, { name: 'Sửa trộm', need: 'x' }],
      ['delete', 'POST', `/resources/Customer/records/${id}/delete`],
      ['bulk stage', 'POST', `/resources/Customer/bulk/changeStage?recordIds=${mine._id},${id}`, { target: String(won!._id) }],
      ['bulk group', 'POST', `/resources/Customer/bulk/addToGroup?recordIds=${id}`, { target: String(group!._id) }],
      ['bulk owner', 'POST', `/resources/Customer/bulk/assignOwner?recordIds=${id}`, { target: String(sales._id) }],
      ['bulk delete', 'POST', `/resources/Customer/bulk/bulkDelete?recordIds=${id}`],
      ['take it over by edit of own + owner', 'POST', `/resources/Customer/records/${mine._id}/edit`, { owner: String(colleague._id) }],
      ['import', 'POST', '/resources/Customer/actions/importCsv', { step: 'commit', csv: 'Họ tên,Số điện thoại\nNhập lậu,0977000999\n' }],
    ];
    for (const [what, method, url, body] of requests) expectRefused(what, await salesBrowser.api(method, url, body));
    const list = await salesBrowser.api('GET', `/resources/Customer/actions/list?filters.owner=${colleague._id}`);
    expect(list.data.records).toEqual([]);
    for (const widen of [`filters.owner.$ne=${sales._id}`, 'filters.owner.$exists=true', 'filters.deletedAt=', 'filters.name.$regex=.*']) {
      const res = await salesBrowser.api('GET', `/resources/Customer/actions/list?${widen}&perPage=200`);
      expect({ widen, names: res.data.records.map((r: any) => r.params.name) }).toEqual({ widen, names: ['Khách Của Lan'] });
    }
    const search = await salesBrowser.api('GET', '/resources/Customer/search/Minh');
    expect(JSON.stringify(search.data)).not.toContain('Khách Của Minh');
    const csv = await (await salesBrowser.request('GET', `/admin/export/customers.csv?filters.owner=${colleague._id}`)).text();
    expect(csv).not.toContain('Khách Của Minh');
    expect(await snapshot()).toEqual(before);
  });

  it('a salesperson cannot see or change users, settings or campaigns; a manager cannot touch users or settings', async () => {
    const before = await snapshot();
    const settings = await Settings.findOne().lean();
    const userId = String(colleague._id);
    const salesOnly: [string, 'GET' | 'POST', string, unknown?][] = [
      ['campaigns list', 'GET', '/resources/Campaign/actions/list'],
      ['campaign new', 'POST', '/resources/Campaign/actions/new', { name: 'Spam', 'channels.0': 'telegram', template: 'Mua đi' }],
    ];
    const both: [string, 'GET' | 'POST', string, unknown?][] = [
      ['users list', 'GET', '/resources/User/actions/list'],
      ['user show', 'GET', `/resources/User/records/${userId}/show`],
      ['user new', 'POST', '/resources/User/actions/new', { name: 'Kẻ lạ', email: 'ke.la@chot.test', role: 'admin', password: 'chiem-quyen-123' }],
      ['user edit (promote self)', 'POST', `/resources/User/records/${sales._id}/edit`, { role: 'admin' }],
      ['user edit', 'POST', `/resources/User/records/${userId}/edit`, { role: 'admin', active: 'false' }],
      ['reset password', 'POST', `/resources/User/records/${userId}/resetPassword`, { password: 'chiem-quyen-123' }],
      ['link code', 'POST', `/resources/User/records/${userId}/linkCode`],
      ['settings list', 'GET', '/resources/Settings/actions/list'],
      ['settings edit', 'POST', `/resources/Settings/records/${settings!._id}/edit`, { companyName: 'Bị chiếm', dontForgetDays: '1' }],
    ];
    for (const [what, method, url, body] of [...salesOnly, ...both]) expectRefused(`sales: ${what}`, await salesBrowser.api(method, url, body));
    for (const [what, method, url, body] of both) expectRefused(`manager: ${what}`, await managerBrowser.api(method, url, body));
    expect(await snapshot()).toEqual(before);
  });

  it('nobody logged out gets anything from the API, the export or the web chat as staff', async () => {
    const stranger = new Browser(base);
    const res = await stranger.request('GET', `/admin/api/resources/Customer/records/${theirs._id}/show`);
    expect([302, 401, 403]).toContain(res.status);
    expect((await stranger.request('GET', '/admin/export/customers.csv')).status).toBe(401);
    const chat = await fetch(`${base}/chat/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientMessageId: 'abcdefgh12', text: '/find Minh' }) });
    expect(chat.status).toBe(401);
  });
});

describe('hostile input through the admin panel', () => {
  let admin: Browser;
  beforeAll(async () => {
    admin = new Browser(base);
    expect((await admin.login(ADMIN_EMAIL, SECRETS.ADMIN_PASSWORD)).status).toBe(302);
  });

  it('stores HTML and script in a name as the raw string and no page serves it unescaped', async () => {
    const hostile = '<script>alert("xss")</script><img src=x onerror=alert(1)>';
    const created = await admin.api('POST', '/resources/Customer/actions/new', { name: `Khách ${hostile}`, 'phones.0': '0966111222', need: hostile });
    expect(created.data.notice.type).toBe('success');
    const id = created.data.record.id;
    const shown = await admin.api('GET', `/resources/Customer/records/${id}/show`);
    expect(shown.data.record.params.name).toBe(`Khách ${hostile}`);
    const listed = await admin.api('GET', '/resources/Customer/actions/list?filters.searchText=0966111222');
    expect(listed.data.records[0].params.name).toBe(`Khách ${hostile}`);
    for (const page of ['/admin', '/admin/resources/Customer', `/admin/resources/Customer/records/${id}/show`, `/admin/resources/Customer/records/${id}/edit`]) {
      const res = await admin.request('GET', page);
      const html = await res.text();
      expect({ page, unescaped: html.includes('<script>alert("xss")') || html.includes('<img src=x onerror') }).toEqual({ page, unescaped: false });
    }
  });

  it('takes operator-shaped form fields and filters as plain values', async () => {
    const before = await Customer.countDocuments();
    const asOperator = await admin.api('POST', '/resources/Customer/actions/new', { 'name.$gt': '', 'phones.0.$ne': '', 'need.$where': 'sleep(100)' });
    expect(asOperator.data.notice?.type).toBe('error');
    expect(await Customer.countDocuments()).toBe(before);
    const asText = await admin.api('POST', '/resources/Customer/actions/new', { name: '{"$gt": ""}', 'phones.0': '0966111333', need: '{"$where": "1"}' });
    expect(asText.data.notice.type).toBe('success');
    expect(await Customer.findOne({ phones: '+84966111333' }).lean()).toMatchObject({ name: '{"$gt": ""}', need: '{"$where": "1"}' });
    // As filters: a regex or operator finds only what matches literally.
    for (const q of ['filters.name=.*', 'filters.name=%5E', 'filters.searchText.$regex=.', 'filters.phones=%7B%22%24gt%22%3A%22%22%7D']) {
      const res = await admin.api('GET', `/resources/Customer/actions/list?${q}`);
      expect({ q, status: res.status, total: res.data.meta?.total }).toEqual({ q, status: 200, total: 0 });
    }
    // A login with an operator as the email is just a failed login.
    const res = await new Browser(base).request('POST', '/admin/login', { email: { $gt: '' }, password: { $gt: '' } });
    expect(res.status).not.toBe(302);
  });

  it('drops zero-width and right-to-left characters from names typed in the panel', async () => {
    const created = await admin.api('POST', '/resources/Customer/actions/new', { name: 'Lê\u200b Thị\u202e Hồng\u2067', 'phones.0': '0966111444' });
    expect(created.data.notice.type).toBe('success');
    expect((await Customer.findOne({ phones: '+84966111444' }).lean())!.name).toBe('Lê Thị Hồng');
    // Staff names too: they appear on every card and in messages to customers.
    const staff = await admin.api('POST', '/resources/User/actions/new', { name: 'Ngọc\u202e Ánh\u200d', email: 'ngoc.anh@chot.test', role: 'sales', password: 'mat-khau-ngoc-anh' });
    expect(staff.data.notice.type).toBe('success');
    expect((await User.findOne({ email: 'ngoc.anh@chot.test' }).lean())!.name).toBe('Ngọc Ánh');
    const renamed = await admin.api('POST', `/resources/User/records/${staff.data.record.id}/edit`, { name: '\u2066Ngọc\u2069 Ánh B', email: 'ngoc.anh@chot.test', role: 'sales', active: 'true' });
    expect(renamed.data.notice.type).toBe('success');
    expect((await User.findOne({ email: 'ngoc.anh@chot.test' }).lean())!.name).toBe('Ngọc Ánh B');
  });

  it('refuses a 1 MB form with a clear answer, and keeps serving', async () => {
    const before = await Customer.countDocuments();
    const res = await admin.api('POST', '/resources/Customer/actions/new', { name: 'x'.repeat(1024 * 1024), 'phones.0': '0966111555' });
    expect(res.status).toBeLessThan(500);
    const kept = await Customer.findOne({ phones: '+84966111555' }).lean();
    if (kept) expect(kept.name.length).toBeLessThanOrEqual(120);
    else expect(await Customer.countDocuments()).toBe(before);
    // A field with a length limit is refused as a whole, with a notice rather than a server error.
    const need = await admin.api('POST', '/resources/Customer/actions/new', { name: 'Nhu cầu dài', 'phones.0': '0966111556', need: 'y'.repeat(1024 * 1024) });
    expect(need.status).toBeLessThan(500);
    expect(need.data.notice?.type).toBe('error');
    expect(await Customer.countDocuments({ phones: '+84966111556' })).toBe(0);
    const existing = await Customer.findOne({ phones: '+84966111444' }).lean();
    const edit = await admin.api('POST', `/resources/Customer/records/${existing!._id}/edit`, { notes: 'z'.repeat(1024 * 1024) });
    expect(edit.status).toBeLessThan(500);
    expect(edit.data.notice?.type).toBe('error');
    expect((await Customer.findById(existing!._id).lean())!.notes).toBeUndefined();
    expect((await admin.api('GET', '/resources/Customer/actions/list')).status).toBe(200);
  });

  it('neutralizes formula cells (= + - @) in the CSV export, whatever came in by import', async () => {
    const rows = [`"=cmd|' /C calc'!A0",0966222001,=1+1`, '+SUM(1;2),0966222002,@foo', '-2+3,0966222003,"=HYPERLINK(""http://x"")"', '@SUM(A1),0966222004,ok'];
    const csv = 'Họ tên,Số điện thoại,Nhu cầu\n' + rows.join('\n') + '\n';
    const commit = await admin.api('POST', '/resources/Customer/actions/importCsv', { step: 'commit', csv });
    expect(commit.data.result.created).toBe(4);
    const exported = await (await admin.request('GET', '/admin/export/customers.csv')).text();
    const cells = exported
      .replace(/^\ufeff/, '')
      .split('\n')
      .filter((line) => line.includes(',0966 222'))
      .join('\n');
    expect(cells.split('\n')).toHaveLength(4);
    expect(cells).toContain(`'=cmd|' /C calc'!A0`);
    expect(cells).toContain(`'+SUM(1;2)`);
    expect(cells).toContain(`'-2+3`);
    expect(cells).toContain(`'@SUM(A1)`);
    expect(cells).toContain(`'=1+1`);
    expect(cells).toContain(`'@foo`);
    // No cell starts with a formula character once quotes are taken off.
    for (const line of cells.split('\n')) {
      for (const cell of line.match(/("([^"]|"")*"|[^,]*)/g)!.filter(Boolean)) {
        expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@]/);
      }
    }
  });
});

describe('logging in', () => {
  it('changes the session id at login, so a session id planted in a victim\'s browser is worth nothing', async () => {
    // The attacker has a real session of their own and plants its cookie in the victim's browser.
    const attacker = new Browser(base);
    expect((await attacker.login('lan@chot.test', SALES_PASSWORD)).status).toBe(302);
    const planted = attacker.cookie('chot.sid')!;
    expect(planted).toBeDefined();
    const victim = new Browser(base);
    (victim as unknown as { cookies: Map<string, string> }).cookies.set('chot.sid', planted);
    expect((await victim.login(ADMIN_EMAIL, SECRETS.ADMIN_PASSWORD)).status).toBe(302);
    const after = victim.cookie('chot.sid');
    expect(after).toBeDefined();
    expect(after).not.toBe(planted);
    expect((await victim.api('GET', '/resources/User/actions/list')).status).toBe(200);
    // With the planted id the attacker is not the admin who logged in on it.
    const res = await fetch(`${base}/admin/api/resources/User/actions/list`, { headers: { cookie: `chot.sid=${planted}`, 'x-forwarded-proto': 'https' }, redirect: 'manual' });
    const body = res.status === 200 ? await res.json() : {};
    expect(res.status === 302 || res.status === 403 || body.notice?.message === 'forbiddenError').toBe(true);
  });

  it('slows password guessing and says so in the log', async () => {
    const guesser = new Browser(base);
    for (let i = 0; i < 6; i += 1) await guesser.login('hoa@chot.test', `doan-sai-${i}`);
    const blocked = await guesser.login('hoa@chot.test', SALES_PASSWORD);
    expect(blocked.status).not.toBe(302);
    expect(await blocked.text()).toContain('loginRateLimited');
    const lines = logLines().map((l) => JSON.parse(l) as { msg: string; account?: string });
    expect(lines.filter((l) => l.msg === 'admin login failed' && l.account === 'hoa@chot.test').length).toBeGreaterThanOrEqual(5);
    expect(lines.some((l) => /login.*(blocked|rate)/i.test(l.msg) && l.account === 'hoa@chot.test')).toBe(true);
  });
});

describe('a full run as staff and customers, then the logs', () => {
  it('staff work through Telegram, Zalo and the web chat', async () => {
    const code = await issueLinkCode(SYSTEM, sales._id);
    const tgSales = 8500;
    const say = (text: string) => postTelegram(tgText(tgSales, text), SECRETS.TELEGRAM_WEBHOOK_SECRET);
    expect((await say(`/link ${code.code}`)).status).toBe(200);
    await say('/find Lan');
    await say('/today');
    await say('/mine');
    const chat = new Browser(base);
    await chat.login('lan@chot.test', SALES_PASSWORD);
    const web = await chat.request('POST', '/chat/api/messages', { clientMessageId: 'web-msg-000001', text: '/stats' });
    expect(web.status).toBe(200);
    await postBotUpdate(base, botText('zb-8500', '0912555666'), SECRETS.ZALO_BOT_WEBHOOK_SECRET);
    await oa.post(oa.text('zo-8500', 'Cho hỏi giá'));
    // An expired OA access token makes chot refresh it (new tokens that must not be logged either).
    zaloOa.expireAccessTokens();
    await oa.post(oa.text('zo-8501', 'Xin chào'));
    await waitFor(() => zaloOa.sent.some((s) => s.userId === 'zo-8501'), 10_000);
    expect(telegramSent.some((m) => m.chatId === String(tgSales))).toBe(true);
    // A website visitor: their random id is their credential.
    const visitorId = 'Vis1tor-credential-0123456789abcdef';
    for (const body of [{ start: true }, { text: 'Tôi là Hạnh, 0912777888' }]) {
      const res = await fetch(`${base}/chat/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ visitorId, clientMessageId: `c-${Date.now()}-x`, ...body }) });
      expect(res.status).toBe(200);
    }
    Object.assign(globalThis, { linkCode: code.code, visitorId, sessionCookie: chat.cookie('chot.sid') });
  });

  it('no log line carries a token, secret, password, link code or session id', async () => {
    const lines = logLines();
    expect(lines.length).toBeGreaterThan(30);
    // Debug lines were written: the scan covers the chattiest level the app has.
    expect(lines.some((l) => JSON.parse(l).level <= 20)).toBe(true);
    for (const part of ['Telegram webhook set', 'Zalo OA', 'Zalo Bot', 'admin login']) expect(lines.some((l) => l.includes(part))).toBe(true);
    const secrets = [
      ...Object.entries(SECRETS).map(([name, value]) => [name, value]),
      ['telegram token secret part', SECRETS.TELEGRAM_BOT_TOKEN.split(':')[1]],
      ['zalo bot token secret part', SECRETS.ZALO_BOT_TOKEN.split(':')[1]],
      ['sales password', SALES_PASSWORD],
      ...[...zaloOa.validAccess].map((t) => ['issued OA access token', t]),
      ['issued OA refresh token', zaloOa.currentRefresh],
      ['link code', (globalThis as { linkCode?: string }).linkCode ?? 'none'],
      ['web chat visitor id', (globalThis as { visitorId?: string }).visitorId ?? 'none'],
      ['admin session cookie', decodeURIComponent((globalThis as { sessionCookie?: string }).sessionCookie ?? 'none').slice(2, 34)],
    ] as [string, string][];
    const leaks: string[] = [];
    for (const line of lines) for (const [name, value] of secrets) if (value && line.includes(value)) leaks.push(`${name}: ${line.slice(0, 300)}`);
    expect(leaks).toEqual([]);
    for (const line of lines) expect(line).not.toMatch(/chot\.sid=s%3A/);
  });
});
