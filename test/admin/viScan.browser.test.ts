import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startPanel, ADMIN, makeUser, warmComponentsBundle, logInInBrowser } from './harness.js';
import { describeWithChromium, openBrowser, type PanelBrowser } from '../helpers/chromium.js';
import { Customer } from '../../models/customer.js';
import { Campaign } from '../../models/campaign.js';
import { Stage } from '../../models/stage.js';
import { Settings } from '../../models/settings.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { scheduleFollowUp, logInteraction } from '../../crm/index.js';
import { listStages } from '../../crm/stages/stages.js';
import { userActor } from '../../crm/users/actor.js';
import { formatPhone } from '../../crm/customers/phone.js';
import { recordAudit } from '../../crm/audit/audit.js';

/**
 * The panel in Vietnamese, page by page, in a real browser: every resource and action the running
 * panel offers (read from the page itself, so pages added later are scanned too) is opened as admin
 * and as a salesperson, and no English UI word or unfilled `{{…}}` may show. Along the way every
 * request the pages make is recorded: none may leave for another host (the panel works offline).
 * Then the setup pages: stages reordered by dragging and by keyboard, the colour picker, Settings
 * as one form. Screenshots go to test-artifacts/vi-scan/.
 */
const ARTIFACTS = path.resolve('test-artifacts/vi-scan');

/** Words AdminJS and its design system write in English when a translation is missing. */
const ENGLISH = [
  'Account', 'Yes', 'No', 'Select', 'Confirm', 'Filter', 'Filters', 'Save', 'Cancel', 'Actions', 'Id', 'ID', 'Segment', 'Counters', 'Targeted',
  'Show', 'Edit', 'Delete', 'Create', 'Create new', 'Loading', 'Search', 'Reset', 'Apply', 'Apply changes', 'Submit', 'Back', 'Next', 'Previous',
  'List', 'Add', 'Add new item', 'Remove', 'Log out', 'Logout', 'Login', 'Password', 'Name', 'Phone', 'Phones', 'Stage', 'Owner', 'Source',
  'Group', 'Created', 'Updated', 'Status', 'Dashboard', 'Navigation', 'Pages', 'Welcome', 'Records', 'Record', 'options', 'Options', 'Selected',
  'Created At', 'Updated At', 'Drop your file here', 'Key', 'Value', 'Length', 'From', 'To', 'Sent', 'Failed', 'Skipped', 'Channel', 'Channels',
  'Template', 'Settings', 'Customers', 'Staff', 'Email address',
];
const ENGLISH_RE = new RegExp(`(?<![\\p{L}\\p{N}_])(${ENGLISH.map((w) => w.replace(/ /g, '\\s+')).join('|')})(?![\\p{L}\\p{N}_])`, 'u');

