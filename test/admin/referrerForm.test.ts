import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describeWithChromium, openBrowser, type PanelBrowser } from '../helpers/chromium.js';
import { startPanel, Browser, makeUser, warmComponentsBundle, logInInBrowser } from './harness.js';
import { Customer } from '../../models/customer.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { userActor } from '../../crm/users/actor.js';

/**
 * The customer form's "Người giới thiệu" field, through the panel's HTTP API as a salesperson
 * uses it: typed as a phone, a KH code or a staff name, checked by the crm, shown again on edit.
 */
let panel: Awaited<ReturnType<typeof startPanel>>;
let sales: Browser;
let salesUser: Awaited<ReturnType<typeof makeUser>>;

const R = '/resources/Customer/actions';

beforeAll(async () => {
  panel = await startPanel();
  salesUser = await makeUser('sales', 'thao@chot.test');
  sales = new Browser(panel.base);
  expect((await sales.login('thao@chot.test', 'mat-khau-12345')).status).toBe(302);
}, 60_000);

afterAll(async () => {
  await panel?.stop();
});

describe('the referrer on the panel customer form', () => {
  it('sets it from a customer phone on create, shows it as code and name on edit, and changes it to a staff member', async () => {
    const friend = await createCustomer(userActor(salesUser), { name: 'Người Giới Thiệu', phones: ['0977 500 001'] });
    const created = await sales.api('POST', `${R}/new`, { name: 'Khách Qua Bạn', 'phones.0': '0977 500 002', referrerText: '0977 500 001' });
    expect(created.data.notice.type).toBe('success');
    const customer = (await Customer.findOne({ name: 'Khách Qua Bạn' }).lean())!;
    expect(customer.referrer).toEqual({ kind: 'customer', id: friend._id });

    const form = await sales.api('GET', `/resources/Customer/records/${customer._id}/edit`);
    expect(form.data.record.params.referrerText).toBe(`${friend.code} · Người Giới Thiệu`);

    const edited = await sales.api('POST', `/resources/Customer/records/${customer._id}/edit`, { name: 'Khách Qua Bạn', referrerText: salesUser.name });
    expect(edited.data.notice.type).toBe('success');
    expect((await Customer.findById(customer._id).lean())!.referrer).toEqual({ kind: 'user', id: salesUser._id });

    // Saving the form unchanged keeps it; emptying the field clears it.
    const again = await sales.api('GET', `/resources/Customer/records/${customer._id}/edit`);
    expect(again.data.record.params.referrerText).toBe('thao@chot.test');
    await sales.api('POST', `/resources/Customer/records/${customer._id}/edit`, { name: 'Khách Qua Bạn', referrerText: 'thao@chot.test' });
    expect((await Customer.findById(customer._id).lean())!.referrer).toEqual({ kind: 'user', id: salesUser._id });
    await sales.api('POST', `/resources/Customer/records/${customer._id}/edit`, { name: 'Khách Qua Bạn', referrerText: '' });
    expect((await Customer.findById(customer._id).lean())!.referrer).toBeNull();
  });

  it('refuses an unknown referrer and the customer themselves, saving nothing', async () => {
    const created = await sales.api('POST', `${R}/new`, { name: 'Khách Lạ', 'phones.0': '0977 500 010', referrerText: 'KH999999' });
    expect(created.data.notice).toMatchObject({ type: 'error', message: 'crmError_referrer_unknown', options: { input: 'KH999999' } });
    expect(await Customer.countDocuments({ name: 'Khách Lạ' })).toBe(0);

    const me = await createCustomer(userActor(salesUser), { name: 'Tự Giới Thiệu', phones: ['0977 500 011'], need: 'Cũ' });
    const self = await sales.api('POST', `/resources/Customer/records/${me._id}/edit`, { name: 'Tự Giới Thiệu', need: 'Mới', referrerText: me.code });
    expect(self.data.notice).toMatchObject({ type: 'error', message: 'crmError_referrer_self' });
    const stored = (await Customer.findById(me._id).lean())!;
    expect(stored.referrer).toBeUndefined();
    expect(stored.need).toBe('Cũ');
  });
});

