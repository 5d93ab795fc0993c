import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { chromium, type BrowserContext } from 'playwright-core';
import { useTestDatabase } from '../helpers/database.js';
import { describeWithChromium } from '../helpers/chromium.js';
import { makeStaff } from '../helpers/factories.js';
import { Customer } from '../../models/customer.js';
import { Source } from '../../models/source.js';
import { Stage } from '../../models/stage.js';
import { StageChange } from '../../models/stageChange.js';
import { visitorChatId } from '../../bot/web/identity.js';
import { t } from '../../i18n/index.js';
import { startWebChat, TEST_ADMIN_HEADER, type WebChatHarness } from './webHarness.js';


const ARTIFACTS = path.resolve('test-artifacts');
/** Starting chromium on a busy two-core machine can take a while. */
const SLOW = 120_000;

useTestDatabase();

describeWithChromium('website chat in a real browser', (chromiumPath) => {
  let web: WebChatHarness;
  let browser: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    web = await startWebChat();
    profile = await mkdtemp(path.join(os.tmpdir(), 'chot-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 400, height: 760 },
      locale: 'vi-VN',
    });
    await mkdir(ARTIFACTS, { recursive: true });
  }, SLOW);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    if (profile) await rm(profile, { recursive: true, force: true });
  }, SLOW);

  it('a visitor from an ad completes the intake by typing, and is remembered after a reload', async () => {
    await makeStaff('sales');
    const page = await browser.newPage();
    await page.goto(`${web.base}/chat?src=facebook`);
    const chot = page.locator('.bubble.from-chot');

    await chot.filter({ hasText: t('vi', 'chat.intake.askName') }).waitFor();
    // A name with markup in it must show as the characters typed.
    const name = 'Lan <b>VIP</b>';
    await page.fill('#text', name);
    await page.press('#text', 'Enter');

    await page.locator('#phone-form').waitFor({ state: 'visible' });
    await page.fill('#phone-input', '0912 345 678');
    await page.click('#phone-send');

    await chot.filter({ hasText: t('vi', 'chat.intake.askNeed') }).waitFor();
    await page.fill('#text', 'Tư vấn căn hộ 2 phòng ngủ');
    await page.click('#send');
    await chot.filter({ hasText: `Cảm ơn ${name}` }).waitFor();

    expect(await page.locator('#log b, #log img').count()).toBe(0);
    expect(await page.locator('.bubble.from-visitor').first().textContent()).toBe(name);
    expect(await page.locator('#phone-form').isHidden()).toBe(true);

    const visitorId = await page.evaluate(() => localStorage.getItem('chot.visitorId'));
    expect(visitorId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const customer = await Customer.findOne({ phones: '+84912345678' }).lean();
    expect(customer).toMatchObject({ name, need: 'Tư vấn căn hộ 2 phòng ngủ' });
    expect(customer!.chatIds?.web).toBe(visitorChatId(visitorId!));
    expect(String(customer!.source)).toBe(String((await Source.findOne({ code: 'facebook' }).lean())!._id));

    await page.screenshot({ path: path.join(ARTIFACTS, 'web-chat-intake.png') });

    // Reloading shows the same conversation, without greeting again.
    const bubbles = await page.locator('.bubble').count();
    await page.reload();
    await chot.filter({ hasText: `Cảm ơn ${name}` }).waitFor();
    await page.waitForTimeout(300);
    expect(await page.locator('.bubble').count()).toBe(bubbles);
    await page.close();
  }, SLOW);

  it('a salesperson logged into the admin panel works a customer from /chat with buttons', async () => {
    const { user } = await makeStaff('sales', { email: 'mai.sales@test.vn' });
    const { captureLead } = await import('../../crm/customers/captureLead.js');
    await captureLead({ channel: 'web', name: 'Võ Thanh Tâm', phone: '0908 765 432', need: 'Căn hộ 3PN quận 7' });
    const page = await browser.newPage();
    // Stands in for the admin panel's session cookie (see webHarness).
    await page.setExtraHTTPHeaders({ [TEST_ADMIN_HEADER]: 'mai.sales@test.vn' });
    await page.goto(`${web.base}/chat`);
    await page.locator('#subtitle', { hasText: user.name }).waitFor();
    await page.locator('.bubble.from-chot', { hasText: '/find' }).first().waitFor();

    await page.fill('#text', '/find vo thanh tam');
    await page.press('#text', 'Enter');
    const card = page.locator('.bubble.from-chot', { hasText: 'Võ Thanh Tâm' }).last();
    await card.waitFor();
    expect(await card.locator('button.choice').count()).toBeGreaterThan(2);
    await page.screenshot({ path: path.join(ARTIFACTS, 'web-chat-staff-card.png') });

    // Press the card's stage button, then a stage in the menu it opens.
    await card.locator('button.choice', { hasText: t('vi', 'chat.action.stage') }).click();
    const menu = page.locator('.bubble.from-chot', { hasText: 'Chuyển Võ Thanh Tâm sang giai đoạn nào?' }).last();
    await menu.waitFor();
    await menu.locator('button.choice', { hasText: 'Tiềm năng' }).click();
    await page.locator('.bubble.from-chot', { hasText: '✅ Võ Thanh Tâm: Mới → Tiềm năng.' }).waitFor();
    const stored = await Customer.findOne({ name: 'Võ Thanh Tâm' }).lean();
    expect(String(stored!.stage)).toBe(String((await Stage.findOne({ code: 'tiem_nang' }).lean())!._id));
    const change = await StageChange.findOne({ customer: stored!._id }).lean();
    expect(String(change!.by)).toBe(String(user._id));
    await page.close();
  }, SLOW);

  it('the widget on a business’s own site opens the chat in a frame, with its ad source, and buttons work', async () => {
    await makeStaff('sales');
    // The business's site: another origin that only includes the script tag.
    const site = express();
    site.get('/', (_req, res) => {
      res.type('html').send(`<!doctype html><html><body><h1>Nhà đất Sài Gòn</h1><script src="${web.base}/chat/widget.js" data-src="zalo_ads"></script></body></html>`);
    });
    const server: Server = await new Promise((resolve) => {
      const s = site.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const page = await browser.newPage();
      await page.goto(`http://localhost:${(server.address() as { port: number }).port}/`);
      expect(await page.locator('iframe').count()).toBe(0);
      await page.click(`button[aria-label="${t('vi', 'web.open')}"]`);
      const frameElement = page.locator('iframe');
      await frameElement.waitFor();
      expect(await frameElement.getAttribute('src')).toBe(`${web.base}/chat?embed=1&src=zalo_ads`);

      const chat = page.frameLocator('iframe');
      await chat.locator('.bubble.from-chot', { hasText: t('vi', 'chat.intake.askName') }).waitFor();
      await chat.locator('button.choice', { hasText: t('vi', 'chat.skip') }).last().click();
      await chat.locator('#phone-form').waitFor({ state: 'visible' });
      await page.screenshot({ path: path.join(ARTIFACTS, 'web-chat-widget.png') });
      await page.close();
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }, SLOW);
});
