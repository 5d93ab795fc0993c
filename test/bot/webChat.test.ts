import mongoose from 'mongoose';
import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { Customer } from '../../models/customer.js';
import { Source } from '../../models/source.js';
import { User } from '../../models/user.js';
import { WebMessage } from '../../models/webMessage.js';
import { Interaction } from '../../models/interaction.js';
import { visitorChatId } from '../../bot/web/identity.js';
import { t } from '../../i18n/index.js';
import { newClientId, newVisitorId, startWebChat, TEST_ADMIN_HEADER, type WebChatHarness } from './webHarness.js';

useTestDatabase();

let web: WebChatHarness;
beforeAll(async () => {
  web = await startWebChat();
});
afterAll(async () => {
  await web.stop();
});

type Bubble = { seq: number; from: 'visitor' | 'chot'; text: string; choices?: { label: string; data: string }[]; requestPhone?: boolean };

/** A browser tab of one visitor: remembers the last bubble it has, like the page does. */
function visitor(id = newVisitorId(), headers: Record<string, string> = {}) {
  let after = 0;
  const seen: Bubble[] = [];
  const take = (res: { status: number; body: any }) => {
    if (res.status === 200) {
      for (const m of res.body.messages as Bubble[]) if (m.seq > after) (seen.push(m), (after = m.seq));
    }
    return res;
  };
  return {
    id,
    seen,
    send: async (fields: Record<string, unknown>, clientMessageId = newClientId()) =>
      take(await web.post('/chat/api/messages', { visitorId: id, clientMessageId, after, ...fields }, headers)),
    poll: async (wait = false) => take(await web.post('/chat/api/poll', { visitorId: id, after, wait }, headers)),
    last: () => seen[seen.length - 1],
  };
}

/** A visitor who opens the chat, gives name and phone in one message, then their need. */
async function leadThroughIntake(nameAndPhone: string, need: string, phone: string) {
  const lead = visitor();
  await lead.send({ start: true });
  await lead.send({ text: nameAndPhone });
  await lead.send({ text: need });
  const customer = await Customer.findOne({ phones: phone }).lean();
  expect(customer).not.toBeNull();
  return { lead, customer: customer! };
}

