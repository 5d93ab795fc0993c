import type { Types } from 'mongoose';
import { startPanel, Browser, ADMIN, makeUser, loggedIn } from './harness.js';
import { Product } from '../../models/product.js';
import { Quote } from '../../models/quote.js';
import { Opportunity } from '../../models/opportunity.js';
import { Deal } from '../../models/deal.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { createOpportunity } from '../../crm/opportunities/index.js';
import { issueQuote, markQuoteSent } from '../../crm/quotes/quotes.js';
import { userActor } from '../../crm/users/actor.js';
import { pdfImageCount, pdfText } from '../helpers/pdfText.js';
import { tinyPng } from '../helpers/images.js';

/**
 * Products and quotes in the panel through HTTP, as each role's browser uses it: the price book is
 * read by everyone and changed by managers and admins; a quote, its answer and its PDF only by
 * staff who may see its customer, through the page and AdminJS's generic API alike.
 */
let panel: Awaited<ReturnType<typeof startPanel>>;
let admin: Browser;
let manager: Browser;
let sales: Browser;
let otherSales: Browser;
let lan: { _id: Types.ObjectId; name: string };

const R = '/resources';

beforeAll(async () => {
  panel = await startPanel();
  lan = await makeUser('sales', 'lan@chot.test');
  await makeUser('sales', 'minh@chot.test');
  await makeUser('manager', 'hoa@chot.test');
  admin = await loggedIn(panel.base, ADMIN.email, ADMIN.password);
  manager = await loggedIn(panel.base, 'hoa@chot.test');
  sales = await loggedIn(panel.base, 'lan@chot.test');
  otherSales = await loggedIn(panel.base, 'minh@chot.test');
}, 60_000);

afterAll(async () => {
  await panel?.stop();
});

function expectRefused(res: { status: number; data: any }) {
  if (res.status !== 403) expect(res.data?.notice?.message).toBe('forbiddenError');
}

describe('products and services', () => {
  it('are added and edited by managers and admins, with prices typed the Vietnamese way, and only read by salespeople', async () => {
    const refused = await sales.api('POST', `${R}/Product/actions/new`, { name: 'Camera trong nhà', unit: 'chiếc', price: '900k', active: 'true' });
    expectRefused(refused);
    expect(await Product.countDocuments({ name: 'Camera trong nhà' })).toBe(0);

    const bad = await manager.api('POST', `${R}/Product/actions/new`, { name: 'Camera trong nhà', unit: 'chiếc', price: '-5', active: 'true' });
    expect(bad.data.notice).toMatchObject({ type: 'error', message: 'crmError_product_priceInvalid' });
    const created = await manager.api('POST', `${R}/Product/actions/new`, { name: 'Camera trong nhà', unit: 'chiếc', price: '1,5tr', active: 'true' });
    expect(created.data.notice.type).toBe('success');
    const product = await Product.findOne({ name: 'Camera trong nhà' }).lean();
    expect(product).toMatchObject({ price: 1_500_000, unit: 'chiếc', active: true, searchName: 'camera trong nha' });

    const list = await sales.api('GET', `${R}/Product/actions/list`);
    expect(list.status).toBe(200);
    expect(list.data.records.map((r: any) => r.params.name)).toContain('Camera trong nhà');
    expectRefused(await sales.api('POST', `${R}/Product/records/${product!._id}/edit`, { price: '1' }));
    expectRefused(await sales.api('POST', `${R}/Product/records/${product!._id}/delete`, {}));
    expect((await Product.findById(product!._id).lean())?.price).toBe(1_500_000);

    const edited = await admin.api('POST', `${R}/Product/records/${product!._id}/edit`, { name: 'Camera trong nhà', unit: 'bộ', price: '1.750.000', active: 'true' });
    expect(edited.data.notice.type).toBe('success');
    expect(await Product.findById(product!._id).lean()).toMatchObject({ price: 1_750_000, unit: 'bộ' });
    // "Deleting" retires it from new quotes; quotes already sent still point at it.
    await manager.api('POST', `${R}/Product/records/${product!._id}/delete`, {});
    expect(await Product.findById(product!._id).lean()).toMatchObject({ active: false });
  });
});

