import { startPanel, Browser, ADMIN, makeUser } from './harness.js';
import { Organization } from '../../models/organization.js';
import { Customer } from '../../models/customer.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { createOrganization } from '../../crm/organizations/organizations.js';
import { linkContact } from '../../crm/organizations/contacts.js';
import { logInteraction } from '../../crm/interactions/interactions.js';
import { SYSTEM, userActor } from '../../crm/users/actor.js';

/**
 * Organizations in the panel, through AdminJS's API routes as each role: a salesperson sees the
 * organizations they own or where they own a contact, and nothing else by any route.
 */
let panel: Awaited<ReturnType<typeof startPanel>>;
let admin: Browser;
let manager: Browser;
let lan: Browser;
let minh: Browser;
let lanUser: { _id: import('mongoose').Types.ObjectId; name: string };
let minhUser: { _id: import('mongoose').Types.ObjectId; name: string };
const R = '/resources/Organization';

beforeAll(async () => {
  panel = await startPanel();
  lanUser = await makeUser('sales', 'lan@chot.test');
  minhUser = await makeUser('sales', 'minh@chot.test');
  await makeUser('manager', 'hoa@chot.test');
  [admin, manager, lan, minh] = [new Browser(panel.base), new Browser(panel.base), new Browser(panel.base), new Browser(panel.base)];
  expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(302);
  expect((await manager.login('hoa@chot.test', 'mat-khau-12345')).status).toBe(302);
  expect((await lan.login('lan@chot.test', 'mat-khau-12345')).status).toBe(302);
  expect((await minh.login('minh@chot.test', 'mat-khau-12345')).status).toBe(302);
}, 60_000);

afterAll(async () => {
  await panel?.stop();
});

const as = (u: { _id: unknown }) => userActor({ _id: u._id as never, role: 'sales' });
const names = (res: { data: any }) => (res.data.records ?? []).map((r: any) => r.params.name).sort();

function expectRefused(res: { status: number; data: any }) {
  if (res.status !== 403) expect(res.data?.notice?.message).toBe('forbiddenError');
}

describe('who sees which organization', () => {
  let owned: { _id: unknown }, viaContact: { _id: unknown }, theirs: { _id: unknown };
  beforeAll(async () => {
    owned = await createOrganization(SYSTEM, { name: 'Công ty TNHH Lan Anh', owner: String(lanUser._id) });
    viaContact = await createOrganization(SYSTEM, { name: 'CTCP Bình Minh', taxCode: '0301111111', owner: String(minhUser._id) });
    theirs = await createOrganization(SYSTEM, { name: 'Tập đoàn Hoàng Gia', taxCode: '0302222222', owner: String(minhUser._id) });
    const contact = await createCustomer(as(lanUser), { name: 'Chị Thu', phones: ['0911000001'] });
    await linkContact(SYSTEM, viaContact._id, contact._id, { jobTitle: 'Trưởng phòng mua hàng', contactRole: 'purchaser' });
    await logInteraction(as(lanUser), contact._id, { type: 'call', text: 'Hỏi báo giá thép', occurredAt: new Date() });
  });

  it('lists to a salesperson only what they own or sell to through a contact; managers and admins see all', async () => {
    expect(names(await lan.api('GET', `${R}/actions/list`))).toEqual(['CTCP Bình Minh', 'Công ty TNHH Lan Anh']);
    // A filter typed into the URL cannot widen the scope.
    expect(names(await lan.api('GET', `${R}/actions/list?filters.owner=${minhUser._id}`))).toEqual(['CTCP Bình Minh']);
    expect(names(await minh.api('GET', `${R}/actions/list`))).toEqual(['CTCP Bình Minh', 'Tập đoàn Hoàng Gia']);
    for (const b of [manager, admin]) expect(names(await b.api('GET', `${R}/actions/list?perPage=100`))).toEqual(expect.arrayContaining(['CTCP Bình Minh', 'Công ty TNHH Lan Anh', 'Tập đoàn Hoàng Gia']));
    expect(names(await lan.api('GET', `${R}/actions/search/hoang%20gia`))).toEqual([]);
    expect(names(await manager.api('GET', `${R}/actions/search/hoang%20gia`))).toEqual(['Tập đoàn Hoàng Gia']);
    expect(names(await manager.api('GET', `${R}/actions/list?filters.searchText=0302222222`))).toEqual(['Tập đoàn Hoàng Gia']);
    // The customer picker's search (the same helper) keeps its own scope too.
    await createCustomer(as(minhUser), { name: 'Anh Khải', phones: ['0911000002'] });
    expect(names(await lan.api('GET', `/resources/Customer/actions/search/khai`))).toEqual([]);
    expect(names(await manager.api('GET', `/resources/Customer/actions/search/khai`))).toEqual(['Anh Khải']);
  });

  it('refuses a salesperson another owner\'s organization on show, edit and delete, changing nothing', async () => {
    expect((await lan.api('GET', `${R}/records/${viaContact._id}/show`)).status).toBe(200);
    expectRefused(await lan.api('GET', `${R}/records/${theirs._id}/show`));
    expectRefused(await lan.api('POST', `${R}/records/${theirs._id}/edit`, { name: 'Đã sửa' }));
    expectRefused(await lan.api('POST', `${R}/records/${theirs._id}/delete`));
    const after = await Organization.findById(theirs._id).lean();
    expect(after).toMatchObject({ name: 'Tập đoàn Hoàng Gia', taxCode: '0302222222' });
    expect(after!.deletedAt).toBeUndefined();
    expectRefused(await lan.api('POST', `/resources/Organization/bulk/bulkDelete?recordIds=${theirs._id}`));
    // Seeing an organization through a contact does not let her take it over.
    const grab = await lan.api('POST', `${R}/records/${viaContact._id}/edit`, { owner: String(lanUser._id) });
    expect(grab.data.notice.message).toBe('crmError_forbidden');
    expect(String((await Organization.findById(viaContact._id).lean())!.owner)).toBe(String(minhUser._id));
  });

  it('shows the organization\'s contacts with their title, role and recent interactions', async () => {
    const show = await lan.api('GET', `${R}/records/${viaContact._id}/show`);
    const contacts = JSON.parse(show.data.record.params.contactsJson);
    expect(contacts).toEqual([
      expect.objectContaining({ name: 'Chị Thu', jobTitle: 'Trưởng phòng mua hàng', contactRole: 'purchaser', interactions: [expect.objectContaining({ type: 'call', text: 'Hỏi báo giá thép' })] }),
    ]);
  });
});

