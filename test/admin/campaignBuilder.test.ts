import { startPanel, loggedIn, ADMIN, makeUser, type Browser } from './harness.js';
import { Customer } from '../../models/customer.js';
import { Campaign } from '../../models/campaign.js';
import { Stage } from '../../models/stage.js';
import { Settings } from '../../models/settings.js';
import { ChannelStatus } from '../../models/channelStatus.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { SYSTEM } from '../../crm/users/actor.js';
import { Notifier } from '../../bot/core/notifier.js';
import { WebSender } from '../../bot/web/sender.js';
import { WebConversations } from '../../bot/web/conversations.js';
import { CampaignRunner } from '../../jobs/campaigns/runner.js';
import { createLogger } from '../../app/logger.js';
import { systemClock } from '../../jobs/clock.js';
import { locale } from '../../admin/locale.js';

/**
 * The campaign builder's endpoints through HTTP, as its page calls them, for each role: the
 * choices, the live recipient count with its reasons, the sample message, saving, scheduling on
 * the company's clock, and what hostile input gets back. Then a start, a worker run, and the
 * progress the launch page reads.
 */
let panel: Awaited<ReturnType<typeof startPanel>>;
let admin: Browser;
let manager: Browser;
let sales: Browser;
const R = '/resources/Campaign';
const vi = locale.translations.vi as { messages: Record<string, string> };

beforeAll(async () => {
  panel = await startPanel();
  await makeUser('manager', 'hoa@chot.test');
  await makeUser('sales', 'lan@chot.test');
  [admin, manager, sales] = await Promise.all([loggedIn(panel.base, ADMIN.email, ADMIN.password), loggedIn(panel.base, 'hoa@chot.test'), loggedIn(panel.base, 'lan@chot.test')]);
}, 60_000);

afterAll(async () => {
  await panel?.stop();
});

beforeEach(async () => {
  await Campaign.deleteMany({});
  await Customer.deleteMany({});
  await ChannelStatus.deleteMany({});
});

function expectRefused(res: { status: number; data: any }) {
  if (res.status !== 403) expect(res.data?.notice?.message).toBe('forbiddenError');
}

/** What the person reads for a notice: the Vietnamese text with its values filled in. */
function noticeText(notice: { message: string; options?: Record<string, unknown> }): string {
  const text = vi.messages[notice.message];
  expect(text).toBeDefined();
  return text.replace(/\{\{(\w+)\}\}/g, (_, k) => String(notice.options?.[k] ?? ''));
}

async function customer(name: string, phone: string, fields: Record<string, unknown> = {}) {
  const c = await createCustomer(SYSTEM, { name, phones: [phone] });
  if (Object.keys(fields).length) await Customer.updateOne({ _id: c._id }, { $set: fields });
  return c;
}

/** Two web-chat customers in "Mới", and three in "Mới" that a campaign cannot reach, each for its own reason. */
async function webSegment() {
  const moi = await Stage.findOne({ code: 'moi' }).lean();
  const a = await customer('Nguyễn Văn An', '0912000001', { 'chatIds.web': 'v-an', stage: moi!._id });
  const b = await customer('Trần Thị Bình', '0912000002', { 'chatIds.web': 'v-binh', stage: moi!._id });
  await customer('Lê Văn Cường', '0912000003', { stage: moi!._id });
  await customer('Phạm Thu Dung', '0912000004', { 'chatIds.web': 'v-dung', 'optedOut.web': true, stage: moi!._id });
  await customer('Hoàng Gia Em', '0912000005', { 'chatIds.web': 'v-em', 'unreachable.web': true, stage: moi!._id });
  return { moi: moi!, a, b };
}

const draft = (fields: Record<string, unknown> = {}) => ({ name: 'Ưu đãi tháng 12', channels: ['web'], segment: {}, template: 'Chào {ten} ({ma}), {nguoi_phu_trach} gửi bạn ưu đãi', ...fields });

