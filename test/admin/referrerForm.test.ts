import { startPanel, Browser, makeUser } from './harness.js';
import { Customer } from '../../models/customer.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { userActor } from '../../crm/users/actor.js';

/**
 * The customer form's "Người giới thiệu" field, through the panel's HTTP API as a salesperson
 * uses it: typed as a phone, a KH code or a staff name, checked by the crm, shown again on edit.
 */
let panel: Awaited<ReturnType<typeof startPanel>>;
let sales: Browser;
let salesUser: Awaited<ReturnType<typeof makeUser>>;

const R = '/resources/Customer/actions';

beforeAll(async () => {
  panel = await startPanel();
  salesUser = await makeUser('sales', 'thao@chot.test');
  sales = new Browser(panel.base);
  expect((await sales.login('thao@chot.test', 'mat-khau-12345')).status).toBe(302);
}, 60_000);

afterAll(async () => {
  await panel?.stop();
});

describe('the referrer on the panel customer form', () => {
  it('sets it from a customer phone on create, shows it as the KH code on edit, and changes it to a staff member', async () => {
    const friend = await createCustomer(userActor(salesUser), { name: 'Người Giới Thiệu', phones: ['0977 500 001'] });
    const created = await sales.api('POST', `${R}/new`, { name: 'Khách Qua Bạn', 'phones.0': '0977 500 002', referrerText: '0977 500 001' });
    expect(created.data.notice.type).toBe('success');
    const customer = (await Customer.findOne({ name: 'Khách Qua Bạn' }).lean())!;
    expect(customer.referrer).toEqual({ kind: 'customer', id: friend._id });

    const form = await sales.api('GET', `/resources/Customer/records/${customer._id}/edit`);
    expect(form.data.record.params.referrerText).toBe(friend.code);

    const edited = await sales.api('POST', `/resources/Customer/records/${customer._id}/edit`, { name: 'Khách Qua Bạn', referrerText: salesUser.name });
    expect(edited.data.notice.type).toBe('success');
    expect((await Customer.findById(customer._id).lean())!.referrer).toEqual({ kind: 'user', id: salesUser._id });

    // Saving the form unchanged keeps it; emptying the field clears it.
    const again = await sales.api('GET', `/resources/Customer/records/${customer._id}/edit`);
    expect(again.data.record.params.referrerText).toBe('thao@chot.test');
    await sales.api('POST', `/resources/Customer/records/${customer._id}/edit`, { name: 'Khách Qua Bạn', referrerText: 'thao@chot.test' });
    expect((await Customer.findById(customer._id).lean())!.referrer).toEqual({ kind: 'user', id: salesUser._id });
    await sales.api('POST', `/resources/Customer/records/${customer._id}/edit`, { name: 'Khách Qua Bạn', referrerText: '' });
    expect((await Customer.findById(customer._id).lean())!.referrer).toBeNull();
  });

  it('refuses an unknown referrer and the customer themselves, saving nothing', async () => {
    const created = await sales.api('POST', `${R}/new`, { name: 'Khách Lạ', 'phones.0': '0977 500 010', referrerText: 'KH999999' });
    expect(created.data.notice).toMatchObject({ type: 'error', message: 'crmError_referrer_unknown', options: { input: 'KH999999' } });
    expect(await Customer.countDocuments({ name: 'Khách Lạ' })).toBe(0);

    const me = await createCustomer(userActor(salesUser), { name: 'Tự Giới Thiệu', phones: ['0977 500 011'], need: 'Cũ' });
    const self = await sales.api('POST', `/resources/Customer/records/${me._id}/edit`, { name: 'Tự Giới Thiệu', need: 'Mới', referrerText: me.code });
    expect(self.data.notice).toMatchObject({ type: 'error', message: 'crmError_referrer_self' });
    const stored = (await Customer.findById(me._id).lean())!;
    expect(stored.referrer).toBeUndefined();
    expect(stored.need).toBe('Cũ');
  });
});
