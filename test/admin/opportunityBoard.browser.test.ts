import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startPanel, makeUser, warmComponentsBundle, logInInBrowser } from './harness.js';
import { describeWithChromium, openBrowser, type PanelBrowser } from '../helpers/chromium.js';
import { Opportunity } from '../../models/opportunity.js';
import { OpportunityStage } from '../../models/opportunityStage.js';
import { Deal } from '../../models/deal.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { createOpportunity } from '../../crm/opportunities/index.js';
import { userActor } from '../../crm/users/actor.js';

/**
 * The opportunity board in a real browser: a manager drags a card to the next step (stored), then
 * to Thắng, answers the final amount (one deal of that amount), and a drag to Thua cancelled leaves
 * the card where it was. Then the list and the dashboard's pipeline section. Screenshots in
 * test-artifacts/opportunities/.
 */
const ARTIFACTS = path.resolve('test-artifacts/opportunities');

describeWithChromium('the opportunity board in a browser', (chromiumPath) => {
  let panel: Awaited<ReturnType<typeof startPanel>>;
  let chrome: PanelBrowser;
  let page: Page;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    panel = await startPanel();
    const lan = await makeUser('sales', 'lan@chot.test');
    const actor = userActor({ _id: lan._id, role: 'sales' });
    const seed: [string, string, string, string][] = [
      ['Nguyễn Văn An', '0912000201', 'Phần mềm kế toán 20 máy', '80tr'],
      ['Trần Thị Bích', '0912000202', 'Camera kho Bình Dương', '1,2 tỷ'],
      ['Lê Hoàng Cường', '0912000203', 'Bảo trì máy chủ 12 tháng', '45tr'],
    ];
    for (const [name, phone, title, value] of seed) {
      const customer = await createCustomer(actor, { name, phones: [phone] });
      const o = await createOpportunity(actor, { name: title, customer: customer._id, value, expectedCloseAt: new Date('2026-12-24T03:00:00Z') });
      ids[title] = String(o._id);
    }
    await warmComponentsBundle(panel.base);
    chrome = await openBrowser(chromiumPath);
    page = chrome.page;
    await logInInBrowser(page, panel.base);
  }, 120_000);

  afterAll(async () => {
    await chrome?.close();
    await panel?.stop();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  const card = (code: string) => page.locator(`[data-testid=card-${code}]`);
  const column = (name: string) => page.locator(`[data-testid="column-${name}"]`);
  const codeOf = async (title: string) => (await Opportunity.findById(ids[title]).lean())!.code;
  const stageOf = async (title: string) => (await OpportunityStage.findById((await Opportunity.findById(ids[title]).lean())!.stage).lean())!.name;

  it('drags a card to the next step and the step is stored', async () => {
    await page.goto(`${panel.base}/admin/resources/Opportunity/actions/board`);
    await page.waitForSelector('[data-testid=opportunity-board]');
    const code = await codeOf('Phần mềm kế toán 20 máy');
    await card(code).waitFor();
    await shot('01-board');
    await card(code).dragTo(column('Gửi báo giá'));
    await page.getByText('Đã chuyển "Phần mềm kế toán 20 máy" sang Gửi báo giá').waitFor();
    await column('Gửi báo giá').locator(`[data-testid=card-${code}]`).waitFor();
    expect(await stageOf('Phần mềm kế toán 20 máy')).toBe('Gửi báo giá');
    await shot('02-board-moved');
  }, 60_000);

  it('asks the final amount when a card is dropped on Thắng, and records one deal of it', async () => {
    const code = await codeOf('Phần mềm kế toán 20 máy');
    await card(code).dragTo(column('Thắng'));
    await page.waitForSelector('[data-testid=move-ask]');
    await page.getByText('Giá trị cuối cùng (₫) của "Phần mềm kế toán 20 máy"').waitFor();
    await page.fill('[data-testid=move-answer]', '75tr');
    await shot('03-board-won-asks-amount');
    await page.click('[data-testid=move-confirm]');
    await page.getByText('Đã ghi thắng "Phần mềm kế toán 20 máy" và tạo hợp đồng').waitFor();
    await column('Thắng').locator(`[data-testid=card-${code}]`).waitFor();
    expect((await Opportunity.findById(ids['Phần mềm kế toán 20 máy']).lean())!.status).toBe('won');
    expect(await Deal.find({ opportunity: ids['Phần mềm kế toán 20 máy'] }).lean()).toMatchObject([{ amount: 75_000_000 }]);
    expect(await column('Thắng').locator('[data-testid=column-totals]').textContent()).toContain('75.000.000');
    await shot('04-board-won');
  }, 60_000);

  it('leaves the card where it was when the lost reason is cancelled', async () => {
    const code = await codeOf('Camera kho Bình Dương');
    await card(code).dragTo(column('Thua'));
    await page.waitForSelector('[data-testid=move-ask]');
    await page.click('[data-testid=move-cancel]');
    await page.getByText('Đã huỷ, cơ hội giữ nguyên bước cũ').waitFor();
    await column('Tiếp cận').locator(`[data-testid=card-${code}]`).waitFor();
    expect((await Opportunity.findById(ids['Camera kho Bình Dương']).lean())!.status).toBe('open');
  }, 60_000);

  it('moves a card from its menu too (keyboards, phones): Thua asks the reason and stores it', async () => {
    const code = await codeOf('Bảo trì máy chủ 12 tháng');
    const lost = await OpportunityStage.findOne({ kind: 'lost' }).lean();
    await card(code).locator('[data-testid=card-move]').selectOption(String(lost!._id));
    await page.waitForSelector('[data-testid=move-ask]');
    await page.fill('[data-testid=move-answer]', 'Khách chọn nhà cung cấp khác vì giá');
    await page.click('[data-testid=move-confirm]');
    await page.getByText('Đã ghi thua "Bảo trì máy chủ 12 tháng"').waitFor();
    await column('Thua').locator(`[data-testid=card-${code}]`).waitFor();
    expect(await Opportunity.findById(ids['Bảo trì máy chủ 12 tháng']).lean()).toMatchObject({ status: 'lost', lostReason: 'Khách chọn nhà cung cấp khác vì giá' });
    await shot('05-board-lost-from-menu');
  }, 60_000);

  it('shows the list with values in đồng and coloured steps, and the dashboard\'s pipeline section', async () => {
    await page.goto(`${panel.base}/admin/resources/Opportunity`);
    await page.getByText('Camera kho Bình Dương').waitFor();
    await page.getByText('1.200.000.000').first().waitFor();
    await shot('06-list');
    await page.goto(`${panel.base}/admin`);
    await page.waitForSelector('[data-testid=pipeline-section]');
    await page.getByText('Dự báo doanh thu có trọng số').waitFor();
    await page.locator('[data-testid=pipeline-section]').scrollIntoViewIfNeeded();
    await shot('07-dashboard');
    await page.goto(`${panel.base}/admin/resources/OpportunityStage/actions/reorder`);
    await page.waitForSelector('[data-testid=down-0]');
    await shot('08-pipeline-steps');
    expect(chrome.cspViolations).toEqual([]);
    expect(chrome.pageErrors).toEqual([]);
  }, 60_000);
});