describe('the campaign builder', () => {
  it('offers the running channels (web chat always) and the segment lists by name, to managers and admins only', async () => {
    const res = await manager.api('GET', `${R}/actions/new`);
    expect(res.data.builder.options.channels).toEqual([{ channel: 'web', state: 'up' }]);
    expect(res.data.builder.options.stages.map((s: any) => s.label)).toContain('Mới');
    expect(res.data.builder.options.owners.map((s: any) => s.label)).toContain('sales lan');
    expect(res.data.builder.options.placeholders).toEqual(['{ten}', '{ma}', '{nguoi_phu_trach}']);
    await ChannelStatus.create({ channel: 'telegram', instance: 'worker-1', state: 'up', since: new Date(), seenAt: new Date() });
    await ChannelStatus.create({ channel: 'zalo_oa', instance: 'gone', state: 'up', since: new Date(0), seenAt: new Date(Date.now() - 3_600_000) });
    const again = await admin.api('GET', `${R}/actions/new`);
    expect(again.data.builder.options.channels.map((c: any) => c.channel)).toEqual(['telegram', 'web']);
    expectRefused(await sales.api('GET', `${R}/actions/new`));
    expectRefused(await sales.api('POST', `${R}/actions/new`, { op: 'preview', ...draft() }));
  });

  it('counts recipients as the segment is chosen, says why the others get nothing, and fills the message for a sample customer', async () => {
    const { moi, a } = await webSegment();
    const res = await manager.api('POST', `${R}/actions/new`, { op: 'preview', ...draft({ segment: { stages: [String(moi._id)] } }) });
    const { count, sample, unknownPlaceholders } = res.data.preview;
    expect(count).toEqual({ total: 2, byChannel: { web: 2 }, inSegment: 5, notReachable: { no_chat_id: 1, opted_out: 1, unreachable: 1 } });
    expect(sample.customer.name).toBe('Nguyễn Văn An');
    expect(sample.text).toBe(`Chào Nguyễn Văn An (${a.code}), ${'chot'} gửi bạn ưu đãi`.replace('chot', sample.ownerName));
    expect(unknownPlaceholders).toEqual([]);
    const none = await manager.api('POST', `${R}/actions/new`, { op: 'preview', ...draft({ channels: [] }) });
    expect(none.data.preview.count).toBeNull();
    const otherStage = await Stage.findOne({ code: 'chot' }).lean();
    const empty = await manager.api('POST', `${R}/actions/new`, { op: 'preview', ...draft({ segment: { stages: [String(otherStage!._id)] } }) });
    expect(empty.data.preview.count).toMatchObject({ total: 0, inSegment: 0 });
    expect(empty.data.preview.sample).toBeNull();
  });

  it('refuses hostile input with a clear message and stores nothing', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [draft({ template: 'Chào {ten}, giảm {giam_gia} cho {x}' }), 'campaignProblem_placeholders', /\{giam_gia\}, \{x\}.*\{ten\}, \{ma\}, \{nguoi_phu_trach\}/],
      [draft({ channels: ['fax'] }), 'campaignProblem_channels', /ít nhất một kênh/],
      [draft({ channels: { $gt: '' } }), 'campaignProblem_channels', /ít nhất một kênh/],
      [draft({ channels: ['telegram'] }), 'campaignProblem_channelNotRunning', /Kênh telegram chưa được cấu hình/],
      [draft({ segment: { stages: ['{"$gt":""}'] } }), 'campaignProblem_segment', /nhóm khách không hợp lệ/],
      [draft({ segment: { contactedWithinDays: 'abc' } }), 'campaignProblem_days', /từ 1 đến 3650/],
      [draft({ sendAt: '31/12/2030 09:00' }), 'campaignProblem_scheduledAt', /ngày giờ sắp tới/],
      [draft({ sendAt: '2030-02-30T09:00' }), 'campaignProblem_scheduledAt', /ngày giờ sắp tới/],
      [draft({ sendAt: '2020-01-01T09:00' }), 'campaignProblem_scheduledAt', /ngày giờ sắp tới/],
      [draft({ name: '  ' }), 'campaignProblem_name', /đặt tên/],
      [draft({ template: '' }), 'campaignProblem_template', /nội dung tin nhắn/],
    ];
    for (const [body, key, text] of cases) {
      const res = await manager.api('POST', `${R}/actions/new`, body);
      expect(res.data.notice).toMatchObject({ type: 'error', message: key });
      expect(noticeText(res.data.notice)).toMatch(text);
      expect(res.data.redirectUrl).toBeUndefined();
    }
    const preview = await manager.api('POST', `${R}/actions/new`, { op: 'preview', ...draft({ template: 'Chào {ten} {giam_gia}' }) });
    expect(preview.data.preview.unknownPlaceholders).toEqual(['{giam_gia}']);
    expect(await Campaign.countDocuments()).toBe(0);
  });

  it('saves a draft, edits it, and opens its launch page; a started campaign can no longer be edited', async () => {
    const saved = await manager.api('POST', `${R}/actions/new`, { op: 'save', ...draft() });
    expect(saved.data.notice).toMatchObject({ type: 'success' });
    const id = saved.data.record.id;
    expect(saved.data.redirectUrl).toBe(`/admin/resources/Campaign/records/${id}/launch`);
    const stored = await Campaign.findById(id).lean();
    expect(stored).toMatchObject({ status: 'draft', channels: ['web'], template: draft().template });
    const form = await manager.api('GET', `${R}/records/${id}/edit`);
    expect(form.data.builder.form).toMatchObject({ name: 'Ưu đãi tháng 12', channels: ['web'], sendAt: '' });
    const edited = await manager.api('POST', `${R}/records/${id}/edit`, { op: 'save', ...draft({ name: 'Ưu đãi Tết' }) });
    expect(edited.data.notice.type).toBe('success');
    expect((await Campaign.findById(id).lean())!.name).toBe('Ưu đãi Tết');
    expectRefused(await sales.api('POST', `${R}/records/${id}/edit`, { op: 'save', ...draft({ name: 'Của sales' }) }));
    await manager.api('POST', `${R}/records/${id}/launch`, { op: 'start' });
    expectRefused(await manager.api('POST', `${R}/records/${id}/edit`, { op: 'save', ...draft({ name: 'Muộn rồi' }) }));
    expect((await Campaign.findById(id).lean())!.name).toBe('Ưu đãi Tết');
  });

  it('schedules on the company clock, whatever the machine zone, and shows the same time back', async () => {
    // A zone far from the machine's (UTC here, or whatever the test machine has).
    const zone = new Date().getTimezoneOffset() === -540 ? 'America/New_York' : 'Asia/Tokyo';
    await Settings.updateOne({ key: 'global' }, { $set: { timezone: zone } }, { upsert: true });
    try {
      const saved = await admin.api('POST', `${R}/actions/new`, { op: 'save', ...draft({ sendAt: '2030-01-15T09:00' }) });
      expect(saved.data.notice.type).toBe('success');
      const id = saved.data.record.id;
      const stored = await Campaign.findById(id).lean();
      expect(stored!.status).toBe('scheduled');
      const expected = zone === 'Asia/Tokyo' ? '2030-01-15T00:00:00.000Z' : '2030-01-15T14:00:00.000Z';
      expect(stored!.scheduledAt!.toISOString()).toBe(expected);
      const launch = await admin.api('GET', `${R}/records/${id}/launch`);
      expect(launch.data.launch).toMatchObject({ status: 'scheduled', scheduledAt: '15/01/2030 09:00', timezone: zone });
      // Moved from the launch page's own picker, read on the same clock.
      const moved = await admin.api('POST', `${R}/records/${id}/launch`, { op: 'schedule', at: '2030-01-16T18:30' });
      expect(moved.data.launch.scheduledAt).toBe('16/01/2030 18:30');
      const bad = await admin.api('POST', `${R}/records/${id}/launch`, { op: 'schedule', at: 'ngày mai' });
      expect(noticeText(bad.data.notice)).toMatch(/ngày giờ sắp tới/);
      expect((await Campaign.findById(id).lean())!.scheduledAt!.getTime()).toBe(new Date(expected).getTime() + (33 * 60 + 30) * 60_000);
    } finally {
      await Settings.updateOne({ key: 'global' }, { $set: { timezone: 'Asia/Ho_Chi_Minh' } });
    }
  });

  it('reports progress right from start to finish: preparing, never "0/0" once sent, then 2/2 in the list', async () => {
    await webSegment();
    const saved = await manager.api('POST', `${R}/actions/new`, { op: 'save', ...draft() });
    const id = saved.data.record.id;
    const started = await manager.api('POST', `${R}/records/${id}/launch`, { op: 'start' });
    expect(started.data.launch).toMatchObject({ status: 'running', resolving: true });

    const notifier = new Notifier(createLogger('silent'));
    notifier.register(new WebSender(new WebConversations()));
    const runner = new CampaignRunner({ clock: systemClock, notifier, logger: createLogger('silent'), signal: new AbortController().signal });
    await runner.runDue();

    const after = await manager.api('GET', `${R}/records/${id}/launch`);
    expect(after.data.launch).toMatchObject({ status: 'completed', resolving: false });
    expect(after.data.launch.report.counters).toEqual({ targeted: 2, sent: 2, failed: 0, skipped: 0 });
    const listed = await manager.api('GET', `${R}/actions/list`);
    const row = listed.data.records.find((r: any) => r.id === id);
    expect(row.params).toMatchObject({ status: 'completed', 'counters.sent': 2, 'counters.targeted': 2 });
  });

  describe('with email and SMS configured', () => {
    const env = { SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_FROM: 'ABC <sales@abc.vn>', SMS_PROVIDER: 'http', SMS_PRICE_PER_SEGMENT_VND: '700' };
    beforeEach(() => Object.assign(process.env, env));
    afterEach(() => {
      for (const key of Object.keys(env)) delete process.env[key];
    });

    /** Customers from a spreadsheet: one with a mobile only, one with an email only, one with both and a web chat. */
    async function importedCustomers() {
      await customer('Đặng Thu Hà', '0912000011');
      await customer('Vũ Minh Khoa', '02838000012', { email: 'khoa@example.com' });
      await customer('Lý Gia Long', '0912000013', { email: 'long@example.com', 'chatIds.web': 'v-long' });
    }

    it('offers email and SMS, counts who each channel reaches in the chosen order, and estimates the SMS cost', async () => {
      await importedCustomers();
      const options = await manager.api('GET', `${R}/actions/new`);
      expect(options.data.builder.options.channels).toEqual([
        { channel: 'web', state: 'up' },
        { channel: 'email', state: 'up' },
        { channel: 'sms', state: 'up' },
      ]);
      expect(options.data.builder.options.znsFields).toEqual(['name', 'code', 'owner', 'phone', 'email']);

      const body = { ...draft({ channels: ['web', 'sms', 'email'], template: 'Chào {ten}, cửa hàng gửi bạn ưu đãi cuối năm' }), outreach: { emailSubject: 'Ưu đãi', smsText: '' } };
      const res = await manager.api('POST', `${R}/actions/new`, { op: 'preview', ...body });
      const { count, sms, cost } = res.data.preview;
      expect(count).toMatchObject({ total: 3, byChannel: { web: 1, sms: 1, email: 1 }, inSegment: 3 });
      expect(sms.text).toMatch(/^Chao .+, cua hang gui ban uu dai cuoi nam$/);
      expect(sms.size).toMatchObject({ encoding: 'gsm7', segments: 1 });
      expect(cost).toMatchObject({ sms: 700, zns: 0, total: 700, smsSegments: 1 });
      // Email first: the customer with both gets the email instead of the SMS.
      const reordered = await manager.api('POST', `${R}/actions/new`, { op: 'preview', ...body, channels: ['email', 'sms'] });
      expect(reordered.data.preview.count).toMatchObject({ total: 3, byChannel: { email: 2, sms: 1 } });
      // Its own, longer SMS text: two segments, twice the price.
      const long = await manager.api('POST', `${R}/actions/new`, { op: 'preview', ...body, outreach: { ...body.outreach, smsText: 'Chào {ten}! '.repeat(12) } });
      expect(long.data.preview.sms.size).toMatchObject({ encoding: 'gsm7', segments: 2 });
      expect(long.data.preview.cost.sms).toBe(1400);
      expectRefused(await sales.api('POST', `${R}/actions/new`, { op: 'preview', ...body }));
    });

    it('saves the channel order and each channel\'s content, and refuses what a channel cannot send without', async () => {
      const body = draft({ channels: ['sms', 'email', 'web'], outreach: { emailSubject: 'Ưu đãi {ten}', smsText: 'SMS {ten}', znsTemplateId: '', znsParams: [] } });
      const saved = await manager.api('POST', `${R}/actions/new`, { op: 'save', ...body });
      expect(saved.data.notice).toMatchObject({ type: 'success' });
      const id = saved.data.record.id;
      expect(await Campaign.findById(id).lean()).toMatchObject({ channels: ['sms', 'email', 'web'], outreach: { emailSubject: 'Ưu đãi {ten}', smsText: 'SMS {ten}' } });
      const form = await manager.api('GET', `${R}/records/${id}/edit`);
      expect(form.data.builder.form).toMatchObject({ channels: ['sms', 'email', 'web'], outreach: { emailSubject: 'Ưu đãi {ten}', smsText: 'SMS {ten}' } });
      expectRefused(await sales.api('POST', `${R}/records/${id}/edit`, { op: 'save', ...body, outreach: { emailSubject: 'Của sales' } }));
      expect((await Campaign.findById(id).lean())!.outreach!.emailSubject).toBe('Ưu đãi {ten}');

      const cases: [Record<string, unknown>, string, RegExp][] = [
        [draft({ channels: ['email'], outreach: { emailSubject: '  ' } }), 'campaignProblem_emailSubject', /tiêu đề email/],
        [draft({ channels: ['sms'], outreach: { smsText: 'Chào {mat_khau}' } }), 'campaignProblem_placeholders', /\{mat_khau\}/],
        [draft({ channels: ['sms'], outreach: { smsText: 'x'.repeat(1001) } }), 'campaignProblem_smsText', /1000 ký tự/],
        [draft({ channels: ['zns'] }), 'campaignProblem_channelNotRunning', /Kênh zns chưa được cấu hình/],
      ];
      for (const [input, key, text] of cases) {
        const res = await manager.api('POST', `${R}/actions/new`, { op: 'save', ...input });
        expect(res.data.notice).toMatchObject({ type: 'error', message: key });
        expect(noticeText(res.data.notice)).toMatch(text);
      }
      expect(await Campaign.countDocuments()).toBe(1);
    });
  });
});
