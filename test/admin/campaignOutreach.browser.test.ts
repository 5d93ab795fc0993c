import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startPanel, warmComponentsBundle, logInInBrowser } from './harness.js';
import { describeWithChromium, openBrowser, type PanelBrowser } from '../helpers/chromium.js';
import { Customer } from '../../models/customer.js';
import { Campaign } from '../../models/campaign.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { SYSTEM } from '../../crm/users/actor.js';

/**
 * An admin builds a campaign for customers imported from a spreadsheet: chooses web chat, SMS and
 * email, moves email up the order, fills the subject and the SMS, and sees who each channel reaches
 * and the estimated SMS cost follow. Screenshot: test-artifacts/outreach/builder.png.
 */
const ARTIFACTS = path.resolve('test-artifacts/outreach');
const ENV = { SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_FROM: 'ABC <sales@abc.vn>', SMS_PROVIDER: 'http', SMS_PRICE_PER_SEGMENT_VND: '800' };

describeWithChromium('the campaign builder with email and SMS', (chromiumPath) => {
  let panel: Awaited<ReturnType<typeof startPanel>>;
  let chrome: PanelBrowser;
  let page: Page;

  beforeAll(async () => {
    Object.assign(process.env, ENV);
    await mkdir(ARTIFACTS, { recursive: true });
    panel = await startPanel();
    await warmComponentsBundle(panel.base);
    chrome = await openBrowser(chromiumPath);
    page = chrome.page;
  }, 90_000);

  afterAll(async () => {
    for (const key of Object.keys(ENV)) delete process.env[key];
    await chrome?.close();
    await panel?.stop();
  });

  it('orders the channels, shows each channel\'s fields, and estimates the cost live', async () => {
    const ha = await createCustomer(SYSTEM, { name: 'Đặng Thu Hà', phones: ['0912000011'] });
    await createCustomer(SYSTEM, { name: 'Phạm Quốc Bảo', phones: ['0912000012'] });
    const khoa = await createCustomer(SYSTEM, { name: 'Vũ Minh Khoa', phones: ['02838000012'] });
    const long = await createCustomer(SYSTEM, { name: 'Lý Gia Long', phones: ['0912000013'] });
    await Customer.updateOne({ _id: khoa._id }, { $set: { email: 'khoa@example.com' } });
    await Customer.updateOne({ _id: long._id }, { $set: { email: 'long@example.com', 'chatIds.web': 'v-long' } });
    void ha;

    await logInInBrowser(page, panel.base);
    await page.goto(`${panel.base}/admin/resources/Campaign/actions/new`);
    await page.waitForSelector('[data-testid=campaign-builder]');
    await page.fill('#campaign-name', 'Ưu đãi cuối năm');
    for (const c of ['web', 'sms', 'email']) await page.check(`[data-testid=pick-channels] input[data-value=${c}]`);
    // Each outreach channel's own fields appear once it is chosen; ZNS is not configured, so not offered.
    await page.waitForSelector('[data-testid=email-fields]');
    await page.waitForSelector('[data-testid=sms-fields]');
    expect(await page.locator('[data-testid=pick-channels] input[data-value=zns]').count()).toBe(0);
    await page.fill('textarea[name=template]', 'Chào {ten}, cửa hàng gửi bạn ưu đãi cuối năm: giảm 15% đến hết 31/12.');
    await page.fill('#campaign-emailSubject', 'Ưu đãi cuối năm cho {ten}');
    // Web first: Long chats, so Long gets the chat message; the other two with mobiles get an SMS, Khoa an email.
    await page.getByText('4 khách nhận được').waitFor();
    await page.getByText('SMS: 2 tin × 1 phần × 800 đ').waitFor();
    expect(await page.textContent('[data-testid=campaign-cost]')).toContain('Chi phí ước tính: 1.600 đ');
    // Email before SMS: Long's email outranks... only after web; move email to the top.
    await page.click('[data-testid=up-email]');
    await page.click('[data-testid=up-email]');
    expect(await page.textContent('[data-testid=channel-order]')).toMatch(/1\. Email.*2\. Web chat.*3\. SMS/);
    await page.getByText('Chi phí ước tính: 1.600 đ').waitFor();
    await page.getByText('Email: 2').waitFor();
    expect(await page.textContent('[data-testid=sms-preview]')).toContain('Chao');
    await page.screenshot({ path: path.join(ARTIFACTS, 'builder.png'), fullPage: true });

    await page.click('[data-testid=campaign-save]');
    await page.waitForSelector('[data-testid=campaign-launch]');
    const saved = await Campaign.findOne({ name: 'Ưu đãi cuối năm' }).lean();
    expect(saved).toMatchObject({ channels: ['email', 'web', 'sms'], outreach: { emailSubject: 'Ưu đãi cuối năm cho {ten}' } });
  }, 120_000);
});
