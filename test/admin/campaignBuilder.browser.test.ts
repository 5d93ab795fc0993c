import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startPanel, warmComponentsBundle, logInInBrowser } from './harness.js';
import { adminFeature } from '../../admin/feature.js';
import { chatCoreFeature } from '../../bot/core/feature.js';
import { webChatFeature } from '../../bot/web/feature.js';
import { visitorChatId } from '../../bot/web/identity.js';
import { describeWithChromium, openBrowser, type PanelBrowser } from '../helpers/chromium.js';
import { Customer } from '../../models/customer.js';
import { Campaign } from '../../models/campaign.js';
import { Stage } from '../../models/stage.js';
import { WebMessage } from '../../models/webMessage.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { SYSTEM } from '../../crm/users/actor.js';
import { Notifier } from '../../bot/core/notifier.js';
import { WebSender } from '../../bot/web/sender.js';
import { WebConversations } from '../../bot/web/conversations.js';
import { CampaignRunner } from '../../jobs/campaigns/runner.js';
import { createLogger } from '../../app/logger.js';
import { systemClock } from '../../jobs/clock.js';

/**
 * An admin builds a campaign in a real browser: picks the web chat and a stage, inserts
 * placeholders, watches the count and the sample message follow, saves, starts it, and sees the
 * progress reach "2/2" without reloading while a worker sends. Screenshots: test-artifacts/campaigns/.
 */
const ARTIFACTS = path.resolve('test-artifacts/campaigns');
/** The key Nguyễn Văn An's browser keeps for the web chat: their conversation is where the campaign lands. */
const AN_VISITOR = 'an-visitor-id-0123456789abc';

