import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startPanel, ADMIN, warmComponentsBundle } from './harness.js';
import { describeWithChromium, openBrowser, type PanelBrowser } from '../helpers/chromium.js';
import { Customer } from '../../models/customer.js';
import { Campaign } from '../../models/campaign.js';
import { listStages } from '../../crm/stages/stages.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { SYSTEM } from '../../crm/users/actor.js';

/**
 * The panel in a real browser (Debian chromium, headless): log in, reorder two stages, create a
 * customer, import a CSV with a duplicate, preview and start a campaign, open the dashboard.
 * Screenshots go to test-artifacts/admin/.
 */
const ARTIFACTS = path.resolve('test-artifacts/admin');

describeWithChromium('the admin panel in a browser', (chromiumPath) => {
  let panel: Awaited<ReturnType<typeof startPanel>>;
  let chrome: PanelBrowser;
  let page: Page;
  /** What the browser refused under the panel's Content-Security-Policy: must stay empty. */
  let cspViolations: string[] = [];

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    panel = await startPanel();
    await warmComponentsBundle(panel.base);
    chrome = await openBrowser(chromiumPath);
    ({ page, cspViolations } = chrome);
  }, 90_000);

  afterAll(async () => {
    await chrome?.close();
    await panel?.stop();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  it('logs in and sees the dashboard in Vietnamese', async () => {
    await page.goto(`${panel.base}/admin/login`);
    await page.fill('input[name=email]', ADMIN.email);
    await page.fill('input[name=password]', ADMIN.password);
    await shot('01-login');
    await page.press('input[name=password]', 'Enter');
    await page.waitForSelector('[data-testid=dashboard]');
    await page.getByText('Khách hàng theo giai đoạn').waitFor();
    await shot('02-dashboard-empty');
  }, 60_000);

  it('reorders two stages', async () => {
    const before = await listStages({ includeInactive: true });
    await page.goto(`${panel.base}/admin/resources/Stage/actions/reorder`);
    await page.waitForSelector('[data-testid=down-0]');
    await page.click('[data-testid=down-0]');
    await page.getByText('Đã lưu thứ tự giai đoạn').waitFor();
    const after = await listStages({ includeInactive: true });
    expect(after.slice(0, 2).map((s) => s.name)).toEqual([before[1].name, before[0].name]);
    await shot('03-stage-reorder');
  }, 60_000);

  it('creates a customer with the form', async () => {
    await page.goto(`${panel.base}/admin/resources/Customer/actions/new`);
    await page.fill('input[name=name]', 'Nguyễn Thị Hoa');
    await page.getByRole('button', { name: /Thêm mục|Add new item/ }).first().click();
    await page.fill('input[name="phones.0"]', '0912 000 111');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.waitForSelector('[data-testid=customer-card]');
    expect(await Customer.countDocuments({ name: 'Nguyễn Thị Hoa', phones: '+84912000111' })).toBe(1);
    await shot('04-customer-card');
  }, 60_000);

  it('imports a CSV with one duplicate: preview first, then confirm', async () => {
    const file = path.join(ARTIFACTS, 'import.csv');
    await writeFile(file, '\ufeffHọ tên,Số điện thoại,Nhu cầu\nTrần Văn Bình,0913 222 333,Căn hộ 2PN\nNguyễn Thị Hoa,0912000111,Hỏi giá\n');
    await page.goto(`${panel.base}/admin/resources/Customer/actions/importCsv`);
    await page.setInputFiles('input[type=file]', file);
    await page.click('[data-testid=import-preview]');
    await page.waitForSelector('[data-testid=import-counts]');
    expect(await page.textContent('[data-testid=import-counts]')).toContain('1 tạo mới · 1 gộp');
    expect(await Customer.countDocuments({ name: 'Trần Văn Bình' })).toBe(0);
    await shot('05-import-preview');
    await page.click('[data-testid=import-confirm]');
    await page.waitForSelector('[data-testid=import-result]');
    expect(await Customer.countDocuments({ name: 'Trần Văn Bình' })).toBe(1);
    await shot('06-import-done');
  }, 60_000);

  it('previews and starts a campaign', async () => {
    const c = await createCustomer(SYSTEM, { name: 'Lê Thu', phones: ['0914555666'] });
    await Customer.updateOne({ _id: c._id }, { $set: { 'chatIds.telegram': '4242' } });
    const campaign = await Campaign.create({ name: 'Ưu đãi tháng 12', template: 'Chào {ten}, chot có ưu đãi cho bạn (mã {ma}).', channels: ['telegram'] });
    await page.goto(`${panel.base}/admin/resources/Campaign/records/${campaign._id}/launch`);
    await page.waitForSelector('[data-testid=campaign-preview]');
    expect(await page.textContent('[data-testid=recipient-count]')).toContain('1');
    expect(await page.textContent('[data-testid=campaign-preview]')).toContain(`Chào Lê Thu, chot có ưu đãi cho bạn (mã ${c.code}).`);
    await shot('07-campaign-preview');
    await page.click('[data-testid=campaign-start]');
    await page.waitForSelector('[data-testid=campaign-pause]');
    expect((await Campaign.findById(campaign._id).lean())!.status).toBe('running');
    await shot('08-campaign-running');
  }, 60_000);

  it('shows the customer list with stage colours and the dashboard with data', async () => {
    await page.goto(`${panel.base}/admin/resources/Customer`);
    await page.getByText('Trần Văn Bình').waitFor();
    await shot('09-customer-list');
    await page.goto(`${panel.base}/admin`);
    await page.waitForSelector('[data-testid=dashboard]');
    await page.getByText('Khách mới theo nguồn theo ngày').waitFor();
    await shot('10-dashboard');
  }, 60_000);

  it('shows the campaign form, the account page, and switches to English', async () => {
    await page.goto(`${panel.base}/admin/resources/Campaign/actions/new`);
    await page.waitForSelector('input[name=name]');
    await shot('11-campaign-form');
    await page.goto(`${panel.base}/admin/pages/account`);
    await page.waitForTimeout(3000);
    await shot('12-account');
    await page.waitForSelector('input[name=currentPassword]');
    await shot('12-account');
    await page.goto(`${panel.base}/admin/resources/Customer`);
    await page.getByText('Tiếng Việt').first().click();
    await page.getByText('English').first().click();
    await page.getByText('Import CSV').waitFor();
    await shot('13-customers-english');
    await page.reload();
    await page.getByText('Import CSV').waitFor();
  }, 60_000);

  // Every POST above (login, reorder, new customer, import, campaign start) passed the panel's
  // same-origin check: the browser sends the page's Origin with each.
  it('ran every page above under the panel\'s Content-Security-Policy without a refusal', () => {
    expect(cspViolations).toEqual([]);
    expect(chrome.pageErrors).toEqual([]);
  });
});
