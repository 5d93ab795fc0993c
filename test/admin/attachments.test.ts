import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Types } from 'mongoose';
import { startPanel, loggedIn, makeUser, warmComponentsBundle, logInInBrowser, ADMIN, type Browser } from './harness.js';
import { describeWithChromium, openBrowser } from '../helpers/chromium.js';
import { HTML_BYTES, PDF_BYTES, makePng } from '../helpers/files.js';
import { attachFileForStaff, keepCustomerFile } from '../../crm/attachments/attachments.js';
import { recordCheckIn } from '../../crm/attachments/checkIns.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { userActor } from '../../crm/users/actor.js';
import { Attachment } from '../../models/attachment.js';
import { adminFeature } from '../../admin/feature.js';
import { chatCoreFeature } from '../../bot/core/feature.js';
import { webChatFeature } from '../../bot/web/feature.js';

/**
 * The customer page's files through HTTP as each role: the owner and a manager get the bytes with
 * safe headers, another salesperson gets the same 404 as an unknown id, nobody logged out gets
 * anything; then the page itself in a browser, with a photo inline, a file and a check-in
 * (test-artifacts/teamwork/attachments.png).
 */
let panel: Awaited<ReturnType<typeof startPanel>>;
let owner: Browser;
let other: Browser;
let manager: Browser;
let lan: { _id: Types.ObjectId; role: 'sales' };
let customerId: string;
let photoId: string;
let pdfId: string;
const photo = makePng(480, 320, [[233, 196, 106], [42, 157, 143], [38, 70, 83]]);

beforeAll(async () => {
  // The web chat beside the panel, as in `npm start`: staff upload from /chat in the browser test.
  panel = await startPanel([adminFeature, chatCoreFeature, webChatFeature]);
  const lanUser = await makeUser('sales', 'lan@chot.test');
  lan = { _id: lanUser._id, role: 'sales' };
  await makeUser('sales', 'minh@chot.test');
  await makeUser('manager', 'hoa@chot.test');
  owner = await loggedIn(panel.base, 'lan@chot.test');
  other = await loggedIn(panel.base, 'minh@chot.test');
  manager = await loggedIn(panel.base, 'hoa@chot.test');
  const actor = userActor({ _id: lanUser._id, role: 'sales', name: lanUser.name });
  const customer = await createCustomer(actor, { name: 'Trần Thị Ánh', phones: ['0912 345 678'] });
  customerId = String(customer._id);
  photoId = String((await attachFileForStaff(actor, customer._id, { bytes: photo, name: 'mặt bằng.png', channel: 'telegram' })).id);
  pdfId = String((await keepCustomerFile(customer._id, { bytes: PDF_BYTES, name: 'Hợp đồng mua bán.pdf', channel: 'zalo_bot' }, undefined)).id);
  await recordCheckIn(actor, customer._id, { latitude: 10.776889, longitude: 106.700806, at: new Date('2026-11-30T03:15:00Z'), channel: 'telegram', during: 'meeting' });
}, 90_000);

afterAll(async () => {
  await panel?.stop();
});

const get = (who: Browser | undefined, url: string) => (who ? who.request('GET', url) : fetch(panel.base + url, { redirect: 'manual' }));

