import type { Types } from 'mongoose';
import { startPanel, loggedIn, webChatLead, type Browser, ADMIN, makeUser } from './harness.js';
import { adminFeature } from '../../admin/feature.js';
import { chatCoreFeature } from '../../bot/core/feature.js';
import { webChatFeature } from '../../bot/web/feature.js';
import type { ChannelSender } from '../../bot/core/types.js';
import { Customer } from '../../models/customer.js';
import { Interaction } from '../../models/interaction.js';
import { FollowUp } from '../../models/followUp.js';
import { Deal } from '../../models/deal.js';
import { Group } from '../../models/group.js';
import { User } from '../../models/user.js';
import { Stage } from '../../models/stage.js';
import { StageChange } from '../../models/stageChange.js';
import { WebMessage } from '../../models/webMessage.js';
import { deleteExpired } from '../../crm/maintenance/retention.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { scheduleFollowUp } from '../../crm/followups/followups.js';
import { userActor } from '../../crm/users/actor.js';
import { customerPageTexts } from '../../admin/locales/customerPage.js';

/**
 * The customer page as the people who work on it use it, through HTTP: each form posts to a record
 * action of the Customer resource, which goes through the same crm services as the chat. Checked
 * for every role, and against what is stored.
 */
let panel: Awaited<ReturnType<typeof startPanel>>;
let admin: Browser;
let manager: Browser;
let sales: Browser;
let lan: { _id: Types.ObjectId; name: string };
let minh: { _id: Types.ObjectId; name: string };

const R = '/resources/Customer/records';

beforeAll(async () => {
  // The web chat runs beside the panel, as in `npm start`: the reply box reaches web-chat leads.
  panel = await startPanel([adminFeature, chatCoreFeature, webChatFeature]);
  lan = await makeUser('sales', 'lan@chot.test');
  minh = await makeUser('sales', 'minh@chot.test');
  await makeUser('manager', 'hoa@chot.test');
  admin = await loggedIn(panel.base, ADMIN.email, ADMIN.password);
  manager = await loggedIn(panel.base, 'hoa@chot.test');
  sales = await loggedIn(panel.base, 'lan@chot.test');
}, 60_000);

afterAll(async () => {
  await panel?.stop();
});

let phoneSeq = 100;
async function customerOf(owner: { _id: Types.ObjectId }, name: string, extra: Record<string, unknown> = {}) {
  phoneSeq += 1;
  const created = await createCustomer(userActor({ _id: owner._id, role: 'sales' }), { name, phones: [`0912 345 ${phoneSeq}`] });
  if (Object.keys(extra).length) await Customer.updateOne({ _id: created._id }, { $set: extra });
  return created;
}

const post = (who: Browser, id: unknown, action: string, data: Record<string, unknown>) => who.api('POST', `${R}/${id}/${action}`, data);
const page = async (who: Browser, id: unknown) => {
  const res = await who.api('GET', `${R}/${id}/show`);
  expect(res.status).toBe(200);
  return JSON.parse(res.data.record.params.cardJson);
};
const inAnHour = () => {
  // A wall-clock time in Asia/Ho_Chi_Minh (UTC+7, the seeded company zone), as the datetime input sends it.
  const local = new Date(Date.now() + 7 * 3600_000 + 3600_000);
  return local.toISOString().slice(0, 16);
};

describe('the card', () => {
  it('shows phones in national format, the company time zone, and the choices each role has', async () => {
    const c = await customerOf(lan, 'Nguyễn Thị Hồng');
    const asAdmin = await page(admin, c._id);
    expect(asAdmin.card.customer.name).toBe('Nguyễn Thị Hồng');
    expect(asAdmin.phones).toEqual([`0912 345 ${phoneSeq}`]);
    expect(asAdmin.timezone).toBe('Asia/Ho_Chi_Minh');
    expect(asAdmin.canReassign).toBe(true);
    expect(asAdmin.choices.owners.map((o: { label: string }) => o.label)).toContain(lan.name);
    // A salesperson may not reassign, so the page offers them nobody to reassign to.
    const asSales = await page(sales, c._id);
    expect(asSales.canReassign).toBe(false);
    expect(asSales.choices.owners).toEqual([]);
    // The page draws its own title (the customer's name) instead of AdminJS's "Xem".
    const show = await admin.api('GET', `${R}/${c._id}/show`);
    expect(show.data.record.recordActions.map((a: { name: string }) => a.name)).toEqual(expect.arrayContaining(['edit', 'delete']));
  });
});

