import type { Types } from 'mongoose';
import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { makeCustomer } from './fixtures.js';
import { silentLogger } from './harness.js';
import { RecordingSender } from './fakeBotApi.js';
import { ManualClock } from '../../jobs/clock.js';
import { CampaignRunner } from '../../jobs/campaigns/runner.js';
import { Notifier } from '../../bot/core/notifier.js';
import type { OutreachChannel, OutreachMessage, OutreachResult, OutreachSender } from '../../crm/outreach/types.js';
import { Campaign } from '../../models/campaign.js';
import { CampaignDelivery } from '../../models/campaignDelivery.js';
import { Interaction } from '../../models/interaction.js';
import { campaignReport, startCampaign, recordDeliveryOpened, recordDeliveryReceipt } from '../../crm/campaigns/index.js';
import { createCampaignDraft } from '../../crm/campaigns/drafts.js';
import { periodSummary } from '../../crm/reports/periodSummary.js';
import { personalStats } from '../../crm/reports/reports.js';
import { CrmError } from '../../crm/shared/errors.js';
import { startOutreach, startSmtpServer, listenOnLoopback, closeServer } from '../outreach/helpers.js';
import http from 'node:http';
import { ZnsSender } from '../../crm/outreach/zns/znsSender.js';
import { SmsSender } from '../../crm/outreach/sms/smsSender.js';
import { HttpSmsProvider } from '../../crm/outreach/sms/providers.js';

/**
 * Campaigns to customers who never wrote to a bot: the channel order falls back from chat to ZNS
 * to email, each customer gets one delivery on the first channel that reaches them, refusals are
 * kept with the provider's code, a restart never sends twice, and what reached people counts as
 * interactions for the customers' owners.
 */
useTestDatabase();

const clock = new ManualClock('2026-12-01T03:00:00Z');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Email goes through chot's own SMTP sender to a real SMTP server on 127.0.0.1, with the public
// unsubscribe page served as in the product.
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let chot: Awaited<ReturnType<typeof startOutreach>>;
let smtpEmail: OutreachSender;
beforeAll(async () => {
  smtp = await startSmtpServer();
  chot = await startOutreach({ SMTP_URL: smtp.url, MAIL_FROM: 'Công ty ABC <sales@abc.vn>', SESSION_SECRET: 'test-session-secret-0123456789' });
  smtpEmail = chot.notifier.outreach('email')!;
});
afterAll(async () => {
  await chot?.stop();
  await smtp?.stop();
});
beforeEach(() => {
  smtp.received.length = 0;
});

/**
 * A fake Zalo ZNS endpoint and a fake brandname SMS gateway on 127.0.0.1. Each checks the headers
 * and body chot sends and answers as the real ones do, refusals included: ZNS to 84912100002 is
 * out of quota (-115), the gateway has no balance left for 84912100003 (402).
 */
interface ProviderCall {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, any>;
}
let providers: { url: string; calls: ProviderCall[]; server: http.Server };
beforeAll(async () => {
  const calls: ProviderCall[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}');
      calls.push({ path: req.url ?? '', headers: req.headers, body });
      const reply = (status: number, answer: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
      if (req.headers['content-type'] !== 'application/json') return reply(415, { error: 'content_type' });
      if (req.url === '/message/template') {
        if (req.headers['access_token'] !== 'oa-token') return reply(200, { error: -124, message: 'Access token is invalid' });
        if (!/^84\d{9}$/.test(body.phone) || !body.template_id || !body.tracking_id) return reply(200, { error: -100, message: 'Invalid parameter' });
        if (body.phone === '84912100002') return reply(200, { error: -115, message: 'Out of quota' });
        return reply(200, { error: 0, message: 'Success', data: { msg_id: `zns-${calls.length}` } });
      }
      if (req.url === '/sms') {
        if (req.headers.authorization !== 'Bearer sms-key') return reply(401, { error: 'auth' });
        if (!/^84\d{9}$/.test(body.to) || body.brandname !== 'ABC' || !body.reference) return reply(422, { error: 'bad_request' });
        if (body.to === '84912100003') return reply(402, { error: 'balance', message: 'Insufficient balance' });
        return reply(200, { id: `sms-${calls.length}` });
      }
      reply(404, {});
    });
  });
  providers = { url: await listenOnLoopback(server), calls, server };
});
afterAll(async () => {
  if (providers) await closeServer(providers.server);
});
beforeEach(() => {
  providers.calls.length = 0;
});

