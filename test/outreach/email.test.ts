import { Types } from 'mongoose';
import { useTestDatabase } from '../helpers/database.js';
import { makeCustomer } from '../jobs/fixtures.js';
import { capturedLogger, startOutreach, startSmtpServer } from './helpers.js';
import { Customer } from '../../models/customer.js';
import { Campaign } from '../../models/campaign.js';
import { CampaignDelivery } from '../../models/campaignDelivery.js';
import { EmailOpen } from '../../models/emailOpen.js';
import { CHAT_CHANNELS } from '../../models/channels.js';
import { OUTREACH_CHANNELS, type OutreachSender } from '../../crm/outreach/types.js';
import { isOptedOut, outreachAddress } from '../../crm/outreach/address.js';
import { unsubscribeToken } from '../../crm/outreach/links.js';
import { countRecipients } from '../../crm/campaigns/segment.js';
import { resolveDeliveries } from '../../crm/campaigns/deliveries.js';
import { Notifier } from '../../bot/core/notifier.js';
import { outreachFeature } from '../../app/outreach.js';
import { loadConfig } from '../../app/config.js';
import { createHttpApp } from '../../app/http.js';
import type { AppContext } from '../../app/context.js';

useTestDatabase();

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let chot: Awaited<ReturnType<typeof startOutreach>>;
let email: OutreachSender;

beforeAll(async () => {
  smtp = await startSmtpServer();
  chot = await startOutreach({ SMTP_URL: smtp.url, MAIL_FROM: 'Công ty ABC <sales@abc.vn>', SESSION_SECRET: 'test-session-secret-0123456789' });
  email = chot.notifier.outreach('email')!;
});
afterAll(async () => {
  await chot.stop();
  await smtp.stop();
});
beforeEach(() => {
  smtp.received.length = 0;
});

function message(customerId: Types.ObjectId, extra: Record<string, unknown> = {}) {
  return { customerId, text: 'Chào chị <b>Lan</b> & gia đình,\n\nƯu đãi tháng 12: https://abc.vn/uu-dai?x=1&y=2\nCảm ơn chị.', subject: 'Ưu đãi\r\nBcc: evil@x.vn', trackingId: `t-${customerId}`, ...extra };
}

function unsubscribeLink(raw: string): string {
  const header = /^List-Unsubscribe: <([^>]+)>/m.exec(raw.replace(/\r?\n[ \t]+/g, ' '));
  return header![1]!;
}