describe('working on a customer from the page', () => {
  it('logs a call with its outcome; a note needs its text and a customer message cannot be logged by hand', async () => {
    const c = await customerOf(lan, 'Trần Văn Bình');
    const res = await post(sales, c._id, 'logInteraction', { type: 'call', outcome: 'interested', text: 'Muốn xem nhà thứ bảy' });
    expect(res.data.notice).toMatchObject({ type: 'success', message: 'customerPageLogged' });
    const stored = await Interaction.findOne({ customer: c._id, type: 'call' }).lean();
    expect(stored).toMatchObject({ outcome: 'interested', text: 'Muốn xem nhà thứ bảy', countsAsContact: true });
    expect(String(stored!.user)).toBe(String(lan._id));
    expect((await Customer.findById(c._id).lean())!.lastContactAt).toBeTruthy();

    const note = await post(sales, c._id, 'logInteraction', { type: 'note', text: '   ' });
    expect(note.data.notice).toMatchObject({ type: 'error', message: 'crmError_invalid', options: { field: 'text' } });
    const forged = await post(sales, c._id, 'logInteraction', { type: 'message_in', text: 'giả tin khách' });
    expect(forged.data.notice).toMatchObject({ type: 'error', message: 'crmError_invalid', options: { field: 'type' } });
    expect(await Interaction.countDocuments({ customer: c._id })).toBe(1);
  });

  it('moves to a won stage with the amount as typed in chat, recording the deal; a bad amount changes nothing', async () => {
    const c = await customerOf(lan, 'Lê Thị Cúc');
    const won = (await Stage.findOne({ kind: 'won' }).lean())!;
    const bad = await post(manager, c._id, 'setStage', { stage: String(won._id), amount: 'năm chục' });
    expect(bad.data.notice).toMatchObject({ type: 'error', message: 'crmError_deal_amountInvalid' });
    expect(String((await Customer.findById(c._id).lean())!.stage)).not.toBe(String(won._id));
    expect(await StageChange.countDocuments({ customer: c._id, to: won._id })).toBe(0);

    const res = await post(manager, c._id, 'setStage', { stage: String(won._id), amount: '1,5 tỷ' });
    expect(res.data.notice).toMatchObject({ type: 'success', message: 'customerPageStageWithDeal', options: { stage: won.name } });
    expect(String((await Customer.findById(c._id).lean())!.stage)).toBe(String(won._id));
    const deal = await Deal.findOne({ customer: c._id }).lean();
    expect(deal).toMatchObject({ amount: 1_500_000_000 });
    expect(String(deal!.owner)).toBe(String(lan._id));
    expect((await page(manager, c._id)).history[0].to.name).toBe(won.name);
  });

  it('schedules a weekly follow-up at the company’s wall-clock time, whatever the browser’s zone', async () => {
    const c = await customerOf(lan, 'Phạm Minh Đức');
    const res = await post(sales, c._id, 'scheduleFollowUp', { dueAt: '2030-01-15T09:00', type: 'meeting', recurrence: 'weekly', note: 'Gặp ở văn phòng' });
    expect(res.data.notice).toMatchObject({ type: 'success', message: 'customerPageFollowUp' });
    const followUp = await FollowUp.findOne({ customer: c._id }).lean();
    // 09:00 in Hồ Chí Minh City is 02:00 UTC.
    expect(followUp!.dueAt.toISOString()).toBe('2030-01-15T02:00:00.000Z');
    expect(followUp).toMatchObject({ type: 'meeting', recurrence: 'weekly', note: 'Gặp ở văn phòng', status: 'scheduled' });
    expect((await Customer.findById(c._id).lean())!.nextFollowUpAt!.toISOString()).toBe('2030-01-15T02:00:00.000Z');

    for (const wrong of [{ dueAt: '2020-01-01T09:00' }, { dueAt: 'mai 9h' }, { dueAt: inAnHour(), recurrence: 'yearly' }, { dueAt: inAnHour(), recurrence: 'every_n_days', everyDays: '0' }]) {
      const refused = await post(sales, c._id, 'scheduleFollowUp', wrong);
      expect(refused.data.notice.type).toBe('error');
    }
    expect(await FollowUp.countDocuments({ customer: c._id })).toBe(1);
  });

  it('reassigns (managers and admins, as in chat) and adds to a group', async () => {
    const c = await customerOf(lan, 'Hoàng Thu Trang');
    const refused = await post(sales, c._id, 'reassign', { owner: String(minh._id) });
    expect(refused.data.notice?.message ?? refused.status).not.toBe('customerPageReassigned');
    expect(String((await Customer.findById(c._id).lean())!.owner)).toBe(String(lan._id));

    // Minh uses the web chat as staff: that is where the panel's reassign reaches him, as the chat's does.
    const minhChat = `staff-${minh._id}`;
    await User.updateOne({ _id: minh._id }, { $set: { 'chatIds.web': minhChat } });
    const res = await post(manager, c._id, 'reassign', { owner: String(minh._id) });
    expect(res.data.notice).toMatchObject({ type: 'success', message: 'customerPageReassigned', options: { owner: minh.name } });
    expect(String((await Customer.findById(c._id).lean())!.owner)).toBe(String(minh._id));
    const told = await WebMessage.findOne({ chatId: minhChat }).lean();
    expect(told?.text).toContain('Hoàng Thu Trang');
    expect(told?.text).toContain('manager hoa');

    const group = (await Group.findOne().lean())!;
    const grouped = await post(admin, c._id, 'addGroup', { group: String(group._id) });
    expect(grouped.data.notice).toMatchObject({ type: 'success', options: { group: group.name } });
    await post(admin, c._id, 'addGroup', { group: String(group._id) });
    expect((await Customer.findById(c._id).lean())!.groups!.map(String)).toEqual([String(group._id)]);
  });
});

