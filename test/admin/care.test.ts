import { startPanel, Browser, ADMIN, makeUser } from './harness.js';
import { CareTemplate } from '../../models/careTemplate.js';
import { Customer } from '../../models/customer.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { userActor } from '../../crm/users/actor.js';

/**
 * Care templates and the customer's birthday in the panel, through AdminJS's API routes as each
 * role: admins and managers write the templates, a salesperson reaches them by no route; the
 * birthday is typed on the customer form as in chat and refused when the date does not exist.
 */
let panel: Awaited<ReturnType<typeof startPanel>>;
let admin: Browser;
let manager: Browser;
let lan: Browser;
let lanUser: { _id: import('mongoose').Types.ObjectId; name: string };
let minhUser: { _id: import('mongoose').Types.ObjectId; name: string };
const R = '/resources/CareTemplate';

beforeAll(async () => {
  panel = await startPanel();
  lanUser = await makeUser('sales', 'lan@chot.test');
  minhUser = await makeUser('sales', 'minh@chot.test');
  await makeUser('manager', 'hoa@chot.test');
  [admin, manager, lan] = [new Browser(panel.base), new Browser(panel.base), new Browser(panel.base)];
  expect((await admin.login(ADMIN.email, ADMIN.password)).status).toBe(302);
  expect((await manager.login('hoa@chot.test', 'mat-khau-12345')).status).toBe(302);
  expect((await lan.login('lan@chot.test', 'mat-khau-12345')).status).toBe(302);
}, 60_000);

afterAll(async () => {
  await panel?.stop();
});

function expectRefused(res: { status: number; data: any }) {
  if (res.status !== 403) expect(res.data?.notice?.message).toBe('forbiddenError');
}

const as = (u: { _id: unknown }) => userActor({ _id: u._id as never, role: 'sales' });

describe('care templates in the panel', () => {
  it('an admin writes a birthday template and a manager an after-won one; both are stored as typed', async () => {
    const birthday = await admin.api('POST', `${R}/actions/new`, { name: 'Chúc sinh nhật', kind: 'birthday', text: 'Chúc mừng sinh nhật {ten}! — {nguoi_phu_trach}', hour: '8', active: 'true' });
    expect(birthday.data.notice?.type).toBe('success');
    const afterWon = await manager.api('POST', `${R}/actions/new`, { name: 'Hỏi thăm', kind: 'days_after_won', days: '7', text: 'Anh/chị {ten} dùng thấy thế nào ạ?', hour: '10', active: 'true' });
    expect(afterWon.data.notice?.type).toBe('success');
    expect(await CareTemplate.find().sort({ name: 1 }).select('-_id name kind days hour active').lean()).toEqual([
      { name: 'Chúc sinh nhật', kind: 'birthday', days: null, hour: 8, active: true },
      { name: 'Hỏi thăm', kind: 'days_after_won', days: 7, hour: 10, active: true },
    ]);

    // Switched off from the edit form.
    const id = String((await CareTemplate.findOne({ kind: 'birthday' }).lean())!._id);
    const off = await admin.api('POST', `${R}/records/${id}/edit`, { active: 'false' });
    expect(off.data.notice?.type).toBe('success');
    expect((await CareTemplate.findById(id).lean())!.active).toBe(false);
  });

  it('refuses an unknown placeholder, an hour outside 0–23 and an after-won template without N, naming the field; nothing is stored', async () => {
    const before = await CareTemplate.countDocuments();
    const typo = await admin.api('POST', `${R}/actions/new`, { name: 'Lỗi', kind: 'birthday', text: 'Chào {tenn}', hour: '9' });
    expect(typo.data.notice).toMatchObject({ type: 'error', message: 'crmError_invalid', options: { field: 'placeholders', placeholders: '{tenn}' } });
    const hour = await admin.api('POST', `${R}/actions/new`, { name: 'Lỗi', kind: 'birthday', text: 'Chào {ten}', hour: '25' });
    expect(hour.data.notice).toMatchObject({ type: 'error', options: { field: 'hour' } });
    const days = await admin.api('POST', `${R}/actions/new`, { name: 'Lỗi', kind: 'days_after_won', text: 'Chào {ten}', hour: '9' });
    expect(days.data.notice).toMatchObject({ type: 'error', options: { field: 'days' } });
    expect(await CareTemplate.countDocuments()).toBe(before);
  });

  it('a salesperson cannot list, open, create, edit or delete care templates by any route', async () => {
    const template = await CareTemplate.create({ name: 'Mẫu', kind: 'birthday', text: 'Chào {ten}', hour: 9 });
    expectRefused(await lan.api('GET', `${R}/actions/list`));
    expectRefused(await lan.api('GET', `${R}/records/${template._id}/show`));
    expectRefused(await lan.api('POST', `${R}/actions/new`, { name: 'Của Lan', kind: 'birthday', text: 'Chào {ten}', hour: '9' }));
    expectRefused(await lan.api('POST', `${R}/records/${template._id}/edit`, { active: 'false' }));
    expectRefused(await lan.api('POST', `${R}/records/${template._id}/delete`));
    expect(await CareTemplate.findById(template._id).lean()).toMatchObject({ name: 'Mẫu', active: true });
    expect(await CareTemplate.countDocuments({ name: 'Của Lan' })).toBe(0);
    // The change from another origin is refused at the front door, even for an admin.
    const foreign = await admin.request('POST', `/admin/api${R}/records/${template._id}/edit`, { active: 'false' }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect((await CareTemplate.findById(template._id).lean())!.active).toBe(true);
  });
});

describe('the birthday on the customer form', () => {
  it('is typed as in chat, shown again on the edit form, and a date that does not exist is refused with nothing else saved', async () => {
    const mine = await createCustomer(as(lanUser), { name: 'Chị Thu', phones: ['0911000101'] });
    const res = await lan.api('POST', `/resources/Customer/records/${mine._id}/edit`, { name: 'Chị Thu', birthdayText: '12/05/1990' });
    expect(res.data.notice?.type).toBe('success');
    expect((await Customer.findById(mine._id).lean())!.birthday).toEqual({ day: 12, month: 5, year: 1990 });
    const form = await lan.api('GET', `/resources/Customer/records/${mine._id}/edit`);
    expect(form.data.record.params.birthdayText).toBe('12/05/1990');

    const bad = await lan.api('POST', `/resources/Customer/records/${mine._id}/edit`, { name: 'Chị Thu Đổi Tên', birthdayText: '30/2' });
    expect(bad.data.notice).toMatchObject({ type: 'error', message: 'crmError_birthday_invalid', options: { input: '30/2' } });
    const after = await Customer.findById(mine._id).lean();
    expect(after!.name).toBe('Chị Thu');
    expect(after!.birthday).toEqual({ day: 12, month: 5, year: 1990 });

    const created = await admin.api('POST', '/resources/Customer/actions/new', { name: 'Anh Nam', 'phones.0': '0911000102', birthdayText: '29/2' });
    expect(created.data.notice?.type).toBe('success');
    expect((await Customer.findOne({ name: 'Anh Nam' }).lean())!.birthday).toEqual({ day: 29, month: 2 });
  });

  it("a salesperson cannot set the birthday of a colleague's customer", async () => {
    const theirs = await createCustomer(as(minhUser), { name: 'Anh Khoa', phones: ['0911000103'] });
    expectRefused(await lan.api('POST', `/resources/Customer/records/${theirs._id}/edit`, { birthdayText: '1/1' }));
    expect((await Customer.findById(theirs._id).lean())!.birthday).toBeUndefined();
  });
});