const realZns = () => new ZnsSender({ apiRoot: providers.url, priceVnd: 300, tokens: () => ({ accessToken: async () => 'oa-token', refresh: async () => null }) });
const realSms = () => new SmsSender({ provider: new HttpSmsProvider({ url: `${providers.url}/sms`, apiKey: 'sms-key', brandname: 'ABC' }), pricePerSegmentVnd: 800 });

function unsubscribeLink(raw: string): string {
  return /^List-Unsubscribe: <([^>]+)>/m.exec(raw.replace(/\r?\n[ \t]+/g, ' '))![1]!;
}

/** An outreach provider as the runner sees it: records what it was given, answers what the test says. */
class FakeOutreach implements OutreachSender {
  readonly sent: { address: string; message: OutreachMessage }[] = [];
  answer: (address: string, message: OutreachMessage) => Promise<OutreachResult> | OutreachResult = () => ({ ok: true, providerId: `p-${this.sent.length}` });
  constructor(readonly channel: OutreachChannel) {}
  async send(address: string, message: OutreachMessage): Promise<OutreachResult> {
    this.sent.push({ address, message });
    return this.answer(address, message);
  }
}

function worker(senders: { chat?: RecordingSender; outreach: OutreachSender[] }, process = new AbortController()) {
  const notifier = new Notifier(silentLogger);
  if (senders.chat) notifier.register(senders.chat);
  for (const s of senders.outreach) notifier.registerOutreach(s);
  return new CampaignRunner({ clock, notifier, logger: silentLogger, signal: process.signal });
}

async function deliveryOf(campaignId: Types.ObjectId, customerId: Types.ObjectId) {
  return CampaignDelivery.findOne({ campaign: campaignId, customer: customerId }).lean();
}

/** Four customers: one who chats on Telegram, one with only a mobile, one with only an email, one with neither reachable. */
async function mixedCustomers(owner: Types.ObjectId) {
  const chat = await makeCustomer({ channels: ['telegram'], phones: ['+84912000001'], email: 'chat@example.com', owner });
  const phone = await makeCustomer({ channels: [], phones: ['+84912000002'], owner, name: 'Trần Thị Bình' });
  const email = await makeCustomer({ channels: [], email: 'cuong.le@example.com', owner, name: 'Lê Văn Cường' });
  // A landline is stored but neither ZNS nor SMS reaches it.
  const none = await makeCustomer({ channels: [], phones: ['+842838000000'], owner });
  return { chat, phone, email, none };
}