describe('the conversation and the reply box', () => {
  it('answers a web-chat lead: the visitor sees it in their chat, it is logged as message_out and shown newest last', async () => {
    // A visitor goes through the web chat's intake and becomes Lan's customer.
    await webChatLead(panel.base, 'Đỗ Thị Mai 0987 654 321', 'Tìm căn hộ gần trường');
    const customer = (await Customer.findOne({ phones: '+84987654321' }).lean())!;
    expect(customer.chatIds?.web).toBeTruthy();
    await Customer.updateOne({ _id: customer._id }, { $set: { owner: lan._id } });

    const res = await post(sales, customer._id, 'reply', { text: 'Chào chị Mai, em gửi chị danh sách căn hộ nhé.' });
    expect(res.data.notice).toMatchObject({ type: 'success', message: 'customerPageReply_sent' });
    // The visitor's own chat holds the reply (their page shows it on its next poll).
    const last = await WebMessage.findOne({ chatId: customer.chatIds!.web }).sort({ seq: -1 }).lean();
    expect(last).toMatchObject({ from: 'chot', text: 'Chào chị Mai, em gửi chị danh sách căn hộ nhé.' });
    const logged = await Interaction.findOne({ customer: customer._id, type: 'message_out' }).lean();
    expect(logged).toMatchObject({ channel: 'web', text: 'Chào chị Mai, em gửi chị danh sách căn hộ nhé.' });
    expect(String(logged!.user)).toBe(String(lan._id));

    const { conversation } = await page(sales, customer._id);
    const texts = conversation.map((m: { text: string }) => m.text);
    expect(texts).toEqual(expect.arrayContaining(['Đỗ Thị Mai 0987 654 321', 'Tìm căn hộ gần trường']));
    expect(conversation.at(-1)).toMatchObject({ direction: 'out', channel: 'web', by: lan.name, text: 'Chào chị Mai, em gửi chị danh sách căn hộ nhé.' });
    expect(conversation.find((m: { text: string }) => m.text === 'Tìm căn hộ gần trường').direction).toBe('in');
    // Each web bubble once, though the reply is also a message_out interaction.
    expect(texts.filter((t: string) => t.startsWith('Chào chị Mai')).length).toBe(1);

    // A month on, the retention job has removed the web chat's own bubbles: the messages are still
    // on the customer, from the interactions.
    const removed = await deleteExpired(new Date(Date.now() + 31 * 24 * 3600 * 1000));
    expect(removed.webMessages).toBeGreaterThan(0);
    expect(await WebMessage.countDocuments({ chatId: customer.chatIds!.web })).toBe(0);
    const later = (await page(sales, customer._id)).conversation;
    expect(later.map((m: { direction: string; text: string }) => [m.direction, m.text])).toEqual(
      expect.arrayContaining([
        ['in', 'Tìm căn hộ gần trường'],
        ['out', 'Chào chị Mai, em gửi chị danh sách căn hộ nhé.'],
      ]),
    );
    expect(later.at(-1)).toMatchObject({ by: lan.name });
  }, 30_000);

  it('shows messages of other channels from the interactions, oldest first', async () => {
    const c = await customerOf(lan, 'Vũ Hải Nam', { 'chatIds.telegram': '5550001' });
    await Interaction.create({ customer: c._id, type: 'message_out', channel: 'telegram', text: 'Anh cần thêm gì không?', occurredAt: new Date(Date.now() - 1000), user: lan._id });
    await Interaction.create({ customer: c._id, type: 'message_in', channel: 'telegram', text: 'Cho tôi xin báo giá', occurredAt: new Date(Date.now() - 5000) });
    const { conversation } = await page(admin, c._id);
    expect(conversation.map((m: { direction: string; text: string }) => [m.direction, m.text])).toEqual([
      ['in', 'Cho tôi xin báo giá'],
      ['out', 'Anh cần thêm gì không?'],
    ]);
  });

  it('answers on the channel the customer last wrote on (Zalo OA here), not the first one on record', async () => {
    const sent: { channel: string; chatId: string; text: string }[] = [];
    for (const channel of ['telegram', 'zalo_oa'] as const) {
      const fake: ChannelSender = { channel, send: async (chatId, replies) => (sent.push({ channel, chatId, text: replies[0].text }), { ok: true, messageIds: ['1'] }) };
      panel.app.ctx.notifier.register(fake);
    }
    const c = await customerOf(lan, 'Khách Hai Kênh', { 'chatIds.telegram': '5550100', 'chatIds.zalo_oa': 'zalo-5550100' });
    await Interaction.create({ customer: c._id, type: 'message_in', channel: 'telegram', text: 'Alo shop ơi', occurredAt: new Date(Date.now() - 60_000) });
    await Interaction.create({ customer: c._id, type: 'message_in', channel: 'zalo_oa', text: 'Em nhắn qua Zalo nhé', occurredAt: new Date() });
    const res = await post(sales, c._id, 'reply', { text: 'Dạ em nghe ạ' });
    expect(res.data.notice).toMatchObject({ type: 'success', message: 'customerPageReply_sent', options: { channel: 'zalo_oa' } });
    expect(sent).toEqual([{ channel: 'zalo_oa', chatId: 'zalo-5550100', text: 'Dạ em nghe ạ' }]);
    expect((await page(sales, c._id)).conversation.map((m: { channel: string; text: string }) => [m.channel, m.text])).toEqual([
      ['telegram', 'Alo shop ơi'],
      ['zalo_oa', 'Em nhắn qua Zalo nhé'],
      ['zalo_oa', 'Dạ em nghe ạ'],
    ]);
  });

  it('says clearly in Vietnamese why a reply did not go out, and logs nothing', async () => {
    const noChat = await customerOf(lan, 'Khách Không Chat');
    const blocked = await customerOf(lan, 'Khách Đã Chặn', { 'chatIds.telegram': '5550002', 'unreachable.telegram': true });
    const down = await customerOf(lan, 'Khách Zalo Bot', { 'chatIds.zalo_bot': 'zbot-5550003' });
    const zalo = await customerOf(lan, 'Khách Zalo', { 'chatIds.zalo_oa': 'zalo-user-1' });
    // A Zalo OA that refuses by quota, as Zalo does after the free window.
    const quota: ChannelSender = { channel: 'zalo_oa', send: async () => ({ ok: false, reason: 'quota', detail: 'Zalo -32: out of quota' }) };
    panel.app.ctx.notifier.register(quota);

    const cases: [Types.ObjectId, string][] = [
      [noChat._id, 'customerPageReply_noChannel'],
      [blocked._id, 'customerPageReply_blocked'],
      [down._id, 'customerPageReply_not_configured'],
      [zalo._id, 'customerPageReply_quota'],
    ];
    for (const [id, message] of cases) {
      const res = await post(sales, id, 'reply', { text: 'Chào anh chị' });
      expect(res.data.notice).toMatchObject({ type: 'error', message });
      expect((customerPageTexts.vi.messages as Record<string, string>)[message]).toBeTruthy();
    }
    expect((await post(sales, zalo._id, 'reply', { text: 'x' })).data.notice.options.detail).toContain('out of quota');
    expect((await post(sales, noChat._id, 'reply', { text: 'x' })).data.notice.options.phones).toBe((await page(sales, noChat._id)).phones[0]);
    const empty = await post(sales, zalo._id, 'reply', { text: '   ' });
    expect(empty.data.notice).toMatchObject({ type: 'error', message: 'crmError_invalid' });
    expect(await Interaction.countDocuments({ type: 'message_out', customer: { $in: cases.map(([id]) => id) } })).toBe(0);
  });
});

