import type { Types } from 'mongoose';
import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { CrmError } from '../../crm/shared/errors.js';
import { errorMessage } from '../../i18n/index.js';
import { Customer } from '../../models/customer.js';
import { Interaction } from '../../models/interaction.js';
import { StageChange } from '../../models/stageChange.js';
import { FollowUp } from '../../models/followUp.js';
import { Deal } from '../../models/deal.js';
import { Stage } from '../../models/stage.js';
import { ChatSession } from '../../models/chatSession.js';
import { WebMessage } from '../../models/webMessage.js';
import { buttonUpdate, createTelegramTestBot, textUpdate, type TgUser } from '../bot/telegramHarness.js';
import { newClientId, newVisitorId, startWebChat, type WebChatHarness } from '../bot/webHarness.js';

/**
 * Security of the chat side, through the real core and the Telegram adapter (buttons and typed
 * commands) and the website chat's HTTP API: who may do what, and what hostile text does.
 */
useTestDatabase();

const salesTg: TgUser = { id: 6101, first_name: 'Hà' };
const strangerTg: TgUser = { id: 6999, first_name: 'Lạ' };

/** Everything the chat could change about a customer, to compare before and after. */
async function footprint(customerId: Types.ObjectId) {
  const customer = await Customer.findById(customerId).lean();
  const of = { customer: customerId };
  return {
    customer: JSON.stringify(customer),
    interactions: await Interaction.countDocuments(of),
    stageChanges: await StageChange.countDocuments(of),
    followUps: JSON.stringify(await FollowUp.find(of).sort({ _id: 1 }).lean()),
    deals: await Deal.countDocuments(of),
  };
}

