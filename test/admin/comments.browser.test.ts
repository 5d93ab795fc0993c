import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startPanel, makeUser, warmComponentsBundle, logInInBrowser } from './harness.js';
import { describeWithChromium, openBrowser, type PanelBrowser } from '../helpers/chromium.js';
import { adminFeature } from '../../admin/feature.js';
import { chatCoreFeature } from '../../bot/core/feature.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { addComment } from '../../crm/comments/comments.js';
import { logInteraction } from '../../crm/interactions/interactions.js';
import { userActor } from '../../crm/users/actor.js';
import { createOrganization } from '../../crm/organizations/organizations.js';
import { createOpportunity } from '../../crm/opportunities/index.js';
import { User } from '../../models/user.js';
import { Comment } from '../../models/comment.js';

/**
 * The customer page's team talk in a real browser: the owner posts a comment naming a colleague,
 * edits it, filters the history; the colleague then opens the page as a follower and sees it
 * read-only apart from comments. Screenshots go to test-artifacts/teamwork/.
 */
const ARTIFACTS = path.resolve('test-artifacts/teamwork');

describeWithChromium('comments on the customer page in a browser', (chromiumPath) => {
  let panel: Awaited<ReturnType<typeof startPanel>>;
  let chrome: PanelBrowser;
  let page: Page;
  let customerId: string;

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    panel = await startPanel([adminFeature, chatCoreFeature]);
    const lan = await makeUser('sales', 'lan@chot.test');
    await makeUser('sales', 'minh@chot.test');
    const hoa = await makeUser('manager', 'hoa@chot.test');
    const lanActor = userActor({ _id: lan._id, role: 'sales', name: lan.name });
    const customer = await createCustomer(lanActor, { name: 'Đỗ Thị Mai', phones: ['0987 654 321'], need: 'Căn hộ 2 phòng ngủ' });
    customerId = String(customer._id);
    await logInteraction(lanActor, customer._id, { type: 'call', outcome: 'interested', text: 'Khách hẹn xem nhà thứ bảy' });
    await addComment(userActor({ _id: hoa._id, role: 'manager', name: hoa.name }), customer._id, 'Khách này quen chị, em chăm kỹ nhé.', []);
    await warmComponentsBundle(panel.base);
    chrome = await openBrowser(chromiumPath, { viewport: { width: 1360, height: 1400 } });
    ({ page } = chrome);
    await logInInBrowser(page, panel.base, 'lan@chot.test', 'mat-khau-12345');
  }, 120_000);

  afterAll(async () => {
    await chrome?.close();
    await panel?.stop();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  it('the owner comments with an @mention, edits it, filters the history; the follower sees the page read-only apart from comments', async () => {
    await page.goto(`${panel.base}/admin/resources/Customer/records/${customerId}/show`);
    await page.waitForSelector('[data-testid=customer-comments]');
    const form = page.locator('[data-testid=form-comment]');
    await form.locator('textarea[name=text]').fill('@minh anh gọi giúp em chiều nay, khách cần báo giá gấp');
    await form.getByRole('button', { name: 'Gửi bình luận' }).click();
    await page.getByText('Đã lưu bình luận và báo cho sales minh').first().waitFor();
    await page.locator('[data-testid=comment-text]', { hasText: '@minh anh gọi giúp' }).waitFor();
    expect(await page.locator('[data-testid=follower-name]').allTextContents()).toEqual(['sales minh']);

    // Only one's own comment offers edit and delete.
    expect(await page.locator('[data-testid=comment-edit]').count()).toBe(1);
    await page.locator('[data-testid=comment-edit]').click();
    await page.locator('[data-testid=comment] textarea[name=text]').fill('@minh anh gọi giúp em trước 16h, khách cần báo giá gấp');
    await page.locator('[data-testid=comment]').getByRole('button', { name: 'Lưu' }).click();
    await page.locator('[data-testid=comment-text]', { hasText: 'trước 16h' }).waitFor();
    expect((await Comment.findOne({ text: /trước 16h/ }).lean())!.editedAt).toBeTruthy();

    await page.locator('[data-testid=history-filter-comments]').click();
    expect(await page.locator('[data-testid=history-interaction]').count()).toBe(0);
    expect(await page.locator('[data-testid=history-comment]').count()).toBe(2);
    await page.locator('[data-testid=history-filter-all]').click();
    await page.locator('[data-testid=customer-comments]').scrollIntoViewIfNeeded();
    await shot('comments');

    // The colleague named opens the same page: comments yes, changes no.
    await page.context().clearCookies();
    await logInInBrowser(page, panel.base, 'minh@chot.test', 'mat-khau-12345');
    await page.goto(`${panel.base}/admin/resources/Customer/records/${customerId}/show`);
    await page.waitForSelector('[data-testid=follower-banner]');
    expect(await page.locator('[data-testid=form-log]').count()).toBe(0);
    expect(await page.locator('[data-testid=reply-form]').count()).toBe(0);
    expect(await page.locator('[data-testid=follower-remove]').count()).toBe(0);
    const followerForm = page.locator('[data-testid=form-comment]');
    await followerForm.locator('textarea[name=text]').fill('Em nhận, 15h em gọi ạ');
    await followerForm.getByRole('button', { name: 'Gửi bình luận' }).click();
    await page.locator('[data-testid=comment-text]', { hasText: 'Em nhận, 15h em gọi ạ' }).waitFor();
    await shot('comments-follower');
  }, 90_000);

  it('the owner comments on an organization and an opportunity page; a colleague who cannot see the organization is named and left out', async () => {
    const lan = (await User.findOne({ email: 'lan@chot.test' }).lean())!;
    const lanActor = userActor({ _id: lan._id, role: 'sales', name: lan.name });
    const org = await createOrganization(lanActor, { name: 'Công ty CP Thép Việt', taxCode: '0301234567', address: '12 Lê Lợi', province: 'Hà Nội' });
    const opp = await createOpportunity(lanActor, { organization: org._id, name: 'Thép cuộn quý 1', value: '850tr' });
    await page.context().clearCookies();
    await logInInBrowser(page, panel.base, 'lan@chot.test', 'mat-khau-12345');

    await page.goto(`${panel.base}/admin/resources/Organization/records/${org._id}/show`);
    await page.waitForSelector('[data-testid=target-comments]');
    const form = page.locator('[data-testid=form-comment]');
    await form.locator('textarea[name=text]').fill('@hoa chị duyệt giá giúp em, @minh xem cùng nhé');
    await form.getByRole('button', { name: 'Gửi bình luận' }).click();
    await page.getByText('sales minh không xem được tổ chức này nên không được nhắc').first().waitFor();
    await page.locator('[data-testid=comment-text]', { hasText: '@hoa chị duyệt giá' }).waitFor();
    expect(await page.locator('[data-testid=comment-edit]').count()).toBe(1);
    await page.locator('[data-testid=target-comments]').scrollIntoViewIfNeeded();
    await shot('organization-comments');

    await page.goto(`${panel.base}/admin/resources/Opportunity/records/${opp._id}/show`);
    await page.waitForSelector('[data-testid=target-comments]');
    await form.locator('textarea[name=text]').fill('@hoa khách xin giảm 3%, chị xem giúp');
    await form.getByRole('button', { name: 'Gửi bình luận' }).click();
    await page.getByText('Đã lưu bình luận và báo cho manager hoa').first().waitFor();
    await page.locator('[data-testid=comment-text]', { hasText: 'khách xin giảm 3%' }).waitFor();
    await shot('opportunity-comments');
    expect((await Comment.find({ 'target.kind': { $in: ['organization', 'opportunity'] } }).lean()).map((c) => c.target.kind).sort()).toEqual(['opportunity', 'organization']);
  }, 90_000);
});