describe('campaigns over outreach channels', () => {
  it('falls back from chat to ZNS to email: one delivery each, on the first channel that reaches them', async () => {
    const { user: owner } = await makeStaff('sales', { name: 'Hoa' });
    const { actor: admin } = await makeStaff('admin');
    const c = await mixedCustomers(owner._id);
    const chat = new RecordingSender('telegram');
    const sms = new FakeOutreach('sms');
    const campaign = await createCampaignDraft(admin, {
      name: 'Tri ân',
      channels: ['telegram', 'zns', 'email'],
      template: 'Chào {ten}, {nguoi_phu_trach} gửi ưu đãi <tháng 12>',
      outreach: { emailSubject: 'Ưu đãi cho {ten}', znsTemplateId: '245761', znsParams: [{ key: 'customer_name', field: 'name' }, { key: 'phone', field: 'phone' }, { key: 'staff', field: 'owner' }] },
    });
    await startCampaign(admin, campaign._id, clock.now());
    const [summary] = await worker({ chat, outreach: [realZns(), smtpEmail, sms] }).runDue();
    expect(summary!.stoppedBecause).toBe('completed');

    expect(chat.sent.map((s) => s.chatId)).toEqual([c.chat.chatIds.telegram]);
    expect(providers.calls.map((c) => [c.path, c.body.phone])).toEqual([['/message/template', '84912000002']]);
    expect(smtp.received.map((m) => m.to)).toEqual([['cuong.le@example.com']]);
    expect(sms.sent).toEqual([]);
    expect(await CampaignDelivery.countDocuments({ campaign: campaign._id })).toBe(3);
    expect(await deliveryOf(campaign._id, c.none._id)).toBeNull();

    const znsDelivery = (await deliveryOf(campaign._id, c.phone._id))!;
    expect(znsDelivery).toMatchObject({ channel: 'zns', status: 'sent', address: '+84912000002', providerId: 'zns-1', costVnd: 300 });
    expect(providers.calls[0]!.body).toEqual({
      phone: '84912000002',
      template_id: '245761',
      template_data: { customer_name: 'Trần Thị Bình', phone: '0912 000 002', staff: 'Hoa' },
      tracking_id: znsDelivery.trackingId,
    });
    const mail = smtp.received[0]!;
    expect(mail.parsed.subject).toBe('Ưu đãi cho Lê Văn Cường');
    expect(mail.parsed.text).toContain('Chào Lê Văn Cường, Hoa gửi ưu đãi <tháng 12>');
    // A campaign is bulk mail: the recipient's own unsubscribe link, and the delivery's tracking id.
    expect(unsubscribeLink(mail.raw)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const mailDelivery = (await deliveryOf(campaign._id, c.email._id))!;
    expect(mail.parsed.headers.get('x-chot-tracking-id')).toBe(mailDelivery.trackingId);
    expect(mailDelivery).toMatchObject({ channel: 'email', status: 'sent', address: 'cuong.le@example.com' });

    const report = await campaignReport(campaign._id);
    expect(report.byChannel.map((r) => [r.channel, r.sent])).toEqual([
      ['telegram', 1],
      ['zns', 1],
      ['email', 1],
    ]);
  });

  it('records quota refusals per delivery with the provider code (ZNS -115, SMS gateway 402), and goes on with the others', async () => {
    const { actor: admin } = await makeStaff('admin');
    const phones = ['+84912100001', '+84912100002', '+84912100003', '+84912100004'];
    for (const p of phones) await makeCustomer({ channels: [], phones: [p] });
    const zns = await createCampaignDraft(admin, { name: 'ZNS', channels: ['zns'], template: 'Chào {ten}', outreach: { znsTemplateId: '100', znsParams: [{ key: 'name', field: 'name' }] } });
    const sms = await createCampaignDraft(admin, { name: 'SMS', channels: ['sms'], template: 'Chào {ten}: ưu đãi đến 31/12' });
    await startCampaign(admin, zns._id, clock.now());
    await startCampaign(admin, sms._id, clock.now());
    await worker({ outreach: [realZns(), realSms()] }).runDue();

    const smsCalls = providers.calls.filter((c) => c.path === '/sms');
    expect(smsCalls.map((c) => c.body.to).sort()).toEqual(phones.map((p) => p.slice(1)));
    // Unaccented, with the delivery's tracking id as the gateway's reference.
    expect(smsCalls[0]!.body.text).toMatch(/^Chao Khach \d+: uu dai den 31\/12$/);
    const outcome = async (campaignId: Types.ObjectId) =>
      (await CampaignDelivery.find({ campaign: campaignId }).sort({ address: 1 }).lean()).map((d) => [d.address, d.status, d.reason ?? null, d.providerCode ?? null]);
    expect(await outcome(zns._id)).toEqual([
      ['+84912100001', 'sent', null, null],
      ['+84912100002', 'failed', 'quota', '-115'],
      ['+84912100003', 'sent', null, null],
      ['+84912100004', 'sent', null, null],
    ]);
    expect(await outcome(sms._id)).toEqual([
      ['+84912100001', 'sent', null, null],
      ['+84912100002', 'sent', null, null],
      ['+84912100003', 'failed', 'quota', 'balance'],
      ['+84912100004', 'sent', null, null],
    ]);
    for (const d of await CampaignDelivery.find({ campaign: sms._id, status: 'sent' }).lean()) {
      expect(smsCalls.find((c) => c.body.to === d.address!.slice(1))!.body.reference).toBe(d.trackingId);
    }
    const report = await campaignReport(sms._id);
    expect(report.byChannel).toEqual([{ channel: 'sms', targeted: 4, sent: 3, delivered: 3, failed: 1, skipped: 0, opened: 0, costVnd: 2400 }]);
    expect(report.reasons).toEqual([{ status: 'failed', reason: 'quota', count: 1 }]);
  });

  it('across a worker restart mid-campaign, nobody gets an email twice and the rest still go out', async () => {
    const { actor: admin } = await makeStaff('admin');
    const customers = [];
    for (let i = 0; i < 12; i += 1) customers.push(await makeCustomer({ channels: [], email: `khach${i}@example.com` }));
    const delivered: string[] = [];
    let calls = 0;
    let crashed = false;
    // The process dies during its 5th send, after the mail server took the message: it never records it.
    const dying = new FakeOutreach('email');
    dying.answer = (address) => {
      if (crashed) return new Promise(() => {});
      calls += 1;
      delivered.push(address);
      if (calls === 5) {
        crashed = true;
        return new Promise(() => {});
      }
      return { ok: true };
    };
    const campaign = await createCampaignDraft(admin, { name: 'Mail', channels: ['email'], template: 'Chào {ten}', outreach: { emailSubject: 'Tin mới' } });
    await startCampaign(admin, campaign._id, clock.now());
    const dyingProcess = new AbortController();
    void worker({ outreach: [dying] }, dyingProcess).runDue();
    while (!crashed) await sleep(10);
    dyingProcess.abort();

    const healthy = new FakeOutreach('email');
    healthy.answer = (address) => {
      delivered.push(address);
      return { ok: true };
    };
    clock.advance(11_000);
    const [summary] = await worker({ outreach: [healthy] }).runDue();
    expect(summary!.stoppedBecause).toBe('completed');
    expect(summary!.interrupted).toBeGreaterThanOrEqual(1);
    expect(new Set(delivered).size).toBe(delivered.length);
    const deliveries = await CampaignDelivery.find({ campaign: campaign._id }).lean();
    expect(deliveries.filter((d) => d.status === 'sent' || d.reason === 'interrupted')).toHaveLength(12);
    // The one in flight at the crash is on record as interrupted: whether it arrived is unknown, so it is not resent.
    for (const d of deliveries.filter((x) => x.reason === 'interrupted')) expect(healthy.sent.map((s) => s.address)).not.toContain(d.address);
  });

  it('counts delivered SMS and ZNS and opened emails as interactions of the owner, once each', async () => {
    const { user: owner, actor: ownerActor } = await makeStaff('sales');
    const { actor: admin } = await makeStaff('admin');
    const sms1 = await makeCustomer({ channels: [], phones: ['+84912200001'], owner: owner._id });
    const sms2 = await makeCustomer({ channels: [], phones: ['+84912200002'], owner: owner._id });
    const mail1 = await makeCustomer({ channels: [], email: 'a@example.com', owner: owner._id });
    const mail2 = await makeCustomer({ channels: [], email: 'b@example.com', owner: owner._id });
    // The owner also logged a call by hand: counted as before, next to the campaign's.
    await Interaction.create({ customer: sms1._id, user: owner._id, type: 'call', occurredAt: clock.now() });
    const campaign = await createCampaignDraft(admin, { name: 'KPI', channels: ['sms', 'email'], template: 'Chào {ten}', outreach: { emailSubject: 'Chào' } });
    await startCampaign(admin, campaign._id, clock.now());
    await worker({ outreach: [new FakeOutreach('sms'), new FakeOutreach('email')] }).runDue();

    const tracking = async (c: { _id: Types.ObjectId }) => (await deliveryOf(campaign._id, c._id))!.trackingId!;
    // One SMS comes back undelivered by its receipt; one email is opened (twice: counted once).
    expect(await recordDeliveryReceipt(await tracking(sms2), false, clock.now(), 'EXPIRED')).toBe(true);
    expect(await recordDeliveryOpened(await tracking(mail1), clock.now())).toBe(true);
    expect(await recordDeliveryOpened(await tracking(mail1), clock.now())).toBe(false);
    expect(await recordDeliveryOpened('cd-not-a-delivery', clock.now())).toBe(false);

    const period = { from: new Date(clock.now().getTime() - 3600_000), to: new Date(clock.now().getTime() + 3600_000) };
    // 1 call + 1 delivered SMS + 1 opened email; the failed SMS and the unopened email do not count.
    expect((await personalStats(ownerActor as never, period)).interactions).toBe(3);
    expect((await periodSummary(ownerActor, period)).interactions).toBe(3);
    expect((await periodSummary(admin, period)).interactions).toBe(3);
    const report = await campaignReport(campaign._id);
    expect(report.byChannel).toEqual([
      { channel: 'email', targeted: 2, sent: 2, delivered: 2, failed: 0, skipped: 0, opened: 1, costVnd: 0 },
      { channel: 'sms', targeted: 2, sent: 2, delivered: 1, failed: 1, skipped: 0, opened: 0, costVnd: 0 },
    ]);
    void mail2;
  });

  it('after the email link, no later campaign reaches the customer on any channel', async () => {
    const { actor: admin } = await makeStaff('admin');
    const leaving = await makeCustomer({ channels: ['telegram'], phones: ['+84912300001'], email: 'leaving@example.com' });
    const staying = await makeCustomer({ channels: ['telegram'], phones: ['+84912300002'], email: 'staying@example.com' });
    const first = await createCampaignDraft(admin, { name: 'Thư', channels: ['email'], template: 'Chào {ten}', outreach: { emailSubject: 'Tin' } });
    await startCampaign(admin, first._id, clock.now());
    await worker({ outreach: [smtpEmail] }).runDue();
    const mail = smtp.received.find((m) => m.to[0] === 'leaving@example.com')!;
    const done = await fetch(unsubscribeLink(mail.raw), { method: 'POST', redirect: 'manual' });
    expect(done.status).toBe(200);

    const chat = new RecordingSender('telegram');
    smtp.received.length = 0;
    for (const channels of [['telegram'], ['zns'], ['sms'], ['email'], ['telegram', 'zns', 'sms', 'email']]) {
      const next = await createCampaignDraft(admin, { name: channels.join('+'), channels, template: 'Chào {ten}', outreach: { emailSubject: 'Tin', znsTemplateId: '1' } });
      await startCampaign(admin, next._id, clock.now());
      await worker({ chat, outreach: [realZns(), realSms(), smtpEmail] }).runDue();
      expect(await deliveryOf(next._id, leaving._id)).toBeNull();
      expect(await deliveryOf(next._id, staying._id)).toMatchObject({ status: 'sent', channel: channels[0] });
    }
    expect(chat.sent.map((s) => s.chatId)).not.toContain(leaving.chatIds.telegram);
    expect(providers.calls.map((c) => c.body.phone ?? c.body.to)).not.toContain('84912300001');
    expect(providers.calls.map((c) => c.body.phone ?? c.body.to)).toEqual(['84912300002', '84912300002']);
    expect(smtp.received.flatMap((m) => m.to)).toEqual(['staying@example.com']);
  });

  it('refuses a campaign whose channels lack what they need (email subject, ZNS template)', async () => {
    const { actor: admin } = await makeStaff('admin');
    await expect(createCampaignDraft(admin, { name: 'x', channels: ['email'], template: 'Chào' })).rejects.toMatchObject({ params: { field: 'emailSubject' } });
    await expect(createCampaignDraft(admin, { name: 'x', channels: ['zns'], template: 'Chào', outreach: { znsTemplateId: 'abc' } })).rejects.toBeInstanceOf(CrmError);
    await expect(
      createCampaignDraft(admin, { name: 'x', channels: ['zns'], template: 'Chào', outreach: { znsTemplateId: '1', znsParams: [{ key: 'a', field: 'password' as never }] } }),
    ).rejects.toMatchObject({ params: { field: 'znsParams' } });
    await expect(createCampaignDraft(admin, { name: 'x', channels: ['sms'], template: 'Chào', outreach: { smsText: 'Chào {matkhau}' } })).rejects.toMatchObject({ params: { field: 'placeholders' } });
    expect(await Campaign.countDocuments({})).toBe(0);
  });
});
