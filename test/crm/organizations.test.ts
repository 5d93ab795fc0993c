import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { createOrganization, deleteOrganization, findOrganizations, getOrganizationForActor, organizationScope, organizationSearchFilter, updateOrganization } from '../../crm/organizations/organizations.js';
import { matchOrganization } from '../../crm/organizations/matchOrganization.js';
import { linkContact, unlinkContact } from '../../crm/organizations/contacts.js';
import { organizationNameKey } from '../../crm/organizations/orgName.js';
import { captureLead } from '../../crm/customers/captureLead.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { getCustomerCard } from '../../crm/customers/customerCard.js';
import { Organization } from '../../models/organization.js';
import { commitImport, previewImport } from '../../crm/imports/csvImport.js';
import { Customer } from '../../models/customer.js';

useTestDatabase();

describe('organizations', () => {
  it('stores a tax code as digits, derives the domain from the website and numbers TC apart from KH', async () => {
    const { actor } = await makeStaff('sales');
    await createCustomer(actor, { name: 'Khách lẻ', phones: ['0912345678'] });
    const org = await createOrganization(actor, { name: 'Công ty TNHH Thép Việt', taxCode: ' 0101-234 567 ', website: 'https://www.thepviet.com.vn/lien-he' });
    expect(org).toMatchObject({ code: 'TC000001', taxCode: '0101234567', domain: 'thepviet.com.vn', searchText: 'thep viet' });
    const branch = await createOrganization(actor, { name: 'Thép Việt CN HCM', taxCode: '0101234567-001' });
    expect(branch).toMatchObject({ code: 'TC000002', taxCode: '0101234567001' });
  });

  it.each(['123', '01012345678', 'abc', '0101234567890123'])('refuses the tax code %s with a clear message, storing nothing', async (taxCode) => {
    const { actor } = await makeStaff('sales');
    await expect(createOrganization(actor, { name: 'ABC', taxCode })).rejects.toMatchObject({ code: 'organization.taxCodeInvalid' });
    expect(await Organization.countDocuments()).toBe(0);
  });

  it('refuses a second organization with the same tax code, naming the first', async () => {
    const { actor } = await makeStaff('sales');
    await createOrganization(actor, { name: 'CP Sữa Mộc', taxCode: '0312345678' });
    await expect(createOrganization(actor, { name: 'Sữa Mộc JSC', taxCode: '0312 345 678' })).rejects.toMatchObject({
      code: 'organization.taxCodeTaken',
      params: { code: 'TC000001', name: 'CP Sữa Mộc' },
    });
    const other = await createOrganization(actor, { name: 'Khác', taxCode: '0399999999' });
    await expect(updateOrganization(actor, other._id, { taxCode: '0312345678' })).rejects.toMatchObject({ code: 'organization.taxCodeTaken' });
    expect(await Organization.countDocuments()).toBe(2);
  });

  it('ignores legal-form words and diacritics in names', () => {
    expect(organizationNameKey('Công ty TNHH Một Thành Viên Hải Đăng')).toBe('hai dang');
    expect(organizationNameKey('HẢI ĐĂNG JSC')).toBe('hai dang');
    expect(organizationNameKey('CTCP Hải Đăng')).toBe('hai dang');
    expect(organizationNameKey('Hai Dang Co., Ltd.')).toBe('hai dang');
  });

  it('matches by tax code first, then company email domain (never free mail), then name', async () => {
    const { actor } = await makeStaff('manager');
    const a = await createOrganization(actor, { name: 'Hải Đăng', taxCode: '0101234567', website: 'haidang.vn' });
    const b = await createOrganization(actor, { name: 'Minh Long' });
    expect(await matchOrganization({ taxCode: '0101234567', name: 'Minh Long' })).toMatchObject({ by: 'taxCode', organization: { _id: a._id } });
    expect(await matchOrganization({ email: 'lan@haidang.vn', name: 'Minh Long' })).toMatchObject({ by: 'domain', organization: { _id: a._id } });
    expect(await matchOrganization({ email: 'lan@gmail.com', name: 'Công ty CP Minh Long' })).toMatchObject({ by: 'name', organization: { _id: b._id } });
    await createOrganization(actor, { name: 'Gmail fan club', domain: 'gmail.com' });
    expect(await matchOrganization({ email: 'x@gmail.com' })).toBeNull();
    expect(await matchOrganization({ name: 'Không Ai' })).toBeNull();
  });

  it('finds organizations without diacritics, by tax code and by TC code, within what the actor sees', async () => {
    const { actor: manager } = await makeStaff('manager');
    const { user: lan, actor: lanActor } = await makeStaff('sales');
    const { actor: binhActor } = await makeStaff('sales');
    const org = await createOrganization(manager, { name: 'Công ty Cổ phần Đại Phát', taxCode: '0301112223' });
    for (const q of ['dai phat', 'Đại Phát', '0301112223', 'tc1']) {
      expect((await findOrganizations(manager, q)).organizations.map((o) => o.name)).toEqual(['Công ty Cổ phần Đại Phát']);
    }
    expect((await findOrganizations(lanActor, 'dai phat')).organizations).toEqual([]);
    // Lan owns a contact there: she now sees it; Binh still does not.
    const contact = await createCustomer(lanActor, { name: 'Chị Hoa', phones: ['0987000111'] });
    await linkContact(manager, org._id, contact._id, { jobTitle: 'Kế toán trưởng', contactRole: 'accountant' });
    expect((await findOrganizations(lanActor, 'dai phat')).organizations).toHaveLength(1);
    await expect(getOrganizationForActor(binhActor, org._id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(updateOrganization(lanActor, org._id, { owner: String(lan._id) })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(deleteOrganization(binhActor, org._id)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it("a salesperson's search gives what a search within their scope gives, in the same order, with few matches and with many", async () => {
    const { actor: manager, user: boss } = await makeStaff('manager');
    const { user: lan, actor: lanActor } = await makeStaff('sales');
    // 60 companies with "Minh" in the name (more than a salesperson's search reads before asking
    // for their scope), each with "Long" or "An" too: Lan's own, others' where Lan has a contact,
    // others' without, and one deleted.
    const made = [];
    for (let i = 0; i < 60; i++) {
      const owner = i % 3 === 0 ? lan._id : boss._id;
      made.push(await createOrganization(manager, { name: `Công ty TNHH Minh ${i % 2 ? 'Long' : 'An'} ${i}`, owner: String(owner) }));
    }
    for (const i of [4, 7, 11, 20, 41, 50]) {
      const contact = await createCustomer(lanActor, { name: `Liên hệ ${i}`, phones: [`09870${String(i).padStart(5, '0')}`] });
      await linkContact(manager, made[i]!._id, contact._id, {});
    }
    // Someone else's contact at a company gives Lan nothing.
    const other = await createCustomer(manager, { name: 'Người khác', phones: ['0987099999'], owner: boss._id });
    await linkContact(manager, made[5]!._id, other._id, {});
    await deleteOrganization(manager, made[7]!._id);
    // Updated in a shuffled order, so the newest first is not the creation order.
    for (const i of [13, 2, 41, 50, 4, 26]) await updateOrganization(manager, made[i]!._id, { notes: 'gọi lại' });

    const withinScope = async (q: string, limit: number) =>
      (await Organization.find({ ...organizationSearchFilter(q), deletedAt: null, ...(await organizationScope(lanActor)) }).sort({ updatedAt: -1 }).limit(limit + 1).lean()).map((o) => o.name);
    for (const q of ['minh', 'minh long', 'minh an', 'long 4', 'an 2']) {
      for (const limit of [1, 5, 100]) {
        const expected = await withinScope(q, limit);
        const found = await findOrganizations(lanActor, q, { limit });
        expect(found.organizations.map((o) => o.name)).toEqual(expected.slice(0, limit));
        expect(found.more).toBe(expected.length > limit);
      }
    }
    expect((await findOrganizations(lanActor, 'minh long', { limit: 100 })).organizations.map((o) => o.name)).toContain('Công ty TNHH Minh Long 11');
    expect((await findOrganizations(lanActor, 'minh long', { limit: 100 })).organizations.map((o) => o.name)).not.toContain('Công ty TNHH Minh Long 5');
  });

  it('links and unlinks a contact; the customer card shows the organization', async () => {
    const { actor } = await makeStaff('manager');
    const org = await createOrganization(actor, { name: 'Hải Đăng' });
    const c = await createCustomer(actor, { name: 'Anh Tú', phones: ['0912000111'] });
    await expect(linkContact(actor, org._id, c._id, { contactRole: 'boss' })).rejects.toMatchObject({ code: 'invalid' });
    await linkContact(actor, org._id, c._id, { jobTitle: 'Giám đốc', contactRole: 'decision_maker' });
    const card = await getCustomerCard(actor, c._id);
    expect(card.organization).toEqual({ id: String(org._id), code: 'TC000001', name: 'Hải Đăng' });
    expect(card.customer).toMatchObject({ jobTitle: 'Giám đốc', contactRole: 'decision_maker' });
    await unlinkContact(actor, c._id);
    expect((await getCustomerCard(actor, c._id)).organization).toBeNull();
  });
});

describe('capturing a lead with a company', () => {
  it('links to the organization with the same tax code, else creates one owned by the lead owner', async () => {
    const { actor } = await makeStaff('manager');
    const existing = await createOrganization(actor, { name: 'Hải Đăng', taxCode: '0101234567' });
    const first = await captureLead({ channel: 'manual', name: 'Lan', phone: '0912345678', company: { name: 'Tên khác', taxCode: '0101 234 567' } });
    expect(first.company).toMatchObject({ by: 'taxCode', linked: true });
    expect(String((await Customer.findById(first.customer._id))!.organization)).toBe(String(existing._id));
    const second = await captureLead({ channel: 'manual', name: 'Tú', phone: '0912345679', company: { name: 'Công ty TNHH Mới Toanh' } });
    expect(second.company).toMatchObject({ by: 'new', organization: { code: 'TC000002', name: 'Công ty TNHH Mới Toanh' } });
    expect(String(second.company!.organization.owner)).toBe(String(second.customer.owner));
  });

  it('links by company email domain, and a name match only when not told it is another company', async () => {
    const { actor } = await makeStaff('manager');
    const org = await createOrganization(actor, { name: 'Minh Long', website: 'minhlong.vn' });
    const byDomain = await captureLead({ channel: 'manual', name: 'Hoa', phone: '0912345670', email: 'hoa@minhlong.vn', company: { name: 'ML' } });
    expect(byDomain.company).toMatchObject({ by: 'domain', organization: { _id: org._id } });
    const byName = await captureLead({ channel: 'manual', name: 'Hà', phone: '0912345671', company: { name: 'CTCP Minh Long' } });
    expect(byName.company).toMatchObject({ by: 'name', organization: { _id: org._id } });
    const other = await captureLead({ channel: 'manual', name: 'Hưng', phone: '0912345672', company: { name: 'Minh Long', nameMatch: 'new' } });
    expect(other.company).toMatchObject({ by: 'new' });
    expect(await Organization.countDocuments()).toBe(2);
  });

  it('refuses a malformed tax code before storing the person', async () => {
    await expect(captureLead({ channel: 'manual', name: 'Lan', phone: '0912345678', company: { taxCode: '12345' } })).rejects.toMatchObject({ code: 'organization.taxCodeInvalid' });
    expect(await Customer.countDocuments()).toBe(0);
  });
});

describe('CSV import with Công ty and MST', () => {
  it('previews which rows join an organization on record and which create one, then links them once per company', async () => {
    const { user, actor } = await makeStaff('manager');
    const known = await createOrganization(actor, { name: 'Công ty TNHH Thép Việt', taxCode: '0101234567' });
    const csv = [
      'Họ tên,Số điện thoại,Công ty,MST',
      'Anh Đức,0912000001,Thép Việt,0101234567',
      'Chị Hoa,0912000002,Công ty CP Gạch Men Á Châu,',
      'Anh Nam,0912000003,Gạch men Á Châu JSC,',
      'Chị Lan,0912000004,Sai Mã,12345',
      'Chị Thu,0912000005,,',
    ].join('\n');
    const withEmail = 'Họ tên,Số điện thoại,Email,Công ty\nAnh Bảo,0912000006,bao@minhlong.vn,ML Group\nAnh Toàn,0912000007,toan@gmail.com,ML Group';
    const preview = await previewImport(actor, csv);
    expect(preview.rows.map((r) => [r.name, r.action, r.reason, r.organization?.action, r.organization?.code])).toEqual([
      ['Anh Đức', 'create', undefined, 'link', 'TC000001'],
      ['Chị Hoa', 'create', undefined, 'create', undefined],
      ['Anh Nam', 'create', undefined, 'create', undefined],
      ['Chị Lan', 'refuse', 'taxCodeInvalid', undefined, undefined],
      ['Chị Thu', 'create', undefined, undefined, undefined],
    ]);
    expect(await Organization.countDocuments()).toBe(1);

    await commitImport(actor, csv);
    const orgOf = async (name: string) => (await Customer.findOne({ name }).lean())!.organization;
    expect(await orgOf('Anh Đức')).toEqual(known._id);
    const created = await Organization.findOne({ name: 'Công ty CP Gạch Men Á Châu' }).lean();
    expect(created).toMatchObject({ code: 'TC000002', owner: user._id });
    expect(await orgOf('Anh Nam')).toEqual(created!._id);
    expect(await orgOf('Chị Thu')).toBeUndefined();
    expect(await Organization.countDocuments()).toBe(2);
    // The same file again merges by phone and creates no second organization.
    await commitImport(actor, csv);
    expect(await Organization.countDocuments()).toBe(2);
    // A company mail domain on record links the row, whatever the company is called in the file.
    const minhLong = await createOrganization(actor, { name: 'Minh Long', website: 'minhlong.vn' });
    const byDomain = await previewImport(actor, withEmail);
    expect(byDomain.rows.map((r) => [r.name, r.organization?.action, r.organization?.code])).toEqual([
      ['Anh Bảo', 'link', minhLong.code],
      ['Anh Toàn', 'create', undefined],
    ]);
  });
});
