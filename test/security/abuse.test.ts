/**
 * Issue 11, item 8: lead spam and notification floods, against chot started as `npm start` starts
 * it (one process, fake Telegram on 127.0.0.1, a shared database this test arranges and reads).
 */
import { jest } from '@jest/globals';
import crypto from 'node:crypto';
import { Customer } from '../../models/customer.js';
import { Interaction } from '../../models/interaction.js';
import { MessageAlert } from '../../models/messageAlert.js';
import { Stage } from '../../models/stage.js';
import { User } from '../../models/user.js';
import { AppProcess, eventually, killAll } from '../reliability/helpers/appProcess.js';
import { FakePlatforms } from '../reliability/helpers/channels.js';
import { postTelegramUpdate, telegramText } from '../reliability/helpers/fakeTelegram.js';
import { useSharedDatabase } from '../reliability/helpers/sharedDatabase.js';

jest.setTimeout(180_000);

const db = useSharedDatabase();
const platforms = new FakePlatforms();
const SALES_CHAT = 7001;
const WINDOW_SECONDS = 15;
let env: Record<string, string>;
let app: AppProcess;

beforeAll(async () => {
  await platforms.start();
  env = { ...platforms.env(db.uri), TRUST_PROXY: '', LEADS_PER_ADDRESS_PER_HOUR: '3', MESSAGE_ALERT_WINDOW_SECONDS: String(WINDOW_SECONDS) };
  app = await AppProcess.start('abuse', 'both', env);
  // The one salesperson new leads go to, linked on Telegram: every alert lands in the fake's chat 7001.
  await User.create({ name: 'Lan Sales', email: 'lan.sales@chot.test', role: 'sales', active: true, takesNewLeads: true, chatIds: { telegram: String(SALES_CHAT) } });
  await eventually(async () => (await (await fetch(`${app.base}/readyz`)).json()).channels?.telegram?.state === 'up', 'Telegram up', 20_000, app);
}, 60_000);

afterAll(async () => {
  await killAll();
  await platforms.stop();
});

const newVisitor = () => crypto.randomBytes(18).toString('base64url');

/** One web chat message as the page posts it, from behind whatever X-Forwarded-For a client claims. */
async function webSay(base: string, visitorId: string, body: Record<string, unknown>, forwardedFor?: string) {
  const res = await fetch(`${base}/chat/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: JSON.stringify({ visitorId, clientMessageId: crypto.randomBytes(9).toString('base64url'), ...body }),
  });
  const data = (await res.json().catch(() => ({}))) as { messages?: { from: string; text: string }[]; message?: string };
  return { status: res.status, data, said: (data.messages ?? []).filter((m) => m.from === 'chot').map((m) => m.text).join('\n') };
}

const NAMES = ['An', 'Bình', 'Chi', 'Dũng', 'Giang'];

/** A whole intake: open the chat, name, phone, need. Returns what chot said last. */
async function intake(visitorId: string, n: number, forwardedFor: string) {
  await webSay(app.base, visitorId, { start: true }, forwardedFor);
  await webSay(app.base, visitorId, { text: `Khách Spam ${NAMES[n]}` }, forwardedFor);
  await webSay(app.base, visitorId, { text: `091234${String(5600 + n)}` }, forwardedFor);
  return webSay(app.base, visitorId, { text: 'Cần tư vấn căn hộ' }, forwardedFor);
}

const alertsToSales = () => platforms.telegram.texts(SALES_CHAT);

it('ignores X-Forwarded-For unless TRUST_PROXY says so, and holds back new leads past the per-address allowance, keeping their answers', async () => {
  const visitors = Array.from({ length: 5 }, newVisitor);
  const results = [];
  // Each claims another address; without TRUST_PROXY they are all the one peer they really are.
  for (const [i, visitor] of visitors.entries()) results.push(await intake(visitor, i, `203.0.113.${i + 1}`));

  expect(await Customer.countDocuments({ name: /^Khách Spam/ })).toBe(3);
  expect(results.slice(0, 3).every((r) => r.said.includes('Cảm ơn'))).toBe(true);
  for (const held of results.slice(3)) {
    expect(held.status).toBe(200);
    expect(held.said).toContain('quá nhiều yêu cầu mới từ cùng mạng internet');
  }
  await eventually(() => alertsToSales().filter((t) => t.includes('Khách mới')).length === 3 && true, 'three new-lead alerts', 10_000, app);
  // Counted against the real peer, not the addresses the requests claimed.
  const origins = app.lines.filter((l) => l.msg === 'new lead held back: too many from one address').map((l) => String(l.origin));
  expect(origins).toHaveLength(2);
  for (const origin of origins) expect(origin).toMatch(/^(::ffff:)?127\.0\.0\.1$/);

  // Nothing the held-back visitor typed is lost: once allowed again (here: a restart empties the
  // in-memory allowance), any message completes their lead with the answers they gave.
  await app.stop();
  app = await AppProcess.start('abuse-2', 'both', env);
  const later = await webSay(app.base, visitors[3]!, { text: 'Còn đó không?' });
  expect(later.said).toContain('Cảm ơn Khách Spam Dũng');
  expect(await Customer.findOne({ name: 'Khách Spam Dũng' }).lean()).toMatchObject({ phones: ['+84912345603'], need: 'Cần tư vấn căn hộ' });
});

it('drops, without a word, a message whose honeypot field is filled; the page carries the field, hidden from people', async () => {
  const page = await (await fetch(`${app.base}/chat`)).text();
  expect(page).toMatch(/<input class="chat-hp" id="website" name="website" type="text" tabindex="-1" autocomplete="off" aria-hidden="true">/);
  const bot = newVisitor();
  const trapped = await webSay(app.base, bot, { start: true, website: 'http://spam.example' });
  expect(trapped.status).toBe(200);
  expect(trapped.data).toEqual({ messages: [], staff: null });
  const poll = await fetch(`${app.base}/chat/api/poll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ visitorId: bot, after: 0 }) });
  expect(((await poll.json()) as { messages: unknown[] }).messages).toEqual([]);
  await app.waitForLog((l) => l.msg === 'web chat message dropped: honeypot field filled');
});

