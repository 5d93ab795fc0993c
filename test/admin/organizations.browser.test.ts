import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startPanel, makeUser, warmComponentsBundle, logInInBrowser } from './harness.js';
import { describeWithChromium, openBrowser, type PanelBrowser } from '../helpers/chromium.js';
import { createOrganization } from '../../crm/organizations/organizations.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { linkContact } from '../../crm/organizations/contacts.js';
import { logInteraction } from '../../crm/interactions/interactions.js';
import { scheduleFollowUp } from '../../crm/followups/followups.js';
import { SYSTEM, userActor } from '../../crm/users/actor.js';

/**
 * An admin opens an organization in a real browser: its Vietnamese labels, its contacts with their
 * title, role, phone as dialled, latest interaction and next follow-up; then a contact's own page
 * names the organization. Screenshots go to test-artifacts/organizations/.
 */
const ARTIFACTS = path.resolve('test-artifacts/organizations');

describeWithChromium('the organization page in a browser', (chromiumPath) => {
  let panel: Awaited<ReturnType<typeof startPanel>>;
  let opened: PanelBrowser;
  let page: Page;
  let orgId: string;
  let contactId: string;

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    panel = await startPanel();
    await warmComponentsBundle(panel.base);
    const org = await createOrganization(SYSTEM, { name: 'Công ty TNHH Thép Việt', taxCode: '0101234567', website: 'https://thepviet.vn', province: 'Hà Nội' });
    orgId = String(org._id);
    const lan = userActor({ ...(await makeUser('sales', 'lan@chot.test')), role: 'sales' });
    const director = await createCustomer(lan, { name: 'Nguyễn Văn Đức', phones: ['0912345678'] });
    contactId = String(director._id);
    await linkContact(SYSTEM, org._id, director._id, { jobTitle: 'Giám đốc', contactRole: 'decision_maker' });
    await logInteraction(lan, director._id, { type: 'call', text: 'Hỏi giá thép cuộn', occurredAt: new Date() });
    await scheduleFollowUp(lan, director._id, { dueAt: new Date(Date.now() + 2 * 86_400_000), recurrence: 'none', note: 'Gửi báo giá' });
    opened = await openBrowser(chromiumPath, { viewport: { width: 1280, height: 1400 } });
    page = opened.page;
    await logInInBrowser(page, panel.base);
  }, 150_000);

  afterAll(async () => {
    await opened?.close();
    await panel?.stop();
  });

  it('shows the organization with its contacts, their latest interaction and follow-up', async () => {
    await page.goto(`${panel.base}/admin/resources/Organization/records/${orgId}/show`);
    await page.waitForSelector('[data-testid=org-contact]');
    const body = await page.textContent('body');
    for (const text of ['Mã số thuế', '0101234567', 'Người liên hệ', 'KH000001 · Nguyễn Văn Đức', 'Giám đốc · Người quyết định · 0912 345 678', 'Hỏi giá thép cuộn', 'Gửi báo giá']) {
      expect(body).toContain(text);
    }
    expect(await page.textContent('[data-testid=org-contact-followup]')).toMatch(/^Hẹn \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} · Gọi điện · Gửi báo giá$/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'organization-show.png'), fullPage: true });
    await page.goto(`${panel.base}/admin/resources/Organization`);
    await page.getByText('Công ty TNHH Thép Việt').first().waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'organization-list.png'), fullPage: true });
    expect(opened.cspViolations).toEqual([]);
    expect(opened.pageErrors).toEqual([]);
  });

  it('names the organization on the contact\'s customer page', async () => {
    await page.goto(`${panel.base}/admin/resources/Customer/records/${contactId}/show`);
    await page.waitForSelector('[data-testid=row-organization]');
    expect(await page.textContent('[data-testid=row-organization]')).toContain('TC000001 · Công ty TNHH Thép Việt · Giám đốc · Người quyết định');
    await page.screenshot({ path: path.join(ARTIFACTS, 'customer-card-organization.png'), fullPage: true });
    expect(opened.pageErrors).toEqual([]);
  });
});