describe('creating and editing through crm', () => {
  it('refuses a hostile or taken tax code with a notice, storing nothing', async () => {
    const before = await Organization.countDocuments();
    for (const taxCode of ['12345', '{"$gt":""}', '0'.repeat(40)]) {
      const res = await lan.api('POST', `${R}/actions/new`, { name: 'Công ty X', taxCode });
      expect(res.data.notice).toMatchObject({ message: 'crmError_organization_taxCodeInvalid', type: 'error' });
    }
    await lan.api('POST', `${R}/actions/new`, { name: 'Thép Việt', taxCode: '0101 234 567', website: 'https://thepviet.vn' });
    const dup = await minh.api('POST', `${R}/actions/new`, { name: 'Thép Việt Nam', taxCode: '0101234567' });
    expect(dup.data.notice).toMatchObject({ message: 'crmError_organization_taxCodeTaken', options: { name: 'Thép Việt' } });
    expect(await Organization.countDocuments()).toBe(before + 1);
    expect(await Organization.findOne({ taxCode: '0101234567' }).lean()).toMatchObject({ domain: 'thepviet.vn', owner: lanUser._id, code: expect.stringMatching(/^TC\d{6}$/) });
  });

  it('writes who created, edited and deleted an organization into the audit log, named by its code', async () => {
    const created = await lan.api('POST', `${R}/actions/new`, { name: 'Gốm Bát Tràng', taxCode: '0108888888' });
    expect(created.data.notice.type).toBe('success');
    const org = (await Organization.findOne({ taxCode: '0108888888' }).lean())!;
    expect((await lan.api('POST', `${R}/records/${org._id}/edit`, { name: 'Gốm sứ Bát Tràng', address: '12 Bát Tràng, Gia Lâm', taxCode: '0108888888' })).data.notice.type).toBe('success');
    expect((await lan.api('POST', `${R}/records/${org._id}/delete`)).data.notice.type).toBe('success');
    const list = await admin.api('GET', `/resources/AuditLog/actions/list?sortBy=at&direction=desc&perPage=50`);
    const stories = list.data.records.map((r: any) => JSON.parse(r.params.story)).filter((s: any) => s.subject === 'organization' && s.record?.startsWith(org.code));
    expect(stories).toEqual([
      { who: 'sales lan', action: 'delete', subject: 'organization', record: `${org.code} · Gốm sứ Bát Tràng` },
      { who: 'sales lan', action: 'edit', subject: 'organization', record: `${org.code} · Gốm sứ Bát Tràng`, fields: ['name', 'address'] },
      { who: 'sales lan', action: 'create', subject: 'organization', record: `${org.code} · Gốm sứ Bát Tràng` },
    ]);
  });

  it('links a customer to an organization from the customer form, with title and role', async () => {
    const org = await createOrganization(SYSTEM, { name: 'Đại Phát', owner: String(lanUser._id) });
    const c = await createCustomer(as(lanUser), { name: 'Anh Long', phones: ['0911000009'] });
    const res = await lan.api('POST', `/resources/Customer/records/${c._id}/edit`, { organization: String(org._id), jobTitle: 'Giám đốc', contactRole: 'decision_maker' });
    expect(res.data.notice.type).toBe('success');
    expect(await Customer.findById(c._id).lean()).toMatchObject({ organization: org._id, jobTitle: 'Giám đốc', contactRole: 'decision_maker' });
    const bad = await lan.api('POST', `/resources/Customer/records/${c._id}/edit`, { contactRole: 'boss' });
    expect(bad.data.notice.type).toBe('error');
    expect(await Customer.findById(c._id).lean()).toMatchObject({ contactRole: 'decision_maker' });
  });
});