const ARTIFACTS = path.resolve('test-artifacts/chat-no-drop');

describeWithChromium('the referrer field in a browser', (chromiumPath) => {
  let chrome: PanelBrowser;
  let page: Page;
  let cspViolations: string[] = [];

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    await warmComponentsBundle(panel.base);
    chrome = await openBrowser(chromiumPath);
    ({ page, cspViolations } = chrome);
    await logInInBrowser(page, panel.base, 'thao@chot.test', 'mat-khau-12345');
  }, 90_000);

  afterAll(async () => {
    await chrome?.close();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  it('creates a customer with a referrer typed as a phone, refusing an unknown one in Vietnamese first', async () => {
    await createCustomer(userActor(salesUser), { name: 'Chị Giới Thiệu', phones: ['0977 600 001'] });
    await page.goto(`${panel.base}/admin/resources/Customer/actions/new`);
    await page.fill('input[name=name]', 'Anh Được Giới Thiệu');
    await page.fill('input[name=referrerText]', '0999 000 000');
    // The help ("SĐT hoặc mã KH…") is the field's tooltip: shown on hovering its icon.
    await page.locator('label:has-text("Người giới thiệu") svg').first().hover();
    await page.getByText('SĐT hoặc mã KH của một khách').waitFor();
    await shot('01-new-customer-referrer');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.getByText('Không tìm thấy người giới thiệu "0999 000 000"').waitFor();
    await shot('02-unknown-referrer');
    expect(await Customer.countDocuments({ name: 'Anh Được Giới Thiệu' })).toBe(0);

    await page.fill('input[name=referrerText]', '0977 600 001');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.waitForURL(/\/show/);
    const created = (await Customer.findOne({ name: 'Anh Được Giới Thiệu' }).lean())!;
    expect(created.referrer?.kind).toBe('customer');

    await page.goto(`${panel.base}/admin/resources/Customer/records/${created._id}/edit`);
    await page.waitForSelector('input[name=referrerText]');
    const friend = (await Customer.findOne({ name: 'Chị Giới Thiệu' }).lean())!;
    expect(await page.inputValue('input[name=referrerText]')).toBe(`${friend.code} · Chị Giới Thiệu`);
    await page.locator('input[name=referrerText]').scrollIntoViewIfNeeded();
    await shot('03-edit-customer-referrer');
    expect(cspViolations).toEqual([]);
  }, 90_000);

  it('previews a CSV with a "Người giới thiệu" column, naming an unknown referrer in Vietnamese', async () => {
    await makeUser('manager', 'quan@chot.test');
    await page.goto(`${panel.base}/admin/logout`);
    await logInInBrowser(page, panel.base, 'quan@chot.test', 'mat-khau-12345');
    const file = path.join(ARTIFACTS, 'referrers.csv');
    await writeFile(file, '\ufeffHọ tên,Số điện thoại,Ghi chú,Người giới thiệu\nKhách Nhập Một,0977 700 001,Quen chị Giới Thiệu,0977 600 001\nKhách Nhập Hai,0977 700 002,,Ai Đó Lạ\n');
    await page.goto(`${panel.base}/admin/resources/Customer/actions/importCsv`);
    await page.getByText('Người giới thiệu (SĐT, mã KH hoặc tên/email nhân viên)').waitFor();
    await page.setInputFiles('input[type=file]', file);
    await page.click('[data-testid=import-preview]');
    await page.waitForSelector('[data-testid=import-counts]');
    await page.getByText('Không tìm thấy người giới thiệu').waitFor();
    await shot('04-import-referrer-preview');
    expect(cspViolations).toEqual([]);
    expect(chrome.pageErrors).toEqual([]);
  }, 90_000);
});