/** A sales user linked on Telegram, a colleague's customer with a follow-up, and the stages. */
async function colleaguesCustomer() {
  const sales = await makeStaff('sales', { chatIds: { telegram: String(salesTg.id) }, name: 'Hà Sales' });
  const colleague = await makeStaff('sales', { name: 'Tú Sales' });
  const theirs = await createCustomer(colleague.actor, { name: 'Khách Của Tú', phones: ['0909123456'], need: 'Bí mật kinh doanh' });
  const followUp = await FollowUp.create({ customer: theirs._id, owner: colleague.user._id, dueAt: new Date(Date.now() + 3600_000) });
  const won = await Stage.findOne({ kind: 'won' }).lean();
  const open = await Stage.findOne({ kind: 'open', isDefault: false }).lean();
  return { sales, colleague, theirs, followUp, won: won!, open: open! };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Nothing a refused person sees may reveal the customer. */
function expectNothingRevealed(texts: string[], secrets: string[]) {
  for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('a linked salesperson on a colleague\'s customer', () => {
  it('is refused every card action by button data, and nothing changes', async () => {
    const { theirs, followUp, won, open, sales } = await colleaguesCustomer();
    const { bot, tg } = createTelegramTestBot();
    const before = await footprint(theirs._id);
    const id = String(theirs._id);
    const refusal = [errorMessage('vi', new CrmError('forbidden')), errorMessage('vi', new CrmError('notFound.customer'))];

    const forged = [
      `c:${id}`,
      `l:call:${id}`,
      `l:meeting:${id}`,
      `l:note:${id}`,
      `s:${id}`,
      `ss:${id}:${open._id}`,
      `ss:${id}:${won._id}`,
      `f:${id}`,
      `r:${id}`,
      `ro:${id}:${sales.user._id}`,
      `m:${id}`,
      `fu:done:${followUp._id}`,
      `fu:snooze:${followUp._id}`,
      `fu:resched:${followUp._id}`,
    ];
    for (const data of forged) {
      tg.clear();
      await bot.handleUpdate(buttonUpdate(salesTg, data));
      const texts = tg.texts(salesTg.id);
      expect({ data, texts }).toEqual({ data, texts: [expect.any(String)] });
      expect({ data, text: texts[0] }).toEqual({ data, text: expect.stringMatching(new RegExp(refusal.map(escape).join('|'))) });
      expectNothingRevealed(texts, ['Khách Của Tú', '0909', 'Bí mật']);
      // No flow was started on the customer: a following text cannot land on it.
      const session = await ChatSession.findOne({ channel: 'telegram', chatId: String(salesTg.id) }).lean();
      expect(JSON.stringify(session?.data ?? {})).not.toContain(id);
    }
    // A text typed after the refusals (which would be a note, an amount or a reply in a flow).
    await bot.handleUpdate(textUpdate(salesTg, 'Ghi chú lén'));
    expect(await footprint(theirs._id)).toEqual(before);
  });

  it('finds nothing of the colleague\'s customer by name, phone or code, in any list', async () => {
    const { theirs, open } = await colleaguesCustomer();
    const { bot, tg } = createTelegramTestBot();
    for (const text of ['/find Khách Của Tú', '/find 0909123456', `/find ${theirs.code}`, 'khach cua tu', '/today', '/mine', '/stats']) {
      await bot.handleUpdate(textUpdate(salesTg, text));
    }
    await bot.handleUpdate(buttonUpdate(salesTg, `ms:${open._id}`));
    await bot.handleUpdate(buttonUpdate(salesTg, `ms:${theirs.stage}`));
    const all = tg.calls.filter((c) => c.method === 'sendMessage' || c.method === 'editMessageText').map((c) => JSON.stringify(c.body));
    expect(all.length).toBeGreaterThan(5);
    // The searches only echo the query back: no card, no owner, no need, no phone as shown on a card.
    for (const reply of tg.texts(salesTg.id).slice(0, 4)) expect(reply).toContain('Không tìm thấy');
    expectNothingRevealed(all, ['Bí mật', 'Tú Sales', '0909 123 456', String(theirs._id)]);
    expectNothingRevealed(all.slice(4), ['Khách Của Tú', theirs.code]);
  });
});

describe('a stranger (a prospect) typing staff commands and pressing staff buttons', () => {
  it('gets no staff answer, sees nothing, and changes nothing', async () => {
    const { theirs, followUp, won, sales } = await colleaguesCustomer();
    const { bot, tg } = createTelegramTestBot();
    const before = await footprint(theirs._id);
    const customersBefore = await Customer.countDocuments();
    const id = String(theirs._id);
    for (const text of ['/find Khách', '/find 0909123456', '/today', '/mine', '/stats', '/new', '/link', '/link SAIMA123']) {
      await bot.handleUpdate(textUpdate(strangerTg, text));
    }
    for (const data of [`c:${id}`, `ss:${id}:${won._id}`, `l:call:${id}`, `f:${id}`, `m:${id}`, `r:${id}`, `ro:${id}:${sales.user._id}`, `fu:done:${followUp._id}`, `ms:${won._id}`]) {
      await bot.handleUpdate(buttonUpdate(strangerTg, data));
    }
    // Typed after the buttons: had any of them started a staff flow, this would be a note or an amount.
    await bot.handleUpdate(textUpdate(strangerTg, '500000000'));
    const seen = tg.calls.map((c) => JSON.stringify(c.body));
    expectNothingRevealed(seen, ['Khách Của Tú', '0909', theirs.code, 'Tú Sales', 'Hà Sales']);
    expect(await footprint(theirs._id)).toEqual(before);
    expect(await Customer.countDocuments()).toBe(customersBefore);
    const session = await ChatSession.findOne({ channel: 'telegram', chatId: String(strangerTg.id) }).lean();
    expect(['intake', undefined, null]).toContain(session?.flow);
  });
});

describe('hostile text in the chat', () => {
  it('stores operator-looking text as plain text and searches it literally', async () => {
    const sales = await makeStaff('sales', { chatIds: { telegram: String(salesTg.id) } });
    await createCustomer(sales.actor, { name: 'Nguyễn An', phones: ['0912000001'] });
    const { bot, tg } = createTelegramTestBot();
    for (const q of ['{"$gt": ""}', '{"$where": "sleep(1000)"}', '.*', '$where', '[object Object]']) {
      tg.clear();
      await bot.handleUpdate(textUpdate(salesTg, `/find ${q}`));
      expect(tg.lastText(salesTg.id)).not.toContain('Nguyễn An');
    }
    // A lead whose name and need are operator-looking JSON: kept verbatim as strings.
    const lead: TgUser = { id: 6201, first_name: 'X' };
    await bot.handleUpdate(textUpdate(lead, '/start'));
    await bot.handleUpdate(textUpdate(lead, '{"$gt": ""}'));
    await bot.handleUpdate(textUpdate(lead, '0912000002'));
    await bot.handleUpdate(textUpdate(lead, '{"$where": "1 == 1"}'));
    const stored = await Customer.findOne({ phones: '+84912000002' }).lean();
    expect(stored).not.toBeNull();
    expect(typeof stored!.name).toBe('string');
    expect(typeof stored!.need).toBe('string');
    expect(await Customer.countDocuments()).toBe(2);
  });

  it('drops zero-width and direction-override characters from a lead\'s name, and refuses overlong text', async () => {
    await makeStaff('sales');
    const { bot, tg } = createTelegramTestBot();
    const lead: TgUser = { id: 6202, first_name: 'Y' };
    await bot.handleUpdate(textUpdate(lead, '/start'));
    await bot.handleUpdate(textUpdate(lead, 'Tr\u200bần\u202e Văn\u2066 Bình\ufeff'));
    await bot.handleUpdate(textUpdate(lead, '0912000003'));
    await bot.handleUpdate(textUpdate(lead, 'Nhà phố'));
    const stored = await Customer.findOne({ phones: '+84912000003' }).lean();
    expect(stored!.name).toBe('Trần Văn Bình');
    tg.clear();
    await bot.handleUpdate(textUpdate(lead, 'a'.repeat(1_000_000)));
    expect(tg.texts(lead.id)).toHaveLength(1);
    expect(tg.lastText(lead.id).length).toBeLessThan(500);
    expect(await Interaction.countDocuments({ text: { $regex: '^aaaa' } })).toBe(0);
  });

  it('sends HTML in a name to Telegram as plain text (no parse mode), so it shows literally', async () => {
    const sales = await makeStaff('sales', { chatIds: { telegram: String(salesTg.id) } });
    await createCustomer(sales.actor, { name: '<b>Sếp</b><script>alert(1)</script>', phones: ['0912000004'] });
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(salesTg, '/find 0912000004'));
    const card = tg.lastMessage(salesTg.id);
    expect(card.text).toContain('<b>Sếp</b><script>alert(1)</script>');
    expect(card.parse_mode).toBeUndefined();
  });
});

describe('hostile input to the website chat API', () => {
  let web: WebChatHarness;
  beforeAll(async () => {
    web = await startWebChat();
  });
  afterAll(async () => {
    await web.stop();
  });

  const send = (body: unknown) => web.post('/chat/api/messages', body);

  it('refuses operator objects, unknown fields, deep JSON and wrong types with 400, storing nothing', async () => {
    const visitorId = newVisitorId();
    const base = { visitorId, clientMessageId: newClientId() };
    const deep = '{"a":'.repeat(2500) + '1' + '}'.repeat(2500);
    const bodies: unknown[] = [
      { ...base, text: { $gt: '' } },
      { ...base, text: 'hi', after: { $gt: 0 } },
      { visitorId: { $gt: '' }, clientMessageId: newClientId(), text: 'hi' },
      { ...base, choice: { $where: 'sleep(1000)' } },
      { ...base, text: 'hi', $where: '1' },
      JSON.stringify({ ...base, text: 'DEEP' }).replace('"DEEP"', deep),
      JSON.stringify({ ...base, text: 'hi' }).replace('}', ',"x":' + '['.repeat(4000) + ']'.repeat(4000) + '}'),
      [base],
      'null',
    ];
    for (const body of bodies) {
      const res = await send(body);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('bad_request');
      expect(typeof res.body.message).toBe('string');
    }
    expect(await WebMessage.countDocuments()).toBe(0);
    expect(await ChatSession.countDocuments()).toBe(0);
  });

  it('refuses a 1 MB body with 413 and a clear message, and keeps serving', async () => {
    const res = await send({ visitorId: newVisitorId(), clientMessageId: newClientId(), text: 'x'.repeat(1024 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/2[.,]?000/);
    expect(await WebMessage.countDocuments()).toBe(0);
    const ok = await send({ visitorId: newVisitorId(), clientMessageId: newClientId(), start: true });
    expect(ok.status).toBe(200);
  });

  it('reads invalid UTF-8 as replacement characters, never as anything else', async () => {
    const visitorId = newVisitorId();
    const json = Buffer.concat([
      Buffer.from(`{"visitorId":"${visitorId}","clientMessageId":"${newClientId()}","text":"T`),
      Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]),
      Buffer.from('"}'),
    ]);
    const res = await fetch(`${web.base}/chat/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json });
    expect([200, 400]).toContain(res.status);
    const stored = await WebMessage.find({ from: 'visitor' }).lean();
    for (const m of stored) expect(JSON.stringify(m.text)).not.toMatch(/[\x00-\x08]/);
    expect((await send({ visitorId: newVisitorId(), clientMessageId: newClientId(), start: true })).status).toBe(200);
  });

  it('returns HTML and script typed by a visitor as the same plain string (the page renders text only)', async () => {
    const visitorId = newVisitorId();
    const hostile = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    await send({ visitorId, clientMessageId: newClientId(), start: true });
    const res = await send({ visitorId, clientMessageId: newClientId(), text: hostile });
    expect(res.status).toBe(200);
    expect(res.body.messages.some((m: { text: string }) => m.text === hostile)).toBe(true);
    const page = await fetch(`${web.base}/chat`);
    const html = await page.text();
    expect(html).not.toContain('<script>alert');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});