describe('customer files in the panel, by role', () => {
  it("serves the owner and a manager the bytes, the photo inline and the PDF as a download, with the sniffed type and nosniff", async () => {
    for (const who of [owner, manager]) {
      const res = await get(who, `/admin/customer-files/${photoId}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-disposition')).toMatch(/^inline; /);
      expect(Buffer.from(await res.arrayBuffer()).equals(photo)).toBe(true);
    }
    const pdf = await get(owner, `/admin/customer-files/${pdfId}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename="Hop dong mua ban.pdf"; filename*=UTF-8''${encodeURIComponent('Hợp đồng mua bán.pdf')}`);
    expect(pdf.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await pdf.arrayBuffer()).equals(PDF_BYTES)).toBe(true);

    const list = await (await get(manager, `/admin/customer-files/of/${customerId}`)).json();
    expect(list.attachments.map((a: { name: string; from: string }) => [a.name, a.from])).toEqual([['Hợp đồng mua bán.pdf', 'customer'], ['mặt bằng.png', 'staff']]);
    expect(list.checkIns).toEqual([expect.objectContaining({ latitude: 10.776889, longitude: 106.700806, during: 'meeting', mapsUrl: 'https://www.google.com/maps?q=10.776889,106.700806' })]);
  });

  it("answers another salesperson 404 for the file and the list, exactly as for an id that does not exist, and a visitor 401", async () => {
    const unknown = '0123456789abcdef01234567';
    for (const url of [`/admin/customer-files/${photoId}`, `/admin/customer-files/${pdfId}`, `/admin/customer-files/of/${customerId}`]) {
      const res = await get(other, url);
      expect(res.status).toBe(404);
      expect(await res.text()).toBe('Not found');
    }
    const missing = await get(other, `/admin/customer-files/${unknown}`);
    expect([missing.status, await missing.text()]).toEqual([404, 'Not found']);
    expect((await get(other, '/admin/customer-files/%7B%22%24gt%22%3A%22%22%7D')).status).toBe(404);
    expect((await get(undefined, `/admin/customer-files/${photoId}`)).status).toBe(401);
    expect((await get(undefined, `/admin/customer-files/of/${customerId}`)).status).toBe(401);
  });

  it('never serves stored bytes as anything but what they were sniffed to be', async () => {
    // Text goes out as text and as a download; HTML never gets stored, so it is never served from the panel's origin.
    const actor = userActor({ _id: lan._id, role: 'sales' });
    const text = await attachFileForStaff(actor, customerId, { bytes: Buffer.from('ghi chú cuộc gặp'), name: 'note.txt' });
    const res = await get(owner, `/admin/customer-files/${text.id}`);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; /);
    await expect(attachFileForStaff(actor, customerId, { bytes: HTML_BYTES, name: 'x.txt' })).rejects.toMatchObject({ code: 'attachment.typeRefused' });
    await Attachment.deleteOne({ _id: text.id });
  });
});

describeWithChromium('the customer page shows photos, files and check-ins', (chromiumPath) => {
  it('draws the photo inline, offers the PDF and links the check-in to a map', async () => {
    const artifacts = path.resolve('test-artifacts/teamwork');
    await mkdir(artifacts, { recursive: true });
    await warmComponentsBundle(panel.base);
    const chrome = await openBrowser(chromiumPath, { viewport: { width: 1360, height: 1400 } });
    try {
      const { page } = chrome;
      await logInInBrowser(page, panel.base, ADMIN.email, ADMIN.password);
      await page.goto(`${panel.base}/admin/resources/Customer/records/${customerId}/show`);
      await page.waitForSelector('[data-testid=customer-attachments] [data-testid=attachment-photo] img');
      // The thumbnail really loaded (a refused or broken image has no natural width).
      await page.waitForFunction(() => (document.querySelector('[data-testid=attachment-photo] img') as HTMLImageElement | null)?.naturalWidth === 480);
      const file = page.locator('[data-testid=attachment-file] a');
      expect(await file.textContent()).toBe('Hợp đồng mua bán.pdf');
      expect(await file.getAttribute('href')).toBe(`/admin/customer-files/${pdfId}`);
      const map = page.locator('[data-testid=checkin] a');
      expect(await map.getAttribute('href')).toBe('https://www.google.com/maps?q=10.776889,106.700806');
      expect(await page.textContent('[data-testid=checkin]')).toContain('10.776889, 106.700806');
      await page.locator('[data-testid=customer-attachments]').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(artifacts, 'attachments.png'), fullPage: true });

      // The same person on /chat: open the card, pick a photo with the 📎 button, and it is on the customer.
      await page.goto(`${panel.base}/chat`);
      // The chat's opening answer (the help) first: typed before it, /find would be answered before it.
      await page.locator('#log > *').first().waitFor();
      await page.fill('#text', '/find Ánh');
      await page.press('#text', 'Enter');
      await page.getByText('KH000001 · Trần Thị Ánh').first().waitFor();
      await page.setInputFiles('#file', { name: 'bien-ban.png', mimeType: 'image/png', buffer: makePng(64, 48) });
      await page.getByText(/Đã lưu ảnh "bien-ban.png"/).waitFor();
      await page.screenshot({ path: path.join(artifacts, 'web-chat-upload.png') });
      expect(await Attachment.countDocuments({ customer: customerId, originalName: 'bien-ban.png', channel: 'web' })).toBe(1);
      expect(chrome.cspViolations).toEqual([]);
      expect(chrome.pageErrors).toEqual([]);
    } finally {
      await chrome.close();
    }
  }, 150_000);
});
