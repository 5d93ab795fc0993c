import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { startApp, type RunningApp } from '../../app/start.js';
import { loadConfig } from '../../app/config.js';
import { createLogger } from '../../app/logger.js';
import { adminFeature } from '../../admin/feature.js';
import type { Feature } from '../../app/context.js';
import { chatCoreFeature } from '../../bot/core/feature.js';
import { webChatFeature } from '../../bot/web/feature.js';
import { createCustomer, deleteCustomer } from '../../crm/customers/customers.js';
import { logInteraction } from '../../crm/interactions/interactions.js';
import { scheduleFollowUp } from '../../crm/followups/followups.js';
import { changeStage } from '../../crm/stages/changeStage.js';
import { createCampaignDraft } from '../../crm/campaigns/drafts.js';
import { createGroup, createSource } from '../../crm/catalog/catalog.js';
import { issueLinkCode } from '../../crm/users/users.js';
import { SYSTEM, userActor } from '../../crm/users/actor.js';
import { Customer } from '../../models/customer.js';
import { Stage } from '../../models/stage.js';
import { Source } from '../../models/source.js';
import { Group } from '../../models/group.js';
import { Campaign } from '../../models/campaign.js';
import { User } from '../../models/user.js';
import { Browser, makeUser } from '../admin/harness.js';

/**
 * The admin panel as an outsider and as each role would probe it (issue 11, panel part): secrets in
 * API answers, stack traces and source maps, state changed by a GET or from another site, bodies
 * parsed before login, login timing and lock-out, sessions outliving a password change, and the
 * security headers. Every test drives the running app over HTTP.
 */

const PASSWORD = 'mat-khau-panel-1';
const ADMIN_EMAIL = 'sep@chot.test';
const SESSION_SECRET = 'panel-test-secret-0123456789';