describeWithChromium('the panel in Vietnamese, offline', (chromiumPath) => {
  let panel: Awaited<ReturnType<typeof startPanel>>;
  let browser: BrowserContext;
  let page: Page;
  let launched: PanelBrowser;
  let cspViolations: string[] = [];
  const outside: string[] = [];
  let customerCode = '';

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    panel = await startPanel();
    await Settings.updateOne({ key: 'global' }, { $set: { timezone: 'Asia/Ho_Chi_Minh' } });
    const sales = await makeUser('sales', 'lan@chot.test');
    const actor = userActor({ _id: sales._id, role: 'sales', name: sales.name });
    const c = await createCustomer(actor, { name: 'Nguyễn Văn An', phones: ['0912345678'], need: 'Căn hộ 2 phòng ngủ', notes: 'Gọi sau 17h' });
    customerCode = c.code;
    await Customer.collection.updateOne({ _id: c._id }, { $set: { createdAt: new Date('2026-12-01T20:30:00Z') } });
    await scheduleFollowUp(actor, c._id, { dueAt: new Date(Date.now() + 86_400_000), note: 'Gọi báo giá' });
    await logInteraction(actor, c._id, { type: 'call', outcome: 'reached', text: 'Khách hỏi giá' });
    await Campaign.create({ name: 'Ưu đãi tháng 12', template: 'Chào {ten}', channels: ['telegram'] });
    // The audit log has a line to show, as a sentence.
    await recordAudit(actor, { subject: 'customer', action: 'edit', recordId: c._id, details: 'name, phones' });
    // Wide enough for AdminJS to keep its navigation open (it folds it away below 1324 px).
    await warmComponentsBundle(panel.base);
    launched = await openBrowser(chromiumPath, { viewport: { width: 1440, height: 900 } });
    ({ context: browser, page, cspViolations } = launched);
    browser.on('request', (request) => {
      const url = new URL(request.url());
      if (!['http:', 'https:'].includes(url.protocol)) return;
      if (url.origin !== panel.base) outside.push(request.url());
    });
  }, 90_000);

  afterAll(async () => {
    await launched?.close();
    await panel?.stop();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  async function login(email: string, password: string) {
    await browser.clearCookies();
    await logInInBrowser(page, panel.base, email, password);
  }

  /** What a person reads on the page: its text, placeholders and tooltips. */
  async function visibleTexts(): Promise<string> {
    return page.evaluate(() => {
      const parts = [document.body.innerText];
      for (const el of Array.from(document.querySelectorAll('[placeholder],[title],[aria-label]'))) {
        parts.push(el.getAttribute('placeholder') ?? '', el.getAttribute('title') ?? '');
      }
      parts.push(document.title);
      return parts.join('\n');
    });
  }

  /** Opens a page, waits for it to settle, and returns what is English on it. */
  async function scan(url: string, name: string): Promise<string[]> {
    await page.goto(panel.base + url);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(300);
    await shot(name);
    const text = await visibleTexts();
    const found: string[] = [];
    for (const line of text.split('\n')) {
      const english = ENGLISH_RE.exec(line);
      if (english) found.push(`${url}: "${english[1]}" in "${line.trim().slice(0, 80)}"`);
      if (/\{\{.*?\}\}/.test(line)) found.push(`${url}: raw placeholder in "${line.trim().slice(0, 80)}"`);
    }
    // AdminJS's own error page for a crash in a component is English too.
    if (/Something went wrong|Error:/.test(text)) found.push(`${url}: error on the page`);
    return found;
  }

  /** Every page the logged-in person can open: from the panel's own state and each resource's first record. */
  async function everyPage(): Promise<{ url: string; name: string }[]> {
    const { resources, pages } = await page.evaluate(() => (window as any).REDUX_STATE);
    const urls: { url: string; name: string }[] = [{ url: '/admin', name: 'dashboard' }];
    for (const p of pages ?? []) urls.push({ url: `/admin/pages/${p.name}`, name: `page-${p.name}` });
    for (const r of resources) {
      const base = `/admin/resources/${r.id}`;
      urls.push({ url: base, name: `${r.id}-list` });
      for (const a of r.resourceActions) if (a.name !== 'list' && a.component !== false) urls.push({ url: `${base}/actions/${a.name}`, name: `${r.id}-${a.name}` });
      const list = await page.evaluate(async (u) => (await fetch(u)).json(), `/admin/api/resources/${r.id}/actions/list`);
      const record = list.records?.[0];
      if (!record) continue;
      for (const a of record.recordActions ?? []) {
        // An action without a component (delete) runs as soon as it is opened: never opened here.
        if (a.component === false) continue;
        urls.push({ url: `${base}/records/${record.id}/${a.name}`, name: `${r.id}-${a.name}` });
      }
      for (const a of record.bulkActions ?? []) {
        if (a.component === false) continue;
        urls.push({ url: `${base}/bulk/${a.name}?recordIds=${record.id}`, name: `${r.id}-bulk-${a.name}` });
      }
    }
    return urls;
  }

  it('shows every page and form in Vietnamese, as admin and as a salesperson', async () => {
    const found: string[] = [];
    for (const [who, email, password] of [['admin', ADMIN.email, ADMIN.password], ['sales', 'lan@chot.test', 'mat-khau-12345']] as const) {
      await login(email, password);
      const pages = await everyPage();
      expect(pages.length).toBeGreaterThan(who === 'admin' ? 20 : 5);
      for (const { url, name } of pages) found.push(...(await scan(url, `${who}-${name}`)));
      // The filter drawer of the customer list, with its selects.
      await page.goto(`${panel.base}/admin/resources/Customer`);
      await page.getByText('Lọc', { exact: true }).first().click();
      await page.waitForTimeout(500);
      await shot(`${who}-Customer-filters`);
      const drawer = await visibleTexts();
      for (const line of drawer.split('\n')) if (ENGLISH_RE.test(line)) found.push(`${who} filters: "${line.trim()}"`);
    }
    expect(found).toEqual([]);
  }, 600_000);

  it('shows phones as dialled and dates in the company time zone in the customer list and page', async () => {
    await login(ADMIN.email, ADMIN.password);
    // A narrow window squeezes the columns: words must still not break in the middle.
    await page.setViewportSize({ width: 1024, height: 900 });
    await page.goto(`${panel.base}/admin/resources/Customer`);
    const row = page.locator('tr', { hasText: customerCode });
    await row.waitFor();
    const text = await row.innerText();
    await shot('customer-list-narrow');
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(text).toContain(formatPhone('+84912345678'));
    expect(text).not.toContain('+84912345678');
    // 20:30 UTC on 1 December is 03:30 on 2 December in Việt Nam.
    expect(text).toContain('02/12/2026 03:30');
    // The code is one word on one line, never "KH0000 01".
    // No word of any cell is split over two lines.
    const splitWords = await row.evaluate((tr) => {
      const split: string[] = [];
      const walker = document.createTreeWalker(tr, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (const m of text.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, m.index!);
          range.setEnd(node, m.index! + m[0].length);
          if (new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size > 1) split.push(m[0]);
        }
      }
      return split;
    });
    expect(splitWords).toEqual([]);
    await shot('customer-list-phones-dates');
    // The edit form shows the number as dialled too.
    const c = await Customer.findOne({ code: customerCode }).lean();
    await page.goto(`${panel.base}/admin/resources/Customer/records/${c!._id}/edit`);
    expect(await page.inputValue('input[name="phones.0"]')).toBe('0912 345 678');
  }, 60_000);

  it('tells the audit log as sentences', async () => {
    const c = await Customer.findOne({ code: customerCode }).lean();
    await page.goto(`${panel.base}/admin/resources/Customer/records/${c!._id}/edit`);
    await page.fill('input[name=name]', 'Nguyễn Văn Anh');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.waitForURL(/\/show/);
    await page.goto(`${panel.base}/admin/resources/AuditLog`);
    const sentence = page.locator('[data-testid=audit-sentence]', { hasText: customerCode }).first();
    await sentence.waitFor();
    const text = await sentence.innerText();
    expect(text.startsWith(`Admin đã sửa khách hàng ${customerCode} · Nguyễn Văn Anh: `)).toBe(true);
    expect(text.split(': ')[1].split(', ')).toContain('tên');
    expect(text).not.toMatch(/[{}"]|\bedit\b/);
    await shot('audit-log');
  }, 60_000);

  it('reorders stages by dragging a row, and by keyboard with the Up/Down buttons', async () => {
    await page.goto(`${panel.base}/admin/resources/Stage/actions/reorder`);
    await page.waitForSelector('[data-testid=stage-3]');
    const before = (await listStages({ includeInactive: true })).map((s) => s.name);
    await page.locator('[data-testid=stage-3]').dragTo(page.locator('[data-testid=stage-0]'));
    await page.getByText('Đã lưu thứ tự giai đoạn').first().waitFor();
    const dragged = (await listStages({ includeInactive: true })).map((s) => s.name);
    expect(dragged).toEqual([before[3], before[0], before[1], before[2], ...before.slice(4)]);
    await shot('stage-reorder-dragged');
    // Keyboard: focus the first row's Down button and press Enter.
    await page.waitForFunction(() => !document.querySelector('[data-testid=down-0]')?.hasAttribute('disabled'));
    await page.focus('[data-testid=down-0]');
    await page.keyboard.press('Enter');
    await page.waitForFunction((name) => document.querySelector('[data-testid=stage-1]')?.getAttribute('data-stage') === name, dragged[0]);
    await page.getByText('Đã lưu thứ tự giai đoạn').first().waitFor();
    await page.waitForLoadState('networkidle');
    expect((await listStages({ includeInactive: true })).map((s) => s.name)).toEqual([dragged[1], dragged[0], ...dragged.slice(2)]);
    await shot('stage-reorder-keyboard');
  }, 60_000);

  it('picks a stage colour from the palette', async () => {
    const stage = (await Stage.findOne({ code: 'tiep_can' }).lean())!;
    await page.goto(`${panel.base}/admin/resources/Stage/records/${stage._id}/edit`);
    await page.waitForSelector('[data-testid=color-picker]');
    await page.click('[data-color="#ec4899"]');
    await shot('stage-colour-picker');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.waitForURL(/\/show/);
    expect((await Stage.findById(stage._id).lean())!.color).toBe('#ec4899');
  }, 60_000);

  it('opens Settings from the navigation as its form', async () => {
    await page.goto(`${panel.base}/admin`);
    await page.getByText('Thiết lập', { exact: true }).first().click();
    await page.getByRole('link', { name: 'Cài đặt' }).first().click();
    await page.waitForURL(/\/records\/[0-9a-f]{24}\/edit$/);
    await page.waitForSelector('input[name=companyName]');
    await shot('settings-form');
  }, 60_000);

  it('asked nothing of any other host, and the browser refused nothing under the panel\'s policy', async () => {
    expect(outside).toEqual([]);
    expect(cspViolations).toEqual([]);
    // The icon in the tab is ours.
    const icon = await page.evaluate(() => document.querySelector('link[rel~=icon]')?.getAttribute('href'));
    expect(icon).toBe('/chot-assets/favicon.svg');
  });
});