describe('access', () => {
  it('refuses every page action to a salesperson on another’s customer, and stores nothing', async () => {
    const theirs = await customerOf(minh, 'Khách Của Minh', { 'chatIds.telegram': '5550009' });
    const won = (await Stage.findOne({ kind: 'won' }).lean())!;
    const group = (await Group.findOne().lean())!;
    const before = JSON.stringify(await Customer.findById(theirs._id).lean());
    const attempts: [string, Record<string, unknown>][] = [
      ['show', {}],
      ['logInteraction', { type: 'call', text: 'x' }],
      ['setStage', { stage: String(won._id), amount: '10tr' }],
      ['scheduleFollowUp', { dueAt: inAnHour() }],
      ['reassign', { owner: String(lan._id) }],
      ['addGroup', { group: String(group._id) }],
      ['reply', { text: 'xin chào' }],
    ];
    for (const [action, data] of attempts) {
      const res = action === 'show' ? await sales.api('GET', `${R}/${theirs._id}/show`) : await post(sales, theirs._id, action, data);
      expect({ action, refused: res.status === 403 || res.data?.notice?.message === 'forbiddenError' }).toEqual({ action, refused: true });
    }
    expect(JSON.stringify(await Customer.findById(theirs._id).lean())).toBe(before);
    expect(await Interaction.countDocuments({ customer: theirs._id })).toBe(0);
    expect(await FollowUp.countDocuments({ customer: theirs._id })).toBe(0);
    expect(await Deal.countDocuments({ customer: theirs._id })).toBe(0);
  });

  it('refuses a page action posted from another site, even for an admin', async () => {
    const c = await customerOf(lan, 'Khách Bị Giả Mạo');
    const res = await admin.request('POST', `/admin/api${R}/${c._id}/logInteraction`, { type: 'call', text: 'giả' }, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(await Interaction.countDocuments({ customer: c._id })).toBe(0);
  });
});

describe('follow-ups in the panel', () => {
  it('creates one from the follow-up list, for one’s own customers only', async () => {
    const mine = await customerOf(lan, 'Khách Của Lan');
    const theirs = await customerOf(minh, 'Khách Khác');
    const form = await sales.api('GET', '/resources/FollowUp/actions/new');
    expect(form.data.form).toMatchObject({ timezone: 'Asia/Ho_Chi_Minh', recurrences: expect.arrayContaining(['daily', 'weekly', 'monthly']) });
    const ok = await sales.api('POST', '/resources/FollowUp/actions/new', { customer: String(mine._id), dueAt: '2030-02-01T14:30', recurrence: 'monthly', type: 'call' });
    expect(ok.data.notice).toMatchObject({ type: 'success' });
    expect(ok.data.redirectUrl).toMatch(/\/admin\/resources\/FollowUp\/records\/\w+\/show/);
    expect(await FollowUp.findOne({ customer: mine._id }).lean()).toMatchObject({ recurrence: 'monthly', dueAt: new Date('2030-02-01T07:30:00Z') });

    const refused = await sales.api('POST', '/resources/FollowUp/actions/new', { customer: String(theirs._id), dueAt: '2030-02-01T14:30' });
    expect(refused.data.notice).toMatchObject({ type: 'error', message: 'crmError_forbidden' });
    expect(await FollowUp.countDocuments({ customer: theirs._id })).toBe(0);
  });

  it('titles the cancel, complete and reschedule forms with the customer’s name and the time, not the id', async () => {
    const c = await customerOf(lan, 'Ngô Bảo Châu');
    const f = await scheduleFollowUp(userActor({ _id: lan._id, role: 'sales' }), c._id, { dueAt: new Date('2030-03-04T02:15:00Z') });
    for (const action of ['cancel', 'complete', 'reschedule']) {
      const res = await sales.api('GET', `/resources/FollowUp/records/${f._id}/${action}`);
      expect(res.data.record.title).toBe('Ngô Bảo Châu · 09:15 04/03/2030');
    }
  });
});