let app: RunningApp;
let base: string;
let dataDir: string;
let tmpRoot: string;
const people: Record<'admin' | 'manager' | 'sales', { email: string; browser: Browser }> = {} as never;
let salesUser: { _id: import('mongoose').Types.ObjectId; name: string };

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'chot-panel-'));
  // Where a parser that ignores chot's upload directory would leave files.
  tmpRoot = os.tmpdir();
  const env: Record<string, string> = { DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', ADMIN_EMAIL, ADMIN_PASSWORD: PASSWORD, SESSION_SECRET };
  if (process.env.MONGODB_URI) env.MONGODB_URI = process.env.MONGODB_URI;
  // A route that fails the way a bug would, to see what the app's last error handler answers.
  const failing: Feature = {
    name: 'failing-route',
    async start(ctx) {
      ctx.http.get('/test-failure', () => {
        throw new Error(`broken at ${process.cwd()}/crm/x.ts:12`);
      });
    },
  };
  app = await startApp({ config: loadConfig(env), logger: createLogger('silent'), features: [adminFeature, chatCoreFeature, webChatFeature, failing], dbName: `chot_panel_${Date.now()}` });
  base = `http://127.0.0.1:${app.port}`;
  salesUser = await makeUser('sales', 'lan.panel@chot.test', PASSWORD);
  await makeUser('manager', 'hoa.panel@chot.test', PASSWORD);
  const emails = { admin: ADMIN_EMAIL, manager: 'hoa.panel@chot.test', sales: 'lan.panel@chot.test' };
  for (const role of ['admin', 'manager', 'sales'] as const) {
    const browser = new Browser(base);
    expect((await browser.login(emails[role], PASSWORD)).status).toBe(302);
    people[role] = { email: emails[role], browser };
  }
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** A request from a chosen loopback address (127.0.0.x), on its own connection. */
function requestFrom(
  address: string,
  method: string,
  pathname: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${pathname}`, { method, localAddress: address, agent: false, headers: { connection: 'close', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
    });
    // A server that refuses a body before reading it may close the socket while it is being sent.
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? resolve({ status: -1, headers: {}, text: '', ms: 0 }) : reject(err)));
    req.end(body);
  });
}

function loginFrom(address: string, email: string, password: string) {
  const form = new URLSearchParams({ email, password }).toString();
  return requestFrom(address, 'POST', '/admin/login', form, { 'content-type': 'application/x-www-form-urlencoded', origin: base });
}

/** What a stack trace or a server path looks like in an answer. */
const STACK = /\n\s+at |node_modules|\/work\/|[A-Za-z]:\\|\.ts:\d+|\.js:\d+:\d+/;

describe('1. password hashes and link codes never leave the server', () => {
  let secrets: string[] = [];

  beforeAll(async () => {
    const sales = userActor({ _id: salesUser._id, role: 'sales' });
    const customer = await createCustomer(sales, { name: 'Khách Bí Mật', phones: ['0977123001'] });
    await logInteraction(sales, customer._id, { type: 'call', text: 'Gọi lần đầu' });
    await scheduleFollowUp(sales, customer._id, { dueAt: new Date(Date.now() + 86_400_000), note: 'Gọi lại' });
    const won = await Stage.findOne({ kind: 'won' }).lean();
    await changeStage(sales, customer._id, won!._id, { dealAmount: 5_000_000 });
    await createCampaignDraft(SYSTEM, { name: 'Khuyến mãi', channels: ['telegram'], template: 'Chào {ten}' });
    // An audit entry that references a user, and a pending link code for each staff user.
    const created = await people.admin.browser.api('POST', '/resources/User/actions/new', { name: 'Người Mới', email: 'moi.panel@chot.test', role: 'sales', password: PASSWORD });
    expect(created.data.notice.type).toBe('success');
    for (const u of await User.find().select('_id').lean()) await issueLinkCode(SYSTEM, u._id);
    const stored = await User.find().select('+passwordHash +linkCodeHash').lean();
    secrets = stored.flatMap((u) => [u.passwordHash, u.linkCodeHash]).filter((s): s is string => Boolean(s));
    expect(secrets.length).toBeGreaterThanOrEqual(8);
  });

  const RESOURCES = ['Customer', 'Interaction', 'FollowUp', 'Deal', 'Campaign', 'CampaignDelivery', 'Stage', 'Source', 'Group', 'User', 'Settings', 'AuditLog'];

  it.each(['admin', 'manager', 'sales'] as const)('as %s: every list, show, search and populated record is free of secrets', async (role) => {
    const { browser } = people[role];
    const answers: string[] = [];
    let scanned = 0;
    for (const resource of RESOURCES) {
      const list = await browser.api('GET', `/resources/${resource}/actions/list?perPage=50`);
      answers.push(JSON.stringify(list.data));
      for (const record of list.data?.records ?? []) {
        scanned += 1;
        for (const action of ['show', 'edit']) answers.push(JSON.stringify((await browser.api('GET', `/resources/${resource}/records/${record.id}/${action}`)).data));
      }
      answers.push(JSON.stringify((await browser.api('GET', `/resources/${resource}/search/`)).data));
    }
    answers.push(JSON.stringify((await browser.api('GET', '/dashboard')).data));
    const csv = await (await browser.request('GET', '/admin/export/customers.csv')).text();
    answers.push(csv);
    expect(scanned).toBeGreaterThan(3);
    const all = answers.join('\n');
    // Populated references are there (so the scan covers them), but never with a secret inside.
    expect(all).toContain('"populated"');
    const leaks = all.match(/.{0,60}(passwordHash|linkCodeHash|"password"\s*:|\$2[aby]\$\d\d\$).{0,20}/g) ?? [];
    expect(leaks).toEqual([]);
    expect(secrets.filter((secret) => all.includes(secret))).toEqual([]);
  });

  it('stores link codes so that reading the database does not give them away', async () => {
    const { code } = await issueLinkCode(SYSTEM, salesUser._id);
    const stored = await User.findById(salesUser._id).select('+linkCodeHash').lean();
    const crypto = await import('node:crypto');
    // Not the plain code, and not an unkeyed hash anyone can recompute from 32^8 guesses.
    expect(stored!.linkCodeHash).not.toContain(code);
    expect(stored!.linkCodeHash).not.toBe(crypto.createHash('sha256').update(code).digest('hex'));
  });
});

describe('2. no stack traces and no source maps reach a browser', () => {
  it('answers a malformed multipart login, a bad id and a deleted customer without a stack or a path', async () => {
    const multipart = await requestFrom('127.0.0.1', 'POST', '/admin/login', '--xx\r\nContent-Disposition: form-data; name="email"\r\n\r\nx\r\n--yy--garbage', {
      'content-type': 'multipart/form-data; boundary=xx',
      origin: base,
    });
    expect(multipart.status).toBe(400);
    expect(multipart.text).toBe('Yêu cầu không hợp lệ.');

    const { browser } = people.admin;
    const badId = await browser.request('GET', '/admin/api/resources/Customer/records/not-an-id/show');
    expect(badId.status).toBe(404);
    const notFound = await badId.json();
    expect(notFound.notice).toMatchObject({ type: 'error', message: 'crmError_panel_notFound' });
    expect(notFound.message).toBe('Không tìm thấy mục này, hoặc bạn không có quyền xem.');
    const badPage = await browser.request('GET', '/admin/resources/Customer/records/not-an-id/show');
    expect(await badPage.text()).not.toMatch(STACK);

    const gone = await createCustomer(SYSTEM, { name: 'Khách Đã Xoá', phones: ['0977123002'] });
    await deleteCustomer(SYSTEM, gone._id);
    for (const action of ['show', 'edit', 'delete']) {
      const res = await browser.request(action === 'delete' ? 'POST' : 'GET', `/admin/api/resources/Customer/records/${gone._id}/${action}`, action === 'delete' ? {} : undefined);
      const body = await res.text();
      expect({ action, stack: STACK.test(body), serverError: res.status >= 500 }).toEqual({ action, stack: false, serverError: false });
    }
  });

  it('answers a failing route outside the panel with its status only', async () => {
    const res = await fetch(`${base}/test-failure`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toMatch(STACK);
    expect(text).not.toContain('broken at');
  });

  it('serves the panel bundles without source maps', async () => {
    // The components bundle is built on first request outside production: it can take seconds.
    for (const bundle of ['components.bundle.js', 'app.bundle.js', 'global.bundle.js', 'design-system.bundle.js']) {
      const res = await people.admin.browser.request('GET', `/admin/frontend/assets/${bundle}`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect({ bundle, map: /sourceMappingURL|sourcesContent/.test(text) }).toEqual({ bundle, map: false });
      expect(text).not.toContain('admin/components/');
    }
  }, 60_000);
});

describe('3. nothing changes on a GET or from another site', () => {
  async function victims() {
    const customer = await createCustomer(SYSTEM, { name: 'Khách Không Xoá', phones: [`0977${String(Date.now()).slice(-6)}`] });
    const group = await createGroup(SYSTEM, { name: `Nhóm ${Date.now()}` });
    const source = await createSource(SYSTEM, { name: `Nguồn ${Date.now()}` });
    const stage = await Stage.create({ name: `Bước ${Date.now()}`, code: `b-${Date.now()}`, order: 99, kind: 'open' });
    const campaign = await createCampaignDraft(SYSTEM, { name: `Chiến dịch ${Date.now()}`, channels: ['telegram'], template: 'Xin chào' });
    return [
      { resource: 'Customer', id: String(customer._id), alive: async () => Boolean(await Customer.exists({ _id: customer._id, deletedAt: null })) },
      { resource: 'Group', id: String(group._id), alive: async () => Boolean(await Group.exists({ _id: group._id })) },
      { resource: 'Source', id: String(source._id), alive: async () => Boolean(await Source.exists({ _id: source._id })) },
      { resource: 'Stage', id: String(stage._id), alive: async () => Boolean(await Stage.exists({ _id: stage._id })) },
      { resource: 'Campaign', id: String(campaign._id), alive: async () => Boolean(await Campaign.exists({ _id: campaign._id })) },
    ];
  }

  it('a GET on a delete URL (a link or an <img> on another site) deletes nothing', async () => {
    const { browser } = people.admin;
    for (const v of await victims()) {
      await browser.request('GET', `/admin/api/resources/${v.resource}/records/${v.id}/delete`);
      await browser.request('GET', `/admin/api/resources/${v.resource}/bulk/bulkDelete?recordIds=${v.id}`);
      expect({ resource: v.resource, alive: await v.alive() }).toEqual({ resource: v.resource, alive: true });
    }
  });

  it('a GET on any action of any resource, as an admin, changes nothing in the database', async () => {
    const { browser } = people.admin;
    await victims();
    const html = await (await browser.request('GET', '/admin')).text();
    const state = JSON.parse(/window\.REDUX_STATE = (.*);\n/.exec(html)![1]) as { resources: { id: string; actions: { name: string; actionType: string }[] }[] };
    const mongoose = (await import('mongoose')).default;
    const snapshot = async () => {
      const out: Record<string, string> = {};
      for (const { name } of await mongoose.connection.db!.listCollections().toArray()) {
        if (name === 'adminsessions') continue;
        out[name] = JSON.stringify(await mongoose.connection.db!.collection(name).find().sort({ _id: 1 }).toArray());
      }
      return out;
    };
    const before = await snapshot();
    const tried: string[] = [];
    for (const resource of state.resources) {
      const first = (await browser.api('GET', `/resources/${resource.id}/actions/list?perPage=1`)).data?.records?.[0]?.id;
      for (const action of resource.actions) {
        const url =
          action.actionType === 'resource'
            ? `/admin/api/resources/${resource.id}/actions/${action.name}`
            : action.actionType === 'bulk'
              ? `/admin/api/resources/${resource.id}/bulk/${action.name}?recordIds=${first}`
              : `/admin/api/resources/${resource.id}/records/${first}/${action.name}`;
        if (action.actionType !== 'resource' && !first) continue;
        await browser.request('GET', url);
        tried.push(`${resource.id}.${action.name}`);
      }
    }
    expect(tried).toEqual(expect.arrayContaining(['Customer.delete', 'Customer.bulkDelete', 'Campaign.launch', 'User.linkCode', 'User.resetPassword', 'Stage.reorder', 'Customer.importCsv']));
    const after = await snapshot();
    const changed = Object.keys(after).filter((name) => after[name] !== before[name]);
    expect(changed).toEqual([]);
  });

  it('a POST from another origin, or with no origin at all, is refused; the panel itself still deletes', async () => {
    const { browser } = people.admin;
    const list = await victims();
    for (const v of list) {
      const url = `/admin/api/resources/${v.resource}/records/${v.id}/delete`;
      const foreign = await browser.request('POST', url, {}, { origin: 'https://evil.example' });
      expect(foreign.status).toBe(403);
      const bareFetch = await fetch(base + url, { method: 'POST', headers: { cookie: `chot.sid=${browser.cookie('chot.sid')}` }, redirect: 'manual' });
      expect(bareFetch.status).toBe(403);
      const foreignReferer = await fetch(base + url, { method: 'POST', headers: { cookie: `chot.sid=${browser.cookie('chot.sid')}`, referer: 'https://evil.example/page' }, redirect: 'manual' });
      expect(foreignReferer.status).toBe(403);
      expect({ resource: v.resource, alive: await v.alive() }).toEqual({ resource: v.resource, alive: true });
    }
    // The refusal says why, in the person's language.
    const refused = await browser.request('POST', `/admin/api/resources/Customer/records/${list[0].id}/delete`, {}, { origin: 'https://evil.example' });
    expect((await refused.json()).notice).toMatchObject({ type: 'error', message: 'crmError_panel_crossSite' });
    const own = await browser.api('POST', `/resources/Customer/records/${list[0].id}/delete`, {});
    expect(own.data.notice.type).toBe('success');
    expect(await list[0].alive()).toBe(false);
  });
});

describe('4. nothing is parsed or stored before login; uploads are capped and cleaned up', () => {
  const leftovers = async () => {
    const inTmp = (await readdir(tmpRoot)).filter((f) => f.startsWith('upload_'));
    const inData = await readdir(path.join(dataDir, 'uploads')).catch(() => [] as string[]);
    return [...inTmp, ...inData];
  };

  function multipartFile(size: number) {
    const boundary = 'chotboundary';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
    const body = Buffer.concat([Buffer.from(head), Buffer.alloc(size, 7), Buffer.from(`\r\n--${boundary}--\r\n`)]);
    return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, origin: base } };
  }

  it('refuses a file sent without a session, before reading it, and leaves nothing on disk', async () => {
    const before = await leftovers();
    const { body, headers } = multipartFile(5 * 1024 * 1024);
    for (const target of ['/admin/x', '/admin/api/resources/Customer/actions/new', '/admin/api/resources/Customer/actions/importCsv']) {
      const res = await requestFrom('127.0.0.1', 'POST', target, body, headers);
      expect({ target, refused: res.status === -1 || (res.status >= 400 && res.status < 500) }).toEqual({ target, refused: true });
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(await leftovers()).toEqual(before);
  });

  it('caps the login form, and keeps a logged-in upload only while the request runs', async () => {
    const before = await leftovers();
    const { body, headers } = multipartFile(256 * 1024);
    const login = await requestFrom('127.0.0.1', 'POST', '/admin/login', body, headers);
    expect(login.status === -1 || login.status === 413).toBe(true);
    const cookie = `chot.sid=${people.admin.browser.cookie('chot.sid')}`;
    const small = multipartFile(64 * 1024);
    const res = await requestFrom('127.0.0.1', 'POST', '/admin/api/resources/Customer/actions/new', small.body, { ...small.headers, cookie });
    expect(res.status).toBeLessThan(500);
    await new Promise((r) => setTimeout(r, 200));
    expect(await leftovers()).toEqual(before);
  });

  it('refuses a CSV import over the limit with a notice the panel translates, and says the limit', async () => {
    const { browser } = people.manager;
    // The panel shows the limit next to the file picker: it comes with the action.
    const page = await (await browser.request('GET', '/admin/resources/Customer/actions/importCsv')).text();
    const maxBytes = Number(/"maxBytes":(\d+)/.exec(page)?.[1]);
    expect(maxBytes).toBeGreaterThan(0);
    const line = 'Nguyễn Văn A,0912345678\n';
    const over = 'Họ tên,Số điện thoại\n' + line.repeat(Math.ceil((maxBytes + 1024) / Buffer.byteLength(line)));
    const res = await browser.api('POST', '/resources/Customer/actions/importCsv', { step: 'preview', csv: over });
    expect(res.data.notice).toMatchObject({ type: 'error', message: 'crmError_panel_csvTooLarge', options: { max: '5 MB' } });
    // Far over it, the request itself is refused before it is read.
    const huge = await browser.api('POST', '/resources/Customer/actions/importCsv', { step: 'preview', csv: over.repeat(3) });
    expect(huge.status).toBe(413);
    expect(huge.data.notice).toMatchObject({ type: 'error', message: 'crmError_panel_tooLarge' });
  });
});

describe('9. logging in: timing, throttling, and sessions that end', () => {
  it('takes as long to refuse an unknown email as a wrong password', async () => {
    const median = async (email: string) => {
      const times: number[] = [];
      // A fresh address each time, so throttling plays no part.
      for (let i = 0; i < 3; i += 1) times.push((await loginFrom(`127.0.9.${times.length + (email.startsWith('nobody') ? 10 : 20)}`, email, 'sai-mat-khau-0')).ms);
      return times.sort((a, b) => a - b)[1];
    };
    const known = await median(people.sales.email);
    const unknown = await median('nobody.at.all@chot.test');
    expect(unknown).toBeGreaterThan(known * 0.5);
  });

  it('slows an attacker\'s address without locking the real user out', async () => {
    const email = 'hoa.panel@chot.test';
    const attacker = '127.0.0.66';
    for (let i = 0; i < 8; i += 1) await loginFrom(attacker, email, `doan-${i}`);
    // The attacker, even with the right password now, must wait.
    const blocked = await loginFrom(attacker, email, PASSWORD);
    expect(blocked.status).not.toBe(302);
    expect(blocked.text).toContain('loginRateLimited');
    // The real user, from their own address, gets in at once.
    const real = await loginFrom('127.0.0.77', email, PASSWORD);
    expect(real.status).toBe(302);
  });

  it('a password change, a deactivation or a role change ends the user\'s other sessions', async () => {
    const email = 'doi.panel@chot.test';
    const user = await makeUser('manager', email, PASSWORD);
    const open = async () => {
      const b = new Browser(base);
      expect((await b.login(email, PASSWORD)).status).toBe(302);
      return b;
    };
    let messageNo = 0;
    // Alive in the panel and, as staff, in the web chat (which reads the same session).
    // The chat is asked first: the panel's answer must not be what ends the session for it.
    const alive = async (b: Browser) => {
      messageNo += 1;
      const chat = (await b.request('POST', '/chat/api/messages', { clientMessageId: `panel-session-${messageNo}`, text: '/stats' })).status === 200;
      const panel = (await b.api('GET', '/resources/Customer/actions/list')).status === 200;
      expect({ chat }).toEqual({ chat: panel });
      return panel;
    };

    // Their own password change keeps the session they made it from, and ends the others.
    const here = await open();
    const elsewhere = await open();
    const changed = await here.api('POST', '/pages/account', { currentPassword: PASSWORD, password: 'mat-khau-moi-22' });
    expect(changed.data.notice.type).toBe('success');
    expect(await alive(here)).toBe(true);
    expect(await alive(elsewhere)).toBe(false);
    await (await import('../../crm/users/users.js')).setPassword(SYSTEM, user._id, PASSWORD);

    // An admin resets the password, changes the role, deactivates: each ends every session.
    const admin = people.admin.browser;
    const steps: [string, () => Promise<unknown>][] = [
      ['reset password', () => admin.api('POST', `/resources/User/records/${user._id}/resetPassword`, { password: PASSWORD })],
      ['role change', () => admin.api('POST', `/resources/User/records/${user._id}/edit`, { role: 'sales' })],
      ['deactivation', () => admin.api('POST', `/resources/User/records/${user._id}/edit`, { active: 'false' })],
    ];
    for (const [what, step] of steps) {
      await User.updateOne({ _id: user._id }, { $set: { active: true } });
      const session = await open();
      expect(await alive(session)).toBe(true);
      await step();
      if (what === 'deactivation') await User.updateOne({ _id: user._id }, { $set: { active: true } });
      expect({ what, alive: await alive(session) }).toEqual({ what, alive: false });
    }
  });
});

describe('10. security headers', () => {
  const header = (res: Response, name: string) => res.headers.get(name) ?? '';

  it('the panel: CSP, nosniff, a referrer policy, and no framing', async () => {
    for (const page of ['/admin/login', '/admin', '/admin/api/resources/Customer/actions/list']) {
      const res = await people.admin.browser.request('GET', page);
      const csp = header(res, 'content-security-policy');
      expect({ page, csp: csp.includes("frame-ancestors 'none'") && csp.includes("default-src 'self'") && csp.includes("object-src 'none'") }).toEqual({ page, csp: true });
      expect(header(res, 'x-content-type-options')).toBe('nosniff');
      expect(header(res, 'referrer-policy')).toBe('same-origin');
      expect(header(res, 'x-frame-options')).toBe('DENY');
    }
  });

  it('the web chat: its own strict policy; the widget frame embeddable anywhere, the full page only by chot', async () => {
    const page = await fetch(`${base}/chat`);
    expect(header(page, 'content-security-policy')).toContain("frame-ancestors 'self'");
    expect(header(page, 'content-security-policy')).toContain("script-src 'self'");
    expect(header(page, 'x-content-type-options')).toBe('nosniff');
    expect(header(page, 'referrer-policy')).toBe('same-origin');
    const embedded = await fetch(`${base}/chat?embed=1`);
    expect(header(embedded, 'content-security-policy')).toContain('frame-ancestors *');
    expect(header(embedded, 'x-frame-options')).toBe('');
    const widget = await fetch(`${base}/chat/widget.js`);
    expect(header(widget, 'cross-origin-resource-policy')).toBe('cross-origin');
    expect(header(widget, 'x-content-type-options')).toBe('nosniff');
  });
});