describe('website chat API', () => {
  it('takes a visitor from an ad through the whole intake and stores them as a customer', async () => {
    const { user: owner } = await makeStaff('sales');
    const lan = visitor();

    const opened = await lan.send({ start: true, src: 'facebook' });
    expect(opened.status).toBe(200);
    expect(lan.seen.map((b) => b.from)).toEqual(['chot', 'chot']);
    expect(lan.seen[1].text).toBe(t('vi', 'chat.intake.askName'));
    expect(lan.seen[1].choices?.length).toBeGreaterThan(0);

    await lan.send({ text: 'Nguyễn Thị Lan' });
    expect(lan.seen.at(-2)).toMatchObject({ from: 'visitor', text: 'Nguyễn Thị Lan' });
    expect(lan.last()).toMatchObject({ from: 'chot', requestPhone: true });

    await lan.send({ text: '0912 345 678' });
    expect(lan.last().text).toBe(t('vi', 'chat.intake.askNeed'));
    await lan.send({ text: 'Căn hộ 2 phòng ngủ 🏠' });
    expect(lan.last().text).toContain('Nguyễn Thị Lan');
    expect(lan.last().text).toContain(t('vi', 'chat.intake.done', { name: 'Nguyễn Thị Lan', company: '' }).slice(0, 8));

    const customer = await Customer.findOne({ phones: '+84912345678' }).lean();
    expect(customer).toMatchObject({ name: 'Nguyễn Thị Lan', need: 'Căn hộ 2 phòng ngủ 🏠' });
    expect(String(customer!.owner)).toBe(String(owner._id));
    expect(String(customer!.source)).toBe(String((await Source.findOne({ code: 'facebook' }).lean())!._id));
    // The customer is reachable on the web by a hash of the visitor id, never by the id itself.
    expect(customer!.chatIds?.web).toBe(visitorChatId(lan.id));
    expect(customer!.chatIds?.web).not.toContain(lan.id);

    // A reload (after = 0) gets the whole conversation back, in order.
    const reloaded = visitor(lan.id);
    await reloaded.poll();
    expect(reloaded.seen.map((b) => b.seq)).toEqual(lan.seen.map((b) => b.seq));
  });

  it('handles a POST retried with the same client message id once', async () => {
    await makeStaff('sales');
    const v = visitor();
    await v.send({ start: true });
    const id = newClientId();
    const first = await v.send({ text: 'Trần Văn Minh' }, id);
    const again = await web.post('/chat/api/messages', { visitorId: v.id, clientMessageId: id, text: 'Trần Văn Minh' });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);

    const chatId = visitorChatId(v.id);
    const stored = await WebMessage.find({ chatId }).sort({ seq: 1 }).lean();
    expect(stored.filter((m) => m.from === 'visitor')).toHaveLength(1);
    expect(stored.filter((m) => m.requestPhone)).toHaveLength(1);
  });

  it('never lets one visitor read or write another visitor’s conversation', async () => {
    await makeStaff('sales');
    const a = visitor();
    await a.send({ start: true });
    await a.send({ text: 'Chị Hoa, 0987 654 321' });

    const b = visitor();
    const polled = await b.poll();
    expect(polled.status).toBe(200);
    expect(polled.body.messages).toEqual([]);

    // Knowing A's chat id (as staff might, from the admin panel) is no key to it.
    const chatIdOfA = visitorChatId(a.id);
    const asChatId = await web.post('/chat/api/poll', { visitorId: chatIdOfA, after: 0 });
    expect(asChatId.status).toBe(200);
    expect(asChatId.body.messages).toEqual([]);
    expect((await web.post('/chat/api/poll', { after: 0 })).status).toBe(401);
    expect((await web.post('/chat/api/poll', { visitorId: 'short', after: 0 })).status).toBe(401);

    // The credential itself is stored nowhere.
    const db = mongoose.connection.db!;
    for (const collection of await db.collections()) {
      const raw = JSON.stringify(await collection.find({}).toArray());
      expect(raw).not.toContain(a.id);
    }
  });

  it('refuses oversize and hostile input with a clear message, and stores nothing from it', async () => {
    const v = visitor();
    const long = await web.post('/chat/api/messages', { visitorId: v.id, clientMessageId: newClientId(), text: 'a'.repeat(5000) });
    expect(long.status).toBe(413);
    expect(long.body).toMatchObject({ error: 'too_long', message: t('vi', 'web.error.tooLong', { max: 2000 }) });

    const hostile: unknown[] = [
      { visitorId: v.id, clientMessageId: newClientId(), text: { $gt: '' } },
      { visitorId: { $gt: '' }, clientMessageId: newClientId(), text: 'hi' },
      { visitorId: v.id, clientMessageId: { $ne: null }, text: 'hi' },
      { visitorId: v.id, clientMessageId: newClientId(), choice: { $regex: '.*' } },
      { visitorId: v.id, clientMessageId: newClientId(), text: 'hi', $where: 'sleep(1000)' },
      { visitorId: v.id, clientMessageId: newClientId(), text: 'hi', choice: 'skip' },
      { visitorId: v.id, clientMessageId: newClientId(), after: { $gt: 0 }, text: 'hi' },
      [{ visitorId: v.id, text: 'hi' }],
      '"just a string"',
      '{"visitorId": "broken',
    ];
    for (const body of hostile) {
      const res = await web.post('/chat/api/messages', body);
      expect({ body, status: res.status, error: res.body.error }).toEqual({ body, status: 400, error: 'bad_request' });
    }
    const poll = await web.post('/chat/api/poll', { visitorId: v.id, after: 0, wait: { $gt: 1 } });
    expect(poll.status).toBe(400);

    // A form post from another site (no JSON content type) is not read at all.
    const form = await fetch(`${web.base}/chat/api/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ visitorId: v.id, clientMessageId: newClientId(), text: 'hi' }) });
    expect(form.status).toBe(400);
    const empty = await web.post('/chat/api/messages', { visitorId: v.id, clientMessageId: newClientId(), text: '  \u0000 ' });
    expect(empty.body.error).toBe('empty');

    expect(await WebMessage.countDocuments()).toBe(0);
    expect(await Customer.countDocuments()).toBe(0);
    // Messages in English pages are refused in English.
    const en = await web.post('/chat/api/messages', { visitorId: v.id, clientMessageId: newClientId(), text: 'b'.repeat(2001), lang: 'en' });
    expect(en.body.message).toBe(t('en', 'web.error.tooLong', { max: 2000 }));
  });

  it('accepts emoji up to the limit, counting each as one character', async () => {
    await makeStaff('sales');
    const v = visitor();
    await v.send({ start: true });
    const res = await v.send({ text: '😀'.repeat(2000) });
    expect(res.status).toBe(200);
  });

  it('keeps HTML in a name as plain text: the page never parses conversation text as markup', async () => {
    await makeStaff('sales');
    const v = visitor();
    await v.send({ start: true });
    const name = '<img src=x onerror=alert(1)>Lan';
    await v.send({ text: name });
    expect(v.seen.find((b) => b.from === 'visitor')?.text).toBe(name);

    const page = await fetch(`${web.base}/chat?src=%3Cscript%3E`);
    const html = await page.text();
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    // Only the widget's page may sit in another site's frame.
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    const framedPage = await fetch(`${web.base}/chat?embed=1`);
    expect(framedPage.headers.get('content-security-policy')).toContain('frame-ancestors *');
    expect(html).not.toContain('<script>');
    expect(html).toContain(t('vi', 'web.title'));
    const script = await (await fetch(`${web.base}/chat/assets/chat.js`)).text();
    expect(script).not.toMatch(/innerHTML|insertAdjacentHTML|document\.write/);
  });

  it('serves an embeddable widget that opens the chat in a frame with the ad source', async () => {
    const res = await fetch(`${web.base}/chat/widget.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('javascript');
    const js = await res.text();
    expect(js).not.toContain('__CHOT_TEXTS__');
    expect(js).toContain(t('vi', 'web.open'));
    expect(js).toContain("'/chat'");
    expect(js).toContain('data-src');
  });

  it('gives a staff user logged into the admin panel the sales commands, with no link code', async () => {
    const { user: sales } = await makeStaff('sales', { email: 'thu.sales@test.vn' });
    const staff = visitor(newVisitorId(), { [TEST_ADMIN_HEADER]: 'thu.sales@test.vn' });
    const help = await staff.send({ text: '/help' });
    expect(help.status).toBe(200);
    expect(help.body.staff).toEqual({ name: sales.name });
    expect(staff.last().text).toContain('/find');
    expect((await User.findById(sales._id).lean())!.chatIds?.web).toBe(`staff-${sales._id}`);

    // A prospect typing the same command is told it is for staff.
    const stranger = visitor();
    await stranger.send({ text: '/mine' });
    expect(stranger.last().text).toBe(t('vi', 'chat.intake.staffOnly'));

    // In the widget's frame (which any site may show) the same session is only a visitor.
    const framed = await web.post('/chat/api/messages', { visitorId: newVisitorId(), clientMessageId: newClientId(), text: '/mine', embed: true }, { [TEST_ADMIN_HEADER]: 'thu.sales@test.vn' });
    expect(framed.body.staff).toBeNull();
    expect(framed.body.messages.at(-1).text).toBe(t('vi', 'chat.intake.staffOnly'));

    // A session for an unknown or inactive email is no staff session.
    await makeStaff('sales', { email: 'gone@test.vn', active: false });
    const gone = await web.post('/chat/api/messages', { clientMessageId: newClientId(), text: '/help' }, { [TEST_ADMIN_HEADER]: 'gone@test.vn' });
    expect(gone.status).toBe(401);
  });

  it('lets a staff user find a customer, open the card and reply: the visitor gets the reply in their chat', async () => {
    const { user: sales } = await makeStaff('sales', { email: 'ha.sales@test.vn' });
    const { lead, customer } = await leadThroughIntake('Đặng Thị Hồng 0905 222 333', 'Mua đất nền', '+84905222333');
    expect(String(customer.owner)).toBe(String(sales._id));

    const staff = visitor(newVisitorId(), { [TEST_ADMIN_HEADER]: 'ha.sales@test.vn' });
    // Vietnamese without diacritics finds the customer; one match opens the card with its actions.
    await staff.send({ text: '/find dang thi hong' });
    const card = staff.seen.filter((b) => b.from === 'chot').at(-1)!;
    expect(card.text).toContain('Đặng Thị Hồng');
    const replyButton = card.choices!.find((c) => c.data.startsWith('m:'))!;
    expect(replyButton).toBeDefined();

    await staff.send({ choice: replyButton.data });
    expect(staff.seen.at(-2)).toMatchObject({ from: 'visitor', text: replyButton.label });
    await staff.send({ text: 'Chào chị Hồng, em gửi bảng giá đất nền nhé.' });

    await lead.poll();
    expect(lead.last()).toMatchObject({ from: 'chot', text: expect.stringContaining('Chào chị Hồng, em gửi bảng giá đất nền nhé.') });
    expect(await Interaction.countDocuments({ customer: customer._id, type: 'message_out' })).toBe(1);
  });

  it('delivers a new lead alert to the owner on the web chat and relays the owner’s reply to the visitor', async () => {
    const { user: owner } = await makeStaff('sales', { email: 'owner@test.vn' });
    const staff = visitor(newVisitorId(), { [TEST_ADMIN_HEADER]: 'owner@test.vn' });
    await staff.poll(); // links the session's web chat to the owner

    const { lead, customer } = await leadThroughIntake('Phạm Hùng 0903 111 222', 'Báo giá xe', '+84903111222');
    expect(String(customer.owner)).toBe(String(owner._id));

    await staff.poll();
    expect(staff.seen.some((b) => b.from === 'chot' && b.text.includes('Phạm Hùng'))).toBe(true);

    // A long poll that is waiting wakes up as soon as chot sends the visitor something.
    const waiting = lead.poll(true);
    const started = Date.now();
    await new Promise((r) => setTimeout(r, 100));
    const sent = await web.ctx.notifier.sendToCustomer(customer._id, [{ text: 'Chào anh Hùng, em gửi báo giá nhé.' }]);
    expect(sent).toMatchObject({ channel: 'web', result: { ok: true } });
    await waiting;
    expect(Date.now() - started).toBeLessThan(1400);
    expect(lead.last().text).toBe('Chào anh Hùng, em gửi báo giá nhé.');

    // Later messages from the visitor reach the owner's interactions.
    await lead.send({ text: 'Cảm ơn em' });
    expect(await Interaction.countDocuments({ customer: customer._id, type: 'message_in', text: 'Cảm ơn em' })).toBe(1);
  });

  it('answers an empty long poll after its timeout', async () => {
    const v = visitor();
    const started = Date.now();
    const res = await v.poll(true);
    expect(res.status).toBe(200);
    expect(res.body.messages).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
  });
});

