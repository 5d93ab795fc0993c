import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startPanel, makeUser, warmComponentsBundle, logInInBrowser } from './harness.js';
import { describeWithChromium, openBrowser, type PanelBrowser } from '../helpers/chromium.js';
import { CareTemplate } from '../../models/careTemplate.js';
import { Customer } from '../../models/customer.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { userActor } from '../../crm/users/actor.js';

/**
 * An admin writes a birthday care template and types a customer's birthday in a real browser, in
 * Vietnamese. Screenshots go to test-artifacts/care/.
 */
const ARTIFACTS = path.resolve('test-artifacts/care');

describeWithChromium('care templates and the birthday field in a browser', (chromiumPath) => {
  let panel: Awaited<ReturnType<typeof startPanel>>;
  let chrome: PanelBrowser;
  let page: Page;

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    panel = await startPanel();
    await warmComponentsBundle(panel.base);
    chrome = await openBrowser(chromiumPath, { viewport: { width: 1360, height: 1100 } });
    page = chrome.page;
    await logInInBrowser(page, panel.base);
  }, 120_000);

  afterAll(async () => {
    await chrome?.close();
    await panel?.stop();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  it('writes a birthday template from the form, with Vietnamese labels and the placeholder help', async () => {
    await page.goto(`${panel.base}/admin/resources/CareTemplate/actions/new`);
    await page.getByText('Dịp gửi').first().waitFor();
    await page.fill('input[name=name]', 'Chúc mừng sinh nhật');
    await page.locator('[data-testid=property-edit-kind] input').first().click();
    await page.getByText('Chúc mừng sinh nhật', { exact: true }).last().click();
    await page.fill('input[name=hour]', '8');
    // The form shows "Đang bật" unticked: what is saved must be what the admin sees.
    await page.getByText('Đang bật').first().click();
    await page.fill('textarea[name=text]', 'Chúc mừng sinh nhật {ten}! Chúc anh/chị một năm nhiều niềm vui. — {nguoi_phu_trach}');
    await shot('care-template-form');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.waitForURL(/\/show/);
    await page.getByText('{nguoi_phu_trach}').first().waitFor();
    await shot('care-template-saved');
    expect(await CareTemplate.findOne({ name: 'Chúc mừng sinh nhật' }).lean()).toMatchObject({ kind: 'birthday', hour: 8, active: true });
    await page.goto(`${panel.base}/admin/resources/CareTemplate`);
    await page.getByText('Chúc mừng sinh nhật').first().waitFor();
    await shot('care-template-list');
  }, 90_000);

  it("types a customer's birthday on the edit form", async () => {
    const sales = await makeUser('sales', 'lan@chot.test');
    const customer = await createCustomer(userActor(sales as never), { name: 'Chị Thu', phones: ['0911000201'] });
    await page.goto(`${panel.base}/admin/resources/Customer/records/${customer._id}/edit`);
    await page.fill('input[name=birthdayText]', '12/05/1990');
    await shot('customer-birthday-field');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.waitForURL(/\/show/);
    expect((await Customer.findById(customer._id).lean())!.birthday).toEqual({ day: 12, month: 5, year: 1990 });
  }, 90_000);
});