describeWithChromium('building and sending a campaign in the browser', (chromiumPath) => {
  let panel: Awaited<ReturnType<typeof startPanel>>;
  let chrome: PanelBrowser;
  let page: Page;
  /** The worker: its campaign job, every half second, as Agenda would run it every few seconds. */
  let worker: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    // The panel and the web chat in one app, as `npm start` runs them: the staff view of /chat and a customer's chat are checked too.
    panel = await startPanel([adminFeature, chatCoreFeature, webChatFeature]);
    // A browser far from the company (Asia/Ho_Chi_Minh): times picked must still be read on the company's clock.
    await warmComponentsBundle(panel.base);
    chrome = await openBrowser(chromiumPath, { timezoneId: 'America/New_York' });
    page = chrome.page;
  }, 90_000);

  afterAll(async () => {
    if (worker) clearInterval(worker);
    await chrome?.close();
    await panel?.stop();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  it('builds, saves, starts and follows a campaign to web-chat customers', async () => {
    const moi = await Stage.findOne({ code: 'moi' }).lean();
    const an = await createCustomer(SYSTEM, { name: 'Nguyễn Văn An', phones: ['0912000001'] });
    const binh = await createCustomer(SYSTEM, { name: 'Trần Thị Bình', phones: ['0912000002'] });
    const cuong = await createCustomer(SYSTEM, { name: 'Lê Văn Cường', phones: ['0912000003'] });
    const tiepCan = await Stage.findOne({ code: 'tiep_can' }).lean();
    await Customer.updateOne({ _id: cuong._id }, { $set: { stage: tiepCan!._id } });
    await Customer.updateOne({ _id: an._id }, { $set: { 'chatIds.web': visitorChatId(AN_VISITOR), stage: moi!._id } });
    await Customer.updateOne({ _id: binh._id }, { $set: { 'chatIds.web': visitorChatId('binh-visitor-id-0123456789'), stage: moi!._id } });

    await logInInBrowser(page, panel.base);

    await page.goto(`${panel.base}/admin/resources/Campaign/actions/new`);
    await page.waitForSelector('[data-testid=campaign-builder]');
    await page.getByText('Chọn ít nhất một kênh để xem số người nhận.').waitFor();
    await page.fill('#campaign-name', 'Ưu đãi tháng 12');
    await page.check('[data-testid=pick-channels] input[data-value=web]');
    // All three customers are in the segment; only the two with a web chat can get it, and the page says why.
    await page.getByText('2 khách nhận được').waitFor();
    expect(await page.textContent('[data-testid=recipient-count]')).toContain('trong 3 khách thuộc nhóm đã chọn');
    expect(await page.textContent('[data-testid=recipient-why]')).toContain('1 khách không có tài khoản chat, số di động hay email trên các kênh đã chọn');
    await shot('00-builder-channel-picked');
    await page.locator('[data-testid=pick-stages] label', { hasText: 'Mới' }).click();
    await page.getByText('trong 2 khách thuộc nhóm đã chọn').waitFor();

    await page.fill('textarea[name=template]', 'Chào ');
    await page.click('[data-testid=insert-ten]');
    await page.type('textarea[name=template]', ', mã khách hàng của bạn là ');
    await page.click('[data-testid=insert-ma]');
    await page.type('textarea[name=template]', '. Ưu đãi {giam_gia}');
    await page.waitForSelector('[data-testid=campaign-unknown]');
    expect(await page.textContent('[data-testid=campaign-unknown]')).toContain('{giam_gia}');
    await shot('01-builder-unknown-placeholder');
    await page.click('[data-testid=campaign-save]');
    await page.waitForSelector('[data-testid=campaign-problem]');
    expect(await Campaign.countDocuments()).toBe(0);

    await page.fill('textarea[name=template]', 'Chào {ten}, mã khách hàng của bạn là {ma}. chot tặng bạn ưu đãi 10% tháng 12.');
    await page.waitForFunction(() => !document.querySelector('[data-testid=campaign-unknown]'));
    await page.getByText(`Chào Nguyễn Văn An, mã khách hàng của bạn là ${an.code}. chot tặng bạn ưu đãi 10% tháng 12.`).waitFor();
    await shot('02-builder-ready');

    await page.click('[data-testid=campaign-save]');
    await page.waitForSelector('[data-testid=campaign-launch]');
    const campaign = await Campaign.findOne({ name: 'Ưu đãi tháng 12' }).lean();
    expect(campaign).toMatchObject({ status: 'draft', channels: ['web'] });
    await shot('03-launch-draft');

    // The draft opens again in the builder with everything chosen before.
    await page.goto(`${panel.base}/admin/resources/Campaign/records/${campaign!._id}/edit`);
    await page.getByText('2 khách nhận được').waitFor();
    expect(await page.inputValue('#campaign-name')).toBe('Ưu đãi tháng 12');
    expect(await page.isChecked('[data-testid=pick-channels] input[data-value=web]')).toBe(true);
    expect(await page.isChecked(`[data-testid=pick-stages] input[data-value="${moi!._id}"]`)).toBe(true);
    await shot('03b-builder-edit');
    await page.goto(`${panel.base}/admin/resources/Campaign/records/${campaign!._id}/launch`);
    await page.waitForSelector('[data-testid=campaign-start]');

    const notifier = new Notifier(createLogger('silent'));
    notifier.register(new WebSender(new WebConversations()));
    const runner = new CampaignRunner({ clock: systemClock, notifier, logger: createLogger('silent'), signal: new AbortController().signal });
    let running = false;
    worker = setInterval(() => {
      if (running) return;
      running = true;
      runner.runDue().finally(() => (running = false));
    }, 500);

    await page.click('[data-testid=campaign-start]');
    // No reload: the page asks again by itself until the last message is out.
    await page.waitForFunction(() => document.querySelector('[data-testid=campaign-progress]')?.textContent?.includes('Đã gửi 2/2'), null, { timeout: 30_000 });
    await page.getByText('Đã xong').first().waitFor();
    await shot('04-launch-sent');
    expect(await WebMessage.countDocuments({ chatId: { $in: [visitorChatId(AN_VISITOR), visitorChatId('binh-visitor-id-0123456789')] }, from: 'chot' })).toBe(2);

    await page.goto(`${panel.base}/admin/resources/Campaign`);
    await page.getByText('Đã gửi 2/2').waitFor();
    expect(await page.textContent('body')).not.toMatch(/Counters|Targeted/);
    await shot('05-campaign-list');
    await page.goto(`${panel.base}/admin/resources/Campaign/records/${campaign!._id}/show`);
    await page.getByText('Đã gửi 2/2').waitFor();
    await shot('06-campaign-show');
  }, 120_000);

  it('shows the campaign in the customer\'s own web chat', async () => {
    const customerPage = await chrome.context.newPage();
    try {
      // As the site's chat widget shows it: in the widget's frame the admin's own panel session does not count.
      await customerPage.goto(`${panel.base}/chat?embed=1`);
      await customerPage.evaluate((id) => localStorage.setItem('chot.visitorId', id), AN_VISITOR);
      await customerPage.reload();
      await customerPage.getByText('chot tặng bạn ưu đãi 10% tháng 12.').waitFor();
      await customerPage.screenshot({ path: path.join(ARTIFACTS, '07-customer-web-chat.png') });
    } finally {
      await customerPage.close();
    }
  }, 60_000);

  it('gives the logged-in admin the staff header on /chat and a /help that fits the web chat', async () => {
    await page.goto(`${panel.base}/chat`);
    await page.getByText('chot · Kênh làm việc của nhân viên').waitFor();
    expect(await page.textContent('h1')).toBe('chot · Kênh làm việc của nhân viên');
    await page.fill('#text', '/help');
    await page.press('#text', 'Enter');
    await page.getByText('bấm ↩️ Nhắn khách rồi gõ tin nhắn').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, '08-staff-web-chat-help.png') });
  }, 60_000);

  it('schedules a campaign with the date-time picker on the company clock, not the browser\'s', async () => {
    await page.goto(`${panel.base}/admin/resources/Campaign/actions/new`);
    await page.waitForSelector('[data-testid=campaign-builder]');
    await page.fill('#campaign-name', 'Chúc mừng năm mới');
    await page.check('[data-testid=pick-channels] input[data-value=web]');
    await page.fill('textarea[name=template]', 'Chúc {ten} năm mới an khang!');
    await page.fill('#campaign-sendAt', '2030-01-15T09:00');
    await page.getByText('Theo giờ công ty (Asia/Ho_Chi_Minh)').waitFor();
    await page.click('[data-testid=campaign-save]');
    await page.waitForSelector('[data-testid=campaign-scheduled]');
    expect(await page.textContent('[data-testid=campaign-scheduled]')).toBe('Sẽ gửi lúc 15/01/2030 09:00 (giờ công ty, Asia/Ho_Chi_Minh)');
    const stored = await Campaign.findOne({ name: 'Chúc mừng năm mới' }).lean();
    expect(stored).toMatchObject({ status: 'scheduled', scheduledAt: new Date('2030-01-15T02:00:00Z') });
    await shot('09-launch-scheduled');
  }, 60_000);

  it('ran every page above under the panel\'s Content-Security-Policy without a refusal', () => {
    expect(chrome.cspViolations).toEqual([]);
  });
});