describe('email to a customer', () => {
  it('registers the email sender from SMTP_URL and MAIL_FROM, and no other channel', () => {
    expect(chot.notifier.outreachChannels).toEqual(['email']);
  });

  it('sends plain text plus escaped HTML, and a bulk message carries the unsubscribe link and List-Unsubscribe headers', async () => {
    const c = await makeCustomer({ email: 'lan@example.vn' });
    const result = await email.send(outreachAddress({ email: 'Lan@Example.vn ' }, 'email')!, { ...message(c._id), bulk: true });
    expect(result).toMatchObject({ ok: true });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual(['lan@example.vn']);
    expect(mail.from).toBe('sales@abc.vn');
    // The subject stays one line: no header can be slipped in through it.
    expect(mail.parsed.subject).toBe('Ưu đãi Bcc: evil@x.vn');
    expect(mail.parsed.headers.get('bcc')).toBeUndefined();
    expect(mail.parsed.text).toContain('Chào chị <b>Lan</b> & gia đình,');
    const html = String(mail.parsed.html);
    expect(html).toContain('Chào chị &lt;b&gt;Lan&lt;/b&gt; &amp; gia đình,');
    expect(html).not.toContain('<b>Lan');
    expect(html).toContain('<a href="https://abc.vn/uu-dai?x=1&amp;y=2">');
    const link = unsubscribeLink(mail.raw);
    expect(link.startsWith(`${chot.baseUrl}/unsubscribe/`)).toBe(true);
    expect(mail.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
    expect(mail.parsed.text).toContain(link);
    expect(html).toContain(`href="${link}"`);
    // Off by default: no open pixel.
    expect(html).not.toContain('/email/open/');
  });

  it('a single email (not bulk) has no unsubscribe link', async () => {
    const c = await makeCustomer({ email: 'lan@example.vn' });
    expect(await email.send('lan@example.vn', message(c._id))).toMatchObject({ ok: true });
    expect(smtp.received[0]!.raw).not.toMatch(/List-Unsubscribe/);
  });

  it('the unsubscribe link works without logging in and opts the customer out of every channel', async () => {
    const c = await makeCustomer({ email: 'lan@example.vn', phones: ['+84912345678'] });
    const campaign = await Campaign.create({ name: 'Tết', template: 'x', channels: ['telegram'], status: 'running' });
    await resolveDeliveries(campaign._id);
    expect(await CampaignDelivery.countDocuments({ customer: c._id, status: 'pending' })).toBe(1);
    await email.send('lan@example.vn', { ...message(c._id), bulk: true });
    const link = unsubscribeLink(smtp.received[0]!.raw);

    // Opening the link (a mail scanner does too) only asks: nothing changes yet.
    const ask = await fetch(link);
    expect(ask.status).toBe(200);
    const askPage = await ask.text();
    expect(askPage).toContain('Xác nhận hủy nhận tin');
    expect(askPage).toContain('<form method="post"');
    expect(ask.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect((await Customer.findById(c._id).lean())!.optedOut?.telegram).toBeFalsy();
    expect(await (await fetch(`${link}?lang=en`)).text()).toContain('Confirm: stop messages');
    expect(await (await fetch(link, { headers: { 'Accept-Language': 'en-US,en;q=0.9,vi;q=0.5' } })).text()).toContain('Confirm: stop messages');

    const done = await fetch(link, { method: 'POST', redirect: 'manual' });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('sẽ không gửi tin chương trình cho bạn nữa');
    const stored = (await Customer.findById(c._id).lean())!;
    for (const channel of [...CHAT_CHANNELS, ...OUTREACH_CHANNELS]) expect(isOptedOut(stored, channel)).toBe(true);
    expect(stored.optedOutEverywhereAt).toBeInstanceOf(Date);
    // The waiting campaign message is skipped, and no campaign on a chat channel counts them any more.
    expect(await CampaignDelivery.findOne({ customer: c._id }).lean()).toMatchObject({ status: 'skipped', reason: 'opted_out' });
    expect((await countRecipients({}, [...CHAT_CHANNELS])).total).toBe(0);
    // Opening it again says it is already done.
    expect(await (await fetch(link)).text()).toContain('đã hủy nhận tin từ trước');
  });

  it("a mail client's one-click POST (List-Unsubscribe=One-Click) opts out too", async () => {
    const c = await makeCustomer({ email: 'lan@example.vn' });
    await email.send('lan@example.vn', { ...message(c._id), bulk: true });
    const res = await fetch(unsubscribeLink(smtp.received[0]!.raw), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    expect(isOptedOut((await Customer.findById(c._id).lean())!, 'email')).toBe(true);
  });

  it('refuses a tampered or expired link and changes nothing', async () => {
    const c = await makeCustomer({ email: 'lan@example.vn' });
    const other = await makeCustomer({ email: 'hoa@example.vn' });
    const good = unsubscribeToken(c._id, new Date(Date.now() + 86_400_000));
    const [, exp, signature] = good.split('.');
    const forgedSignature = `${good.slice(0, -2)}${good.endsWith('AA') ? 'AB' : 'AA'}`;
    const otherCustomer = `${other._id}.${exp}.${signature}`;
    const laterExpiry = `${c._id}.${(parseInt(exp!, 36) + 1000).toString(36)}.${signature}`;
    for (const token of [forgedSignature, otherCustomer, laterExpiry, 'abc', `${good}x`]) {
      const res = await fetch(`${chot.baseUrl}/unsubscribe/${token}`, { method: 'POST' });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('Liên kết không hợp lệ');
    }
    const expired = unsubscribeToken(c._id, new Date(Date.now() - 1000));
    const res = await fetch(`${chot.baseUrl}/unsubscribe/${expired}?lang=en`, { method: 'POST' });
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('This link has expired');
    for (const id of [c._id, other._id]) expect((await Customer.findById(id).lean())!.optedOutEverywhereAt).toBeUndefined();
  });

  it('records refusals with the SMTP code: 550 unknown user, 554 policy, 451 try later', async () => {
    const c = await makeCustomer({});
    expect(await email.send('nobody@example.vn', message(c._id))).toMatchObject({ ok: false, reason: 'invalid_address', code: '550' });
    expect(await email.send('spam@example.vn', message(c._id))).toMatchObject({ ok: false, reason: 'refused', code: '554' });
    expect(await email.send('busy@example.vn', message(c._id))).toMatchObject({ ok: false, reason: 'rate_limited', code: '451', retryAfterSeconds: 300 });
    expect(await email.send('not an address', message(c._id))).toMatchObject({ ok: false, reason: 'invalid_address' });
    expect(await email.send('a@b.vn, evil@x.vn', message(c._id))).toMatchObject({ ok: false, reason: 'invalid_address' });
    expect(smtp.received).toHaveLength(0);
  });
});

describe('open tracking', () => {
  it('is off unless EMAIL_OPEN_TRACKING=true; then the pixel records the open by tracking id', async () => {
    const tracked = await startOutreach({ SMTP_URL: smtp.url, MAIL_FROM: 'sales@abc.vn', EMAIL_OPEN_TRACKING: 'true' });
    try {
      const c = await makeCustomer({ email: 'lan@example.vn' });
      await tracked.notifier.outreach('email')!.send('lan@example.vn', { ...message(c._id), trackingId: 'camp1:lan', bulk: true });
      const pixel = /<img src="([^"]+)"/.exec(String(smtp.received[0]!.parsed.html))![1]!.replace(/&amp;/g, '&');
      expect(pixel.startsWith(`${tracked.baseUrl}/email/open/`)).toBe(true);
      const res = await fetch(pixel);
      expect(res.headers.get('content-type')).toBe('image/gif');
      await fetch(pixel);
      expect(await EmailOpen.findOne({ trackingId: 'camp1:lan' }).lean()).toMatchObject({ customer: c._id, count: 2 });
      // A made-up pixel gets the same image and records nothing.
      const forged = await fetch(pixel.replace(/\.[A-Za-z0-9_-]{22}\.gif$/, '.AAAAAAAAAAAAAAAAAAAAAA.gif'));
      expect(forged.status).toBe(200);
      expect(await EmailOpen.countDocuments()).toBe(1);
    } finally {
      await tracked.stop();
    }
  });
});

describe('configuration', () => {
  it('a wrong SMTP_URL leaves email off with one clear log line, and chot starts', async () => {
    const log = capturedLogger();
    const notifier = new Notifier(log.logger);
    const ctx = {
      config: loadConfig({ DATA_DIR: '/x', SMTP_URL: 'mail.abc.vn', MAIL_FROM: 'sales@abc.vn' }),
      logger: log.logger,
      notifier,
      http: createHttpApp(),
      mode: { web: true, worker: true },
      registry: new Map(),
    } as unknown as AppContext;
    await expect(outreachFeature.start(ctx)).resolves.toBeDefined();
    expect(notifier.outreach('email')).toBeUndefined();
    expect(log.text()).toContain('email is off: SMTP_URL must look like smtp://');
  });

  it('bulk email without PUBLIC_URL is refused as not configured (no email without its unsubscribe link)', async () => {
    const log = capturedLogger();
    const notifier = new Notifier(log.logger);
    const ctx = { config: loadConfig({ DATA_DIR: '/x', SMTP_URL: smtp.url, MAIL_FROM: 'sales@abc.vn' }), logger: log.logger, notifier, http: createHttpApp(), mode: { web: false, worker: true }, registry: new Map() } as unknown as AppContext;
    const started = await outreachFeature.start(ctx);
    const c = await makeCustomer({});
    expect(await notifier.outreach('email')!.send('lan@example.vn', { ...message(c._id), bulk: true })).toMatchObject({ ok: false, reason: 'not_configured' });
    expect(smtp.received).toHaveLength(0);
    if (started && started.stop) await started.stop();
  });
});
