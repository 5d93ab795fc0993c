import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startPanel, warmComponentsBundle, logInInBrowser, ADMIN } from './harness.js';
import { describeWithChromium, openBrowser, type PanelBrowser } from '../helpers/chromium.js';
import { User } from '../../models/user.js';
import { userActor } from '../../crm/users/actor.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { createProduct } from '../../crm/products/products.js';
import { issueQuote, markQuoteSent } from '../../crm/quotes/quotes.js';
import { Settings } from '../../models/settings.js';
import { tinyPng } from '../helpers/images.js';

/**
 * The customer page lists the customer's quotes with their PDF, and a quote's page shows its
 * lines and totals in đồng. Screenshots go to test-artifacts/quotes/.
 */
const ARTIFACTS = path.resolve('test-artifacts/quotes');

describeWithChromium('quotes in the panel, in a browser', (chromiumPath) => {
  let panel: Awaited<ReturnType<typeof startPanel>>;
  let chrome: PanelBrowser;
  let page: Page;

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    panel = await startPanel();
    await warmComponentsBundle(panel.base);
    chrome = await openBrowser(chromiumPath, { viewport: { width: 1360, height: 1400 } });
    ({ page } = chrome);
    await logInInBrowser(page, panel.base);
  }, 120_000);

  afterAll(async () => {
    await chrome?.close();
    await panel?.stop();
  });

  it('shows the quotes on the customer page and a quote with its lines, totals and PDF link', async () => {
    const adminUser = (await User.findOne({ email: ADMIN.email }).lean())!;
    const actor = userActor({ _id: adminUser._id, role: 'admin', name: adminUser.name });
    const customer = await createCustomer(actor, { name: 'Nguyễn Thị Hạnh', phones: ['0987111222'] });
    const product = await createProduct(actor, { name: 'Camera quan sát ngoài trời', unit: 'chiếc', price: 1_250_000 });
    const issued = await issueQuote(actor, {
      customerId: customer._id,
      lines: [
        { productId: String(product._id), quantity: 4 },
        { name: 'Lắp đặt và đi dây', unit: 'gói', quantity: 1, unitPrice: 1_500_000 },
      ],
      discount: { kind: 'percent', value: 10 },
    });
    await markQuoteSent(actor, issued.quote._id, 'staff');

    await page.goto(`${panel.base}/admin/resources/Customer/records/${customer._id}/show`);
    const row = page.locator('[data-testid=card-quote]').first();
    await row.waitFor();
    expect(await row.innerText()).toMatch(/BG000001 · .* · 5\.850\.000 ₫ · Đã gửi · PDF/);
    expect(await row.locator('a', { hasText: 'PDF' }).getAttribute('href')).toBe(`/admin/quotes/${issued.quote._id}/pdf`);
    await page.locator('[data-testid=card-quotes]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'customer-page-quotes.png'), fullPage: true });

    await row.locator('a', { hasText: 'BG000001' }).click();
    await page.waitForURL(/\/Quote\/records\/.*\/show/);
    await page.locator('[data-testid=quote-pdf]').waitFor();
    const body = await page.locator('body').innerText();
    expect(await page.locator('[data-testid=quote-lines]').innerText()).toMatch(/Lắp đặt và đi dây\s+gói\s+1\s+1\.500\.000 ₫\s+1\.500\.000 ₫/);
    expect(body).toMatch(/Tổng cộng\s+5\.850\.000\s₫/);
    expect(body).toContain('Tải PDF (BG000001.pdf)');
    await page.screenshot({ path: path.join(ARTIFACTS, 'quote-show.png'), fullPage: true });
  });

  it('lets the admin pick the company logo on the settings page', async () => {
    const settings = (await Settings.findOne({ key: 'global' }).lean())!;
    await page.goto(`${panel.base}/admin/resources/Settings/records/${settings._id}/logo`);
    await page.locator('[data-testid=company-logo] input[type=file]').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: tinyPng() });
    await page.getByText('Đã lưu logo').first().waitFor();
    await page.locator('[data-testid=company-logo] img').waitFor();
    expect((await Settings.findOne({ key: 'global' }).lean())?.companyLogo).toBe(tinyPng().toString('base64'));
    await page.screenshot({ path: path.join(ARTIFACTS, 'company-logo.png'), fullPage: true });
  });
});
