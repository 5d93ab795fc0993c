import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startPanel, Browser, ADMIN, makeUser, warmComponentsBundle, logInInBrowser } from './harness.js';
import { describeWithChromium, openBrowser } from '../helpers/chromium.js';
import { Settings } from '../../models/settings.js';
import { locale } from '../../admin/locale.js';
import { t } from '../../i18n/index.js';

/** The don't-forget threshold for opportunities, set by an admin in the panel's Settings form. */
let panel: Awaited<ReturnType<typeof startPanel>>;
let admin: Browser;
let manager: Browser;
const R = '/resources';

beforeAll(async () => {
  panel = await startPanel();
  await makeUser('manager', 'quan@chot.test');
  admin = new Browser(panel.base);
  manager = new Browser(panel.base);
  expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(302);
  expect((await manager.login('quan@chot.test', 'mat-khau-12345')).status).toBe(302);
}, 60_000);

afterAll(async () => {
  await panel?.stop();
});

describe('staleOpportunityDays in Settings', () => {
  it('is on the form with a label in both languages, defaults to 14, and only an admin changes it to a whole number of days', async () => {
    const settings = await Settings.findOne({ key: 'global' }).lean();
    expect(settings!.staleOpportunityDays).toBe(14);
    const form = await admin.api('GET', `${R}/Settings/records/${settings!._id}/edit`);
    expect(Object.keys(form.data.record.params)).toContain('staleOpportunityDays');
    const vi = locale.translations as Record<string, any>;
    expect(vi.vi.resources.Settings.properties.staleOpportunityDays).toContain('cơ hội');
    expect(vi.en.resources.Settings.properties.staleOpportunityDays).toContain('opportunity');

    const saved = await admin.api('POST', `${R}/Settings/records/${settings!._id}/edit`, { staleOpportunityDays: '21' });
    expect(saved.data.notice.type).toBe('success');
    expect((await Settings.findOne({ key: 'global' }).lean())!.staleOpportunityDays).toBe(21);

    const bad = await admin.api('POST', `${R}/Settings/records/${settings!._id}/edit`, { staleOpportunityDays: '2.5' });
    expect(bad.data.notice.type).toBe('error');
    const zero = await admin.api('POST', `${R}/Settings/records/${settings!._id}/edit`, { staleOpportunityDays: '0' });
    expect(zero.data.notice.type).toBe('error');
    const refused = await manager.api('POST', `${R}/Settings/records/${settings!._id}/edit`, { staleOpportunityDays: '1' });
    if (refused.status !== 403) expect(refused.data?.notice?.message).toBe('forbiddenError');
    expect((await Settings.findOne({ key: 'global' }).lean())!.staleOpportunityDays).toBe(21);
    expect(t('vi', 'jobs.digest.oppStale', { days: 21, count: 1 })).toContain('21 ngày');
  });
});

describeWithChromium('the Settings form in a browser', (chromiumPath) => {
  it('shows the stale-opportunity days in Vietnamese and saves a new value', async () => {
    const artifacts = path.resolve('test-artifacts/opportunities');
    await mkdir(artifacts, { recursive: true });
    await warmComponentsBundle(panel.base);
    const chrome = await openBrowser(chromiumPath);
    try {
      const { page } = chrome;
      await logInInBrowser(page, panel.base);
      await page.goto(`${panel.base}/admin/resources/Settings`);
      await page.getByText('Số ngày cơ hội không hoạt động (nhắc trong bản tin)').waitFor();
      const input = page.locator('input[name=staleOpportunityDays]');
      await input.fill('10');
      await page.screenshot({ path: path.join(artifacts, 'settings-stale-days.png'), fullPage: true });
      await page.locator('button[type=submit]').click();
      let stored: number | null | undefined;
      for (let i = 0; i < 40 && stored !== 10; i += 1) {
        await page.waitForTimeout(250);
        stored = (await Settings.findOne({ key: 'global' }).lean())!.staleOpportunityDays;
      }
      expect(stored).toBe(10);
      expect(chrome.cspViolations).toEqual([]);
      expect(chrome.pageErrors).toEqual([]);
    } finally {
      await chrome.close();
    }
  }, 90_000);
});
