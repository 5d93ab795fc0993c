import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startPanel, makeUser, webChatLead, warmComponentsBundle, logInInBrowser } from './harness.js';
import { describeWithChromium, openBrowser, type PanelBrowser } from '../helpers/chromium.js';
import { adminFeature } from '../../admin/feature.js';
import { chatCoreFeature } from '../../bot/core/feature.js';
import { webChatFeature } from '../../bot/web/feature.js';
import { Customer } from '../../models/customer.js';
import { Interaction } from '../../models/interaction.js';
import { FollowUp } from '../../models/followUp.js';
import { Deal } from '../../models/deal.js';
import { Group } from '../../models/group.js';
import { Stage } from '../../models/stage.js';
import { WebMessage } from '../../models/webMessage.js';

/**
 * An admin works a web-chat lead from the customer page in a real browser: logs a call, moves the
 * lead to a won stage with the amount, schedules a weekly follow-up, reassigns, adds a group, and
 * answers the lead in the conversation. Screenshots go to test-artifacts/customer-page/.
 */
const ARTIFACTS = path.resolve('test-artifacts/customer-page');

describeWithChromium('the customer page in a browser', (chromiumPath) => {
  let panel: Awaited<ReturnType<typeof startPanel>>;
  let chrome: PanelBrowser;
  let page: Page;
  let customerId: string;
  let chatId: string;
  let lead: Awaited<ReturnType<typeof webChatLead>>;
  let cspViolations: string[] = [];

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    panel = await startPanel([adminFeature, chatCoreFeature, webChatFeature]);
    await makeUser('sales', 'lan@chot.test');
    await makeUser('sales', 'minh@chot.test');
    // A visitor writes on the website chat and becomes a lead.
    lead = await webChatLead(panel.base, 'Đỗ Thị Mai 0987 654 321', 'Tìm căn hộ 2 phòng ngủ gần trường');
    const customer = (await Customer.findOne({ phones: '+84987654321' }).lean())!;
    customerId = String(customer._id);
    chatId = customer.chatIds!.web!;

    await warmComponentsBundle(panel.base);
    // The browser is elsewhere than the company: the follow-up time must still be company time.
    chrome = await openBrowser(chromiumPath, { timezoneId: 'Europe/Berlin', viewport: { width: 1360, height: 1500 } });
    ({ page, cspViolations } = chrome);
    await logInInBrowser(page, panel.base);
  }, 120_000);

  afterAll(async () => {
    await chrome?.close();
    await panel?.stop();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  const notice = (text: string) => page.getByText(text).first().waitFor();

  it('opens the lead: the name is the title, the phone is national, the conversation is there', async () => {
    await page.goto(`${panel.base}/admin/resources/Customer/records/${customerId}/show`);
    await page.waitForSelector('[data-testid=customer-card]');
    expect(await page.textContent('[data-testid=customer-title]')).toBe('Đỗ Thị Mai');
    expect(await page.textContent('[data-testid=row-phones]')).toContain('0987 654 321');
    expect(await page.locator('h2', { hasText: /^Xem$/ }).count()).toBe(0);
    await page.locator('[data-testid=conversation]').getByText('Tìm căn hộ 2 phòng ngủ gần trường').waitFor();
    await shot('01-customer-page');
  }, 60_000);

  it('logs a call with its outcome', async () => {
    const form = page.locator('[data-testid=form-log]');
    await form.locator('select[name=type]').selectOption('call');
    await form.locator('select[name=outcome]').selectOption('interested');
    await form.locator('textarea[name=text]').fill('Hẹn xem nhà thứ bảy');
    await form.getByRole('button', { name: 'Lưu' }).click();
    await notice('Đã ghi tương tác với Đỗ Thị Mai');
    await page.locator('[data-testid=card-interactions]').getByText('Quan tâm · Hẹn xem nhà thứ bảy').waitFor();
    expect(await Interaction.countDocuments({ customer: customerId, type: 'call', outcome: 'interested' })).toBe(1);
    await shot('02-logged-call');
  }, 60_000);

  it('moves the lead to the won stage, asked for the amount', async () => {
    const won = (await Stage.findOne({ kind: 'won' }).lean())!;
    const form = page.locator('[data-testid=form-stage]');
    await form.locator('select[name=stage]').selectOption(String(won._id));
    await form.locator('input[name=amount]').fill('2,5 tỷ');
    await shot('03-stage-amount-asked');
    await form.getByRole('button', { name: 'Áp dụng' }).click();
    await notice(`Đã chuyển Đỗ Thị Mai sang ${won.name} và ghi nhận hợp đồng`);
    await page.locator('[data-testid=customer-stage]', { hasText: won.name }).waitFor();
    await page.locator('[data-testid=card-deals]').getByText('2.500.000.000 ₫').waitFor();
    expect(await Deal.findOne({ customer: customerId }).lean()).toMatchObject({ amount: 2_500_000_000 });
  }, 60_000);

  it('schedules a weekly follow-up at company time', async () => {
    const form = page.locator('[data-testid=form-followup]');
    await form.locator('input[name=dueAt]').fill('2030-01-15T09:00');
    await form.locator('select[name=type]').selectOption('meeting');
    await form.locator('select[name=recurrence]').selectOption('weekly');
    await form.locator('input[name=note]').fill('Gặp ở văn phòng');
    await form.getByRole('button', { name: 'Lưu' }).click();
    await notice('Đã hẹn lịch');
    await page.locator('[data-testid=card-followups]').getByText('09:00 15/01/2030 · Gặp mặt · Hằng tuần · Gặp ở văn phòng').waitFor();
    // A time already past is refused with words for a date-time box, and nothing is stored.
    await form.locator('input[name=dueAt]').fill('2020-01-15T09:00');
    await form.getByRole('button', { name: 'Lưu' }).click();
    await notice('Thời gian hẹn không hợp lệ hoặc đã qua. Hãy chọn một thời điểm sắp tới.');
    expect(await FollowUp.countDocuments({ customer: customerId })).toBe(1);
    expect(await page.locator('[data-testid=card-followups] a', { hasText: 'Huỷ lịch' }).count()).toBe(1);
    await shot('03-follow-up-refused');
    // The notices cover the top of the card: hidden for a picture of the follow-up list with its links.
    await page.addStyleTag({ content: '[data-testid=notice-wrapper] { display: none !important }' });
    await page.locator('[data-testid=card-followups]').screenshot({ path: path.join(ARTIFACTS, '03-follow-up-scheduled.png') });
    await page.addStyleTag({ content: '[data-testid=notice-wrapper] { display: block !important }' });
    expect((await FollowUp.findOne({ customer: customerId }).lean())!.dueAt.toISOString()).toBe('2030-01-15T02:00:00.000Z');
  }, 60_000);

  it('reassigns the lead and adds it to a group', async () => {
    const group = (await Group.findOne().lean())!;
    await page.locator('[data-testid=form-reassign] select[name=owner]').selectOption({ label: 'sales minh' });
    await page.locator('[data-testid=form-reassign]').getByRole('button', { name: 'Áp dụng' }).click();
    await notice('Đã giao Đỗ Thị Mai cho sales minh');
    await page.locator('[data-testid=form-group] select[name=group]').selectOption(String(group._id));
    await page.locator('[data-testid=form-group]').getByRole('button', { name: 'Áp dụng' }).click();
    await notice(`Đã thêm vào nhóm ${group.name}`);
    await page.locator('[data-testid=row-owner]').getByText('sales minh').waitFor();
    await page.locator('[data-testid=row-groups]').getByText(group.name).waitFor();
    const stored = (await Customer.findById(customerId).lean())!;
    expect(stored.groups!.map(String)).toEqual([String(group._id)]);
    await shot('04-after-actions');
  }, 60_000);

  it('answers the lead from the conversation: the reply reaches the web chat and shows last', async () => {
    await page.fill('[data-testid=reply-form] textarea[name=reply]', 'Chào chị Mai, em gửi chị 3 căn phù hợp nhé.');
    await page.locator('[data-testid=reply-form]').getByRole('button', { name: 'Gửi' }).click();
    await notice('Đã gửi cho Đỗ Thị Mai');
    await page.locator('[data-testid=message-out]').last().getByText('Chào chị Mai, em gửi chị 3 căn phù hợp nhé.').waitFor();
    expect(await page.inputValue('[data-testid=reply-form] textarea[name=reply]')).toBe('');
    const last = await WebMessage.findOne({ chatId }).sort({ seq: -1 }).lean();
    expect(last).toMatchObject({ from: 'chot', text: 'Chào chị Mai, em gửi chị 3 căn phù hợp nhé.' });
    expect(await Interaction.countDocuments({ customer: customerId, type: 'message_out', channel: 'web' })).toBe(1);
    await page.locator('[data-testid=conversation]').scrollIntoViewIfNeeded();
    await shot('05-replied');
  }, 60_000);

  it('shows the customer’s answer without reloading the page, as an inbox does', async () => {
    await lead.say('Dạ cảm ơn em, chiều mai chị xem được không?');
    await page.locator('[data-testid=message-in]').last().getByText('Dạ cảm ơn em, chiều mai chị xem được không?').waitFor({ timeout: 25_000 });
    await shot('06-customer-answered');
  }, 60_000);

  it('creates a follow-up from the follow-up list and cancels it on a form titled with the name and time', async () => {
    await page.goto(`${panel.base}/admin/resources/FollowUp/actions/new`);
    await page.fill('input[name=customerSearch]', 'Mai');
    await page.locator('select[name=customer] option', { hasText: 'Đỗ Thị Mai' }).waitFor({ state: 'attached' });
    await page.locator('select[name=customer]').selectOption({ label: `Đỗ Thị Mai (${(await Customer.findById(customerId).lean())!.code})` });
    await page.fill('input[name=dueAt]', '2030-02-01T14:30');
    await page.locator('select[name=recurrence]').selectOption('daily');
    await shot('07-follow-up-new');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.waitForURL(/\/FollowUp\/records\/\w+\/show/);
    const created = (await FollowUp.findOne({ customer: customerId, recurrence: 'daily' }).lean())!;
    expect(created.dueAt.toISOString()).toBe('2030-02-01T07:30:00.000Z');
    await page.goto(`${panel.base}/admin/resources/FollowUp/records/${created._id}/cancel`);
    await page.getByText('Huỷ lịch: Đỗ Thị Mai · 14:30 01/02/2030').waitFor();
    await shot('08-cancel-title');
  }, 60_000);

  it('ran under the panel\'s Content-Security-Policy without a refusal', () => {
    expect(cspViolations).toEqual([]);
    expect(chrome.pageErrors).toEqual([]);
  });
});