it('limits the messages of one visitor per minute, whatever address they claim, with a message in Vietnamese', async () => {
  const visitor = newVisitor();
  const statuses = [];
  for (let i = 0; i < 21; i++) statuses.push((await webSay(app.base, visitor, { text: `tin ${i}` }, `198.51.100.${i}`)).status);
  expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
  const refused = await webSay(app.base, visitor, { text: 'tin nữa' });
  expect(refused.status).toBe(429);
  expect(refused.data.message).toBe('Bạn gửi nhanh quá. Đợi một phút rồi gửi lại.');
  // Another visitor on the same address is not held up by that one.
  expect((await webSay(app.base, newVisitor(), { start: true })).status).toBe(200);
});

it('300 messages from a known customer reach the salesperson as the first in full plus one summary per window, across a crash', async () => {
  const stage = await Stage.findOne({ code: 'moi' }).lean();
  const sales = await User.findOne({ email: 'lan.sales@chot.test' }).lean();
  const customer = await Customer.create({ code: 'KH000215', name: 'Chị Hoa', stage: stage!._id, owner: sales!._id, chatIds: { telegram: '7002' } });
  const before = alertsToSales().length;
  const started = Date.now();

  const first = 'Chào em, chị muốn hỏi về căn hộ 2 phòng ngủ ở Thủ Đức, còn không em?';
  expect((await postTelegramUpdate(app.base, telegramText(7002, first, 'Hoa'))).status).toBe(200);
  for (let batch = 0; batch < 299; batch += 13) {
    await Promise.all(Array.from({ length: Math.min(13, 299 - batch) }, (_, i) => postTelegramUpdate(app.base, telegramText(7002, `tin số ${batch + i + 1}`, 'Hoa'))));
  }
  await eventually(async () => (await Interaction.countDocuments({ customer: customer._id, type: 'message_in' })) === 300 && true, 'all 300 messages on the card', 60_000, app);

  // The process dies with messages held for the summary: the next one sends it.
  const pendingAtCrash = (await MessageAlert.findOne({ customer: customer._id }).lean())?.pending ?? 0;
  const sentBeforeCrash = alertsToSales().length;
  await app.kill();
  app = await AppProcess.start('abuse-3', 'both', env);

  const alerts = () => alertsToSales().slice(before);
  const counted = () => alerts().reduce((sum, text) => sum + Number(/^💬 (\d+) tin mới từ KH000215/.exec(text)?.[1] ?? (text.startsWith('💬 KH000215') ? 1 : 0)), 0);
  await eventually(() => counted() === 300 && true, 'every message announced once: the first, then summaries', 90_000, app);
  const elapsed = Date.now() - started;

  expect(alerts()[0]).toContain(first);
  expect(alerts()[0]).toContain('💬 KH000215 · Chị Hoa');
  // At most one alert per window (plus the first), where the old code sent one per message.
  expect(alerts().length).toBeLessThanOrEqual(2 + Math.ceil(elapsed / (WINDOW_SECONDS * 1000)));
  if (pendingAtCrash > 0) expect(alertsToSales().length).toBeGreaterThan(sentBeforeCrash);
});
