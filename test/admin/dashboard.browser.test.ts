import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startPanel, ADMIN, makeUser, warmComponentsBundle, logInInBrowser } from './harness.js';
import { describeWithChromium, openBrowser, type PanelBrowser } from '../helpers/chromium.js';
import { seedNovember, PERIOD } from './dashboardSeed.js';
import { User } from '../../models/user.js';
import { Customer } from '../../models/customer.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { reconcileRollups } from '../../crm/rollups/rebuild.js';
import { SYSTEM } from '../../crm/users/actor.js';

/**
 * The dashboard in a real browser over a seeded November (several days, three sources, won deals,
 * referrals): the charts are drawn as SVG with dated axes, legends and bars sized by the rate, the
 * comparison tiles show arrows, and nothing is refused by the panel's Content-Security-Policy.
 * Screenshots go to test-artifacts/dashboard/.
 */
const ARTIFACTS = path.resolve('test-artifacts/dashboard');

describeWithChromium('the dashboard in a browser', (chromiumPath) => {
  let panel: Awaited<ReturnType<typeof startPanel>>;
  let opened: PanelBrowser;
  let page: Page;

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    panel = await startPanel();
    await warmComponentsBundle(panel.base);
    const lan = await makeUser('sales', 'lan@chot.test');
    const minh = await makeUser('sales', 'minh@chot.test');
    await seedNovember(lan, minh);
    // Tall enough for the whole dashboard: the panel scrolls inside its own container, which a
    // full-page screenshot does not follow.
    opened = await openBrowser(chromiumPath, { viewport: { width: 1280, height: 2300 } });
    page = opened.page;
  }, 90_000);

  afterAll(async () => {
    await opened?.close();
    await panel?.stop();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  /** Opens the dashboard as `email` and picks the seeded period with the date inputs. */
  async function openNovember(email: string, password: string) {
    await page.context().clearCookies();
    // The login page asks Google for a font, which never answers offline: the DOM is enough.
    // (The first such request can take 20 s here while the font's host fails to resolve.)
    await logInInBrowser(page, panel.base, email, password);
    await page.fill('[data-testid=period-from]', PERIOD.from);
    await page.fill('[data-testid=period-to]', PERIOD.to);
    await page.click('[data-testid=period-apply]');
    await page.locator('[data-testid=kpi-newCustomers] [data-testid=kpi-value]').filter({ hasText: '7' }).or(page.locator('[data-testid=kpi-newCustomers] [data-testid=kpi-value]').filter({ hasText: '5' })).waitFor();
  }

  /** What a person reads in an element; money has a no-break space before ₫, compared as a space. */
  const text = async (selector: string) => ((await page.textContent(selector)) ?? '').replace(/\u00a0/g, ' ');

  /** The widths of the bars of one chart, top to bottom. */
  const barWidths = (testId: string) =>
    page.$$eval(`[data-testid=${testId}] .recharts-bar-rectangle path`, (paths) =>
      paths.map((p) => ({ y: (p as SVGGraphicsElement).getBBox().y, width: (p as SVGGraphicsElement).getBBox().width })).sort((a, b) => a.y - b.y).map((b) => b.width),
    );

  it('draws the team\'s charts with dates, legends, stage colours and bars sized by the rate', async () => {
    await openNovember(ADMIN.email, ADMIN.password);
    await shot('01-dashboard-team');

    // New customers per day: an SVG bar chart, every day of the period on a dated axis, a legend of sources.
    const perDay = page.locator('[data-testid=chart-per-day]');
    expect(await perDay.locator('.recharts-wrapper > svg.recharts-surface').count()).toBe(1);
    const ticks = await perDay.locator('.recharts-xAxis .recharts-cartesian-axis-tick-value').allTextContents();
    expect(ticks[0]).toBe('01/11');
    expect(ticks).toContain('03/11');
    expect(await perDay.locator('.recharts-legend-item-text').allTextContents()).toEqual(['Website', 'Zalo OA', 'Facebook']);
    expect(await perDay.textContent()).toContain('Ngày');
    expect(await perDay.textContent()).toContain('Số khách mới');
    // Hovering a day shows its date in words and the count per source.
    const firstBar = perDay.locator('.recharts-bar-rectangle path').first();
    await firstBar.hover();
    await perDay.locator('.recharts-tooltip-wrapper').getByText('Chủ Nhật, 01/11/2026').waitFor();
    await shot('02-per-day-tooltip');

    // The funnel: in stage order, each bar in its stage's colour.
    const funnel = page.locator('[data-testid=chart-funnel]');
    expect(await funnel.locator('.recharts-yAxis .recharts-cartesian-axis-tick-value').allTextContents()).toEqual(['Mới', 'Tiếp cận', 'Nóng', 'Tiềm năng', 'Đừng quên', 'Mất', 'Chốt']);
    const colours = await funnel.locator('.recharts-bar-rectangle path').evaluateAll((ps) => ps.map((p) => p.getAttribute('fill')));
    expect(colours).toEqual(expect.arrayContaining(['#22c55e', '#f97316', '#6b7280']));

    // Conversion by source: Zalo OA 50 % > Website 25 % > Facebook 0 % (no bar at all).
    const rate = page.locator('[data-testid=chart-rate]');
    expect(await rate.locator('.recharts-yAxis .recharts-cartesian-axis-tick-value').allTextContents()).toEqual(['Zalo OA', 'Website', 'Facebook']);
    const widths = await barWidths('chart-rate');
    expect(widths.length).toBeGreaterThanOrEqual(2);
    expect(widths[0]).toBeGreaterThan(widths[1]! * 1.8);
    expect(widths[2] ?? 0).toBeLessThan(1);
    expect(await rate.textContent()).toContain('50% · 1/2');
    expect(await rate.textContent()).toContain('0% · 0/1');
    expect(await text('[data-testid=chart-revenue]')).toContain('30.000.000 ₫');

    // The comparison tiles: up arrows against a smaller previous period, down where it was larger.
    expect(await text('[data-testid=kpi-newCustomers]')).toMatch(/7.*▲.*\+250%.*kỳ trước: 2/);
    expect(await text('[data-testid=kpi-revenue]')).toMatch(/40\.000\.000 ₫.*▲.*\+100%/);
    expect(await text('[data-testid=kpi-interactions]')).toMatch(/4.*▲.*\+100%/);
    expect(await text('[data-testid=period-compared]')).toBe('01/11/2026 – 10/11/2026 (10 ngày), so với kỳ trước 22/10/2026 – 31/10/2026');

    // The people table and the referrer report, money in đồng.
    expect(await text('[data-testid=people-table]')).toContain('10.000.000 ₫');
    const referrers = await page.textContent('[data-testid=referrer-table]');
    expect(referrers).toContain('Chị Hoa');
    expect(referrers).toContain('Khách hàng');
    expect(referrers).toContain('Nhân viên');
    await page.locator('[data-testid=referrers]').scrollIntoViewIfNeeded();
    await shot('03-dashboard-team-bottom');
  }, 90_000);

  it('shows a salesperson only their own figures, and empty states for an empty period', async () => {
    await openNovember('lan@chot.test', 'mat-khau-12345');
    expect(await page.textContent('[data-testid=dashboard]')).toContain('Số liệu khách hàng của bạn');
    expect(await page.locator('[data-testid=chart-rate] .recharts-yAxis .recharts-cartesian-axis-tick-value').allTextContents()).toEqual(['Website', 'Facebook']);
    expect(await page.textContent('[data-testid=referrer-table]')).not.toContain('Nhân viên');
    await shot('04-dashboard-salesperson');

    await page.fill('[data-testid=period-from]', '2025-01-01');
    await page.fill('[data-testid=period-to]', '2025-01-31');
    await page.click('[data-testid=period-apply]');
    await page.getByText('Không có khách mới trong khoảng thời gian này.').waitFor();
    expect(await page.getByText('Chưa có khách nào được giới thiệu trong khoảng thời gian này.').count()).toBe(1);
    await shot('05-dashboard-empty-period');
  }, 90_000);

  it('names a customer with no source in words, not with a dash', async () => {
    const lan = (await User.findOne({ email: 'lan@chot.test' }).lean())!;
    const c = await createCustomer(SYSTEM, { name: 'Khách không nguồn', phones: ['0912999111'], owner: lan._id });
    await Customer.collection.updateOne({ _id: c._id }, { $set: { createdAt: new Date('2025-02-10T03:00:00Z') }, $unset: { source: '' } });
    // Written past the crm calls, so the dashboard rollups are recounted as the verification job would.
    await reconcileRollups();
    await page.fill('[data-testid=period-from]', '2025-02-01');
    await page.fill('[data-testid=period-to]', '2025-02-28');
    await page.click('[data-testid=period-apply]');
    await page.locator('[data-testid=chart-per-day] .recharts-legend-item-text').first().waitFor();
    expect(await page.locator('[data-testid=chart-per-day] .recharts-legend-item-text').allTextContents()).toEqual(['Không rõ nguồn']);
    expect(await page.textContent('[data-testid=chart-rate]')).toContain('Không rõ nguồn');
    expect(await page.textContent('[data-testid=dashboard]')).not.toContain('—');
    expect(await page.textContent('[data-testid=chart-revenue]')).toContain('Chưa có hợp đồng chốt nào');
    await shot('06-dashboard-no-source');
  }, 60_000);

  it('reads in English when the panel is switched to English', async () => {
    await page.getByText('Tiếng Việt').first().click();
    await page.getByText('English').first().click();
    await page.getByText('Conversion rate by source').waitFor();
    await openNovember('lan@chot.test', 'mat-khau-12345');
    const dashboard = await text('[data-testid=dashboard]');
    for (const words of ['Figures for your customers', 'New customers', '01/11/2026 – 10/11/2026 (10 days), compared with the previous period 22/10/2026 – 31/10/2026', 'Customers by referrer', 'Revenue by source']) {
      expect(dashboard).toContain(words);
    }
    expect(await page.locator('[data-testid=chart-per-day] .recharts-legend-item-text').allTextContents()).toEqual(['Website', 'Facebook']);
    expect(dashboard).not.toMatch(/Khách mới|Tỉ lệ chốt|Doanh thu/);
    await shot('07-dashboard-english');
  }, 60_000);

  it('ran under the panel\'s Content-Security-Policy without a refusal or a script error', () => {
    expect(opened.cspViolations).toEqual([]);
    expect(opened.pageErrors).toEqual([]);
  });
});