describe('quotes', () => {
  async function sentQuote() {
    const actor = userActor({ _id: lan._id, role: 'sales', name: 'Lan' });
    const customer = await createCustomer(actor, { name: 'Công ty Bình Minh', phones: [`0913${String(Date.now()).slice(-6)}`] });
    const opportunity = await createOpportunity(actor, { name: 'Hệ thống camera', customer: customer._id, value: '30tr' });
    const issued = await issueQuote(actor, { customerId: customer._id, opportunityId: opportunity._id, lines: [{ name: 'Trọn gói camera', unit: 'gói', quantity: 1, unitPrice: 25_000_000 }] });
    await markQuoteSent(actor, issued.quote._id, 'staff');
    return { customer, opportunity, quote: issued.quote };
  }

  it('are listed and shown to the customer’s owner and managers, never to another salesperson', async () => {
    const { customer, quote } = await sentQuote();
    const own = await sales.api('GET', `${R}/Quote/actions/list?filters.customer=${customer._id}`);
    expect(own.data.records.map((r: any) => r.params.code)).toEqual([quote.code]);
    const others = await otherSales.api('GET', `${R}/Quote/actions/list`);
    expect(others.data.records.map((r: any) => r.params.code)).not.toContain(quote.code);
    expectRefused(await otherSales.api('GET', `${R}/Quote/records/${quote._id}/show`));
    const shown = await manager.api('GET', `${R}/Quote/records/${quote._id}/show`);
    expect(shown.data.record.params).toMatchObject({ code: quote.code, total: 25_000_000, status: 'sent', pdf: `/admin/quotes/${quote._id}/pdf` });
  });

  it('the PDF downloads for staff who may see the customer, and for nobody else', async () => {
    const { quote } = await sentQuote();
    const url = `/admin/quotes/${quote._id}/pdf`;
    const own = await sales.request('GET', url);
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('application/pdf');
    expect(own.headers.get('content-disposition')).toContain(`${quote.code}.pdf`);
    expect(await pdfText(new Uint8Array(await own.arrayBuffer()))).toContain('Trọn gói camera');
    expect((await manager.request('GET', url)).status).toBe(200);
    expect((await otherSales.request('GET', url)).status).toBe(404);
    expect((await new Browser(panel.base).request('GET', url)).status).toBe(401);
  });

  it('accepted from the panel wins the opportunity with the quote total; another salesperson and a foreign page are refused', async () => {
    const { opportunity, quote } = await sentQuote();
    const accept = `${R}/Quote/records/${quote._id}/accept`;
    expectRefused(await otherSales.api('POST', accept, {}));
    // The front door refuses a change posted from another site, even with the owner's cookie.
    const foreign = await sales.request('POST', `/admin/api${accept}`, {}, { origin: 'https://evil.example' });
    expect(foreign.status).toBeGreaterThanOrEqual(400);
    // A GET reads only.
    await sales.api('GET', accept);
    expect((await Quote.findById(quote._id).lean())?.status).toBe('sent');

    const accepted = await sales.api('POST', accept, {});
    expect(accepted.data.notice).toMatchObject({ type: 'success', message: 'quoteAcceptedOfferWin' });
    expect((await Quote.findById(quote._id).lean())?.status).toBe('accepted');

    expectRefused(await otherSales.api('POST', `${R}/Quote/records/${quote._id}/winOpportunity`, {}));
    expect((await Opportunity.findById(opportunity._id).lean())?.status).toBe('open');
    const won = await sales.api('POST', `${R}/Quote/records/${quote._id}/winOpportunity`, {});
    expect(won.data.notice).toMatchObject({ type: 'success', message: 'quoteWon' });
    expect((await Opportunity.findById(opportunity._id).lean())?.status).toBe('won');
    expect((await Deal.find({ opportunity: opportunity._id }).lean()).map((d) => d.amount)).toEqual([25_000_000]);
  });

  it('cannot be created or edited through the generic API', async () => {
    const { quote } = await sentQuote();
    expectRefused(await admin.api('POST', `${R}/Quote/actions/new`, { code: 'BG999999', customer: String(quote.customer), total: '1' }));
    expectRefused(await admin.api('POST', `${R}/Quote/records/${quote._id}/edit`, { total: '1' }));
    expect((await Quote.findById(quote._id).lean())?.total).toBe(25_000_000);
    expect(await Quote.countDocuments({ code: 'BG999999' })).toBe(0);
  });
});

describe('the company logo on quotes', () => {
  it('is set by an admin from the settings page, checked by its bytes, and printed on the next quote', async () => {
    const settings = (await admin.api('GET', `${R}/Settings/actions/list`)).data.records[0];
    const url = `${R}/Settings/records/${settings.id}/logo`;
    const png = tinyPng().toString('base64');
    expectRefused(await manager.api('POST', url, { logo: png }));
    const notImage = await admin.api('POST', url, { logo: Buffer.from('<svg onload="alert(1)"/>').toString('base64') });
    expect(notImage.data.notice).toMatchObject({ type: 'error', message: 'crmError_invalid' });
    const saved = await admin.api('POST', url, { logo: `data:image/png;base64,${png}` });
    expect(saved.data.notice).toMatchObject({ type: 'success', message: 'companyLogoSaved' });
    expect(saved.data.logo).toBe(`data:image/png;base64,${png}`);

    const actor = userActor({ _id: lan._id, role: 'sales', name: 'Lan' });
    const customer = await createCustomer(actor, { name: 'Hộ kinh doanh Hoa Mai', phones: ['0914777888'] });
    const issued = await issueQuote(actor, { customerId: customer._id, lines: [{ name: 'Bảo trì', quantity: 1, unitPrice: 500_000 }] });
    expect(await pdfImageCount(issued.pdf)).toBe(1);
    await admin.api('POST', url, { logo: '' });
    const plain = await issueQuote(actor, { customerId: customer._id, lines: [{ name: 'Bảo trì', quantity: 1, unitPrice: 500_000 }] });
    expect(await pdfImageCount(plain.pdf)).toBe(0);
  });
});