describe('website chat wiring', () => {
  it('finds the admin session through the registry when the admin panel starts after the web chat', async () => {
    const late = await startWebChat({}, { session: 'registry' });
    try {
      const { user } = await makeStaff('manager', { email: 'late.manager@test.vn' });
      const res = await late.post('/chat/api/messages', { clientMessageId: newClientId(), text: '/help' }, { [TEST_ADMIN_HEADER]: 'late.manager@test.vn' });
      expect(res.status).toBe(200);
      expect(res.body.staff).toEqual({ name: user.name });
    } finally {
      await late.stop();
    }
  });

  it('gets a message stored by another web process to a waiting poll', async () => {
    await makeStaff('sales');
    const other = await startWebChat();
    try {
      const { lead, customer } = await leadThroughIntake('Lê Minh 0933 444 555', 'Xem nhà', '+84933444555');
      const waiting = lead.poll(true);
      await new Promise((r) => setTimeout(r, 100));
      // Sent through the other process's notifier: no in-process wake-up, only the database.
      await other.ctx.notifier.sendToCustomer(customer._id, [{ text: 'Tin từ máy chủ thứ hai' }]);
      await waiting;
      expect(lead.last().text).toBe('Tin từ máy chủ thứ hai');
    } finally {
      await other.stop();
    }
  });

  it('slows down an address that sends too many messages, with a message saying to wait', async () => {
    const strict = await startWebChat({ messagesPerMinute: 3 });
    try {
      const id = newVisitorId();
      const statuses: number[] = [];
      let last: { status: number; body: any } | undefined;
      for (let i = 0; i < 4; i++) {
        last = await strict.post('/chat/api/messages', { visitorId: id, clientMessageId: newClientId(), text: `tin ${i}` });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(last!.body.message).toBe(t('vi', 'web.error.rateLimited'));
    } finally {
      await strict.stop();
    }
  });
});
