import type { Types } from 'mongoose';
import { startPanel, Browser, ADMIN, makeUser, loggedIn } from './harness.js';
import { Opportunity } from '../../models/opportunity.js';
import { OpportunityStage } from '../../models/opportunityStage.js';
import { Deal } from '../../models/deal.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { createOpportunity } from '../../crm/opportunities/index.js';
import { userActor } from '../../crm/users/actor.js';

/**
 * Opportunities in the panel through HTTP, as each role's browser uses it: the pipeline's steps
 * (admins only), the list and records (a salesperson sees their own), the board's moves (through
 * crm/opportunities, won asks the final amount, refusals leave the card where it was).
 */
let panel: Awaited<ReturnType<typeof startPanel>>;
let admin: Browser;
let manager: Browser;
let sales: Browser;
let lan: { _id: Types.ObjectId; name: string };
let minh: { _id: Types.ObjectId; name: string };

const R = '/resources';
const WON_STAGE = 'Chốt';

beforeAll(async () => {
  panel = await startPanel();
  lan = await makeUser('sales', 'lan@chot.test');
  minh = await makeUser('sales', 'minh@chot.test');
  await makeUser('manager', 'hoa@chot.test');
  admin = await loggedIn(panel.base, ADMIN.email, ADMIN.password);
  manager = await loggedIn(panel.base, 'hoa@chot.test');
  sales = await loggedIn(panel.base, 'lan@chot.test');
}, 60_000);

afterAll(async () => {
  await panel?.stop();
});

function expectRefused(res: { status: number; data: any }) {
  if (res.status !== 403) expect(res.data?.notice?.message).toBe('forbiddenError');
}

let phone = 100;
async function opportunityOf(owner: { _id: Types.ObjectId }, name: string, value: string) {
  const actor = userActor({ _id: owner._id, role: 'sales' });
  phone += 1;
  const customer = await createCustomer(actor, { name: `Khách của ${name}`, phones: [`0912000${phone}`] });
  return createOpportunity(actor, { name, customer: customer._id, value, expectedCloseAt: new Date('2026-12-20T03:00:00Z') });
}

const step = async (code: string) => (await OpportunityStage.findOne({ code }).lean())!;

describe('the pipeline steps', () => {
  it('are edited by admins only: a manager cannot add one', async () => {
    const refused = await manager.api('POST', `${R}/OpportunityStage/actions/new`, { name: 'Demo sản phẩm', kind: 'open', probability: '40' });
    expectRefused(refused);
    expect(await OpportunityStage.countDocuments({ name: 'Demo sản phẩm' })).toBe(0);
    const created = await admin.api('POST', `${R}/OpportunityStage/actions/new`, { name: 'Demo sản phẩm', kind: 'open', probability: '40', color: '#0ea5e9' });
    expect(created.data.notice.type).toBe('success');
    expect(await OpportunityStage.findOne({ name: 'Demo sản phẩm' }).lean()).toMatchObject({ kind: 'open', probability: 40, color: '#0ea5e9' });
  });

  it('are reordered by dragging: the order saved is the one given', async () => {
    const before = (await OpportunityStage.find().sort({ order: 1 }).lean()).map((s) => String(s._id));
    const swapped = [before[1], before[0], ...before.slice(2)];
    expectRefused(await manager.api('POST', `${R}/OpportunityStage/actions/reorder`, { ids: swapped.join(',') }));
    const res = await admin.api('POST', `${R}/OpportunityStage/actions/reorder`, { ids: swapped.join(',') });
    expect(res.data.notice.message).toBe('stagesReordered');
    expect((await OpportunityStage.find().sort({ order: 1 }).lean()).map((s) => String(s._id))).toEqual(swapped);
    await admin.api('POST', `${R}/OpportunityStage/actions/reorder`, { ids: before.join(',') });
  });

  it('refuses to delete a step an opportunity is in, saying how many, and keeps it', async () => {
    await opportunityOf(lan, 'Phần mềm kế toán 20 máy', '80tr');
    const first = await step('tiep_can');
    const res = await admin.api('POST', `${R}/OpportunityStage/records/${first._id}/delete`);
    expect(res.data.notice).toMatchObject({ message: 'crmError_opportunityStage_inUse', type: 'error', options: { count: 1 } });
    expect(await OpportunityStage.exists({ _id: first._id })).toBeTruthy();
    const unused = await OpportunityStage.findOne({ name: 'Demo sản phẩm' }).lean();
    expect((await admin.api('POST', `${R}/OpportunityStage/records/${unused!._id}/delete`)).data.notice.type).toBe('success');
    expect(await OpportunityStage.exists({ _id: unused!._id })).toBeNull();
  });

  it('refuses to remove the only lost step: the board always has a lost column', async () => {
    const lost = await step('thua');
    const res = await admin.api('POST', `${R}/OpportunityStage/records/${lost._id}/edit`, { kind: 'open' });
    expect(res.data.notice.message).toBe('crmError_opportunityStage_lastOfKind');
    expect((await OpportunityStage.findById(lost._id).lean())!.kind).toBe('lost');
  });
});

describe('the opportunity list and records', () => {
  it('shows a salesperson only their own, even when they ask for someone else\'s', async () => {
    const mine = await opportunityOf(lan, 'Máy chủ cho Công ty An Phát', '120tr');
    const theirs = await opportunityOf(minh, 'Bảo trì hệ thống Minh Long', '45tr');
    const list = await sales.api('GET', `${R}/Opportunity/actions/list?perPage=100`);
    const names = list.data.records.map((r: any) => r.params.name);
    expect(names).toContain(mine.name);
    expect(names).not.toContain(theirs.name);
    const row = list.data.records.find((r: any) => r.params.name === mine.name);
    expect(row.params.party).toBe('Khách của Máy chủ cho Công ty An Phát');
    const asked = await sales.api('GET', `${R}/Opportunity/actions/list?filters.owner=${minh._id}`);
    expect(asked.data.records).toHaveLength(0);
    const team = await manager.api('GET', `${R}/Opportunity/actions/list?filters.owner=${minh._id}`);
    expect(team.data.records.map((r: any) => r.params.name)).toEqual([theirs.name]);

    expectRefused(await sales.api('GET', `${R}/Opportunity/records/${theirs._id}/show`));
    expectRefused(await sales.api('POST', `${R}/Opportunity/records/${theirs._id}/edit`, { name: 'Đổi tên' }));
    expectRefused(await sales.api('POST', `${R}/Opportunity/records/${theirs._id}/win`, { amount: '45tr' }));
    const search = await sales.api('GET', `${R}/Opportunity/search/Minh`);
    expect(search.data.records ?? []).toHaveLength(0);
    expect((await Opportunity.findById(theirs._id).lean())!).toMatchObject({ name: theirs.name, status: 'open' });
    expect((await sales.api('GET', `${R}/Opportunity/records/${mine._id}/show`)).data.record.params.party).toBe('Khách của Máy chủ cho Công ty An Phát');
  });

  it('searches a picker by part of the name, any case, scoped like the list', async () => {
    await opportunityOf(lan, 'Camera cho Nhà hàng Sen Vàng', '30tr');
    await opportunityOf(lan, 'Máy in văn phòng', '12tr');
    await opportunityOf(minh, 'Camera kho Sen Hồng', '25tr');
    const found = async (who: Browser, q: string) => ((await who.api('GET', `${R}/Opportunity/actions/search/${encodeURIComponent(q)}`)).data.records ?? []).map((r: any) => r.params.name).sort();
    expect(await found(sales, 'camera')).toEqual(['Camera cho Nhà hàng Sen Vàng']);
    expect(await found(manager, 'SEN')).toEqual(['Camera cho Nhà hàng Sen Vàng', 'Camera kho Sen Hồng']);
  });

  it('filters by status, step and expected close date', async () => {
    const soon = await opportunityOf(lan, 'Lọc: chốt tháng 12', '10tr');
    const later = await opportunityOf(lan, 'Lọc: chốt năm sau', '10tr');
    await Opportunity.updateOne({ _id: later._id }, { $set: { expectedCloseAt: new Date('2027-03-10T03:00:00Z') } });
    const names = async (query: string) => (await manager.api('GET', `${R}/Opportunity/actions/list?perPage=200&${query}`)).data.records.map((r: any) => r.params.name);
    const december = await names('filters.expectedCloseAt~~from=2026-12-01&filters.expectedCloseAt~~to=2026-12-31');
    expect(december).toContain(soon.name);
    expect(december).not.toContain(later.name);
    const first = await step('tiep_can');
    expect(await names(`filters.stage=${first._id}&filters.status=open`)).toEqual(expect.arrayContaining([soon.name, later.name]));
    expect(await names('filters.status=won')).not.toContain(soon.name);
  });

  it('edits through crm: a Vietnamese amount is read, a wrong one refused with nothing lost', async () => {
    const o = await opportunityOf(lan, 'Camera cho kho Bình Dương', '30tr');
    const ok = await sales.api('POST', `${R}/Opportunity/records/${o._id}/edit`, { value: '1,2 tỷ' });
    expect(ok.data.notice.type).toBe('success');
    expect((await Opportunity.findById(o._id).lean())!.value).toBe(1_200_000_000);
    const bad = await sales.api('POST', `${R}/Opportunity/records/${o._id}/edit`, { value: 'khoảng 1 tỷ' });
    expect(bad.data.notice.message).toBe('crmError_opportunity_valueInvalid');
    expect((await Opportunity.findById(o._id).lean())!.value).toBe(1_200_000_000);
  });

  it('creates through crm for a salesperson\'s own customer only, with product lines, owned by them', async () => {
    const mineCustomer = await createCustomer(userActor({ _id: lan._id, role: 'sales' }), { name: 'Công ty Hoà Bình', phones: ['0912000301'] });
    const theirCustomer = await createCustomer(userActor({ _id: minh._id, role: 'sales' }), { name: 'Công ty Thái Sơn', phones: ['0912000302'] });
    const refused = await sales.api('POST', `${R}/Opportunity/actions/new`, { name: 'Gói của người khác', customer: String(theirCustomer._id), value: '10tr' });
    expect(refused.data.notice).toMatchObject({ message: 'crmError_forbidden', type: 'error' });
    expect(await Opportunity.countDocuments({ name: 'Gói của người khác' })).toBe(0);
    const created = await sales.api('POST', `${R}/Opportunity/actions/new`, {
      name: 'Trang bị phòng họp', customer: String(mineCustomer._id), value: '25tr', owner: String(minh._id),
      'lines.0.name': 'Màn hình 65 inch', 'lines.0.quantity': '2', 'lines.0.unitPrice': '12,5tr',
    });
    expect(created.data.notice.message).toBe('successfullyCreated');
    expect(await Opportunity.findOne({ name: 'Trang bị phòng họp' }).lean()).toMatchObject({
      owner: lan._id, value: 25_000_000, status: 'open', lines: [{ name: 'Màn hình 65 inch', quantity: 2, unitPrice: 12_500_000 }],
    });
  });

  it('wins from the record page with the final amount: exactly one deal', async () => {
    const o = await opportunityOf(lan, 'Bàn ghế văn phòng Hưng Thịnh', '60tr');
    const res = await sales.api('POST', `${R}/Opportunity/records/${o._id}/win`, { amount: '55tr' });
    // The customer is still at an open stage: the notice offers to move them to the won one.
    expect(res.data.notice).toMatchObject({ message: 'oppWonOfferCustomer', options: { stage: WON_STAGE } });
    expect(await Deal.find({ opportunity: o._id }).lean()).toMatchObject([{ amount: 55_000_000 }]);
    expect((await Opportunity.findById(o._id).lean())!.status).toBe('won');
  });
});

describe('the board', () => {
  const board = (b: Browser, query = '') => b.api('GET', `${R}/Opportunity/actions/board${query}`);
  const move = (b: Browser, data: Record<string, string>) => b.api('POST', `${R}/Opportunity/actions/board`, data);
  const cardsIn = (data: any, name: string) => data.columns.find((c: any) => c.name === name).cards.map((c: any) => c.name);

  it('has a column per step with totals and weighted totals, a salesperson\'s own cards only', async () => {
    await Opportunity.deleteMany({});
    await opportunityOf(lan, 'Gói CRM 10 người', '100tr');
    await opportunityOf(lan, 'Gói CRM 30 người', '200tr');
    await opportunityOf(minh, 'Gói CRM của Minh', '50tr');
    const res = await board(sales);
    expect(res.data.columns.map((c: any) => c.name)).toEqual(['Tiếp cận', 'Đánh giá nhu cầu', 'Gửi báo giá', 'Thương lượng', 'Thắng', 'Thua']);
    const first = res.data.columns[0];
    expect(first).toMatchObject({ count: 2, total: 300_000_000, weighted: 30_000_000 });
    expect(cardsIn(res.data, 'Tiếp cận').sort()).toEqual(['Gói CRM 10 người', 'Gói CRM 30 người']);
    expect(res.data.owners).toEqual([]);
    // A salesperson asking for another's board still gets their own.
    expect(cardsIn((await board(sales, `?owner=${minh._id}`)).data, 'Tiếp cận')).not.toContain('Gói CRM của Minh');
    const team = await board(manager, `?owner=${minh._id}`);
    expect(cardsIn(team.data, 'Tiếp cận')).toEqual(['Gói CRM của Minh']);
    expect(team.data.owners.length).toBeGreaterThan(0);
  });

  it('moves a card through crm: the step is stored with its probability', async () => {
    const o = await opportunityOf(lan, 'Thiết bị mạng Sài Gòn', '80tr');
    const quote = await step('gui_bao_gia');
    const res = await move(sales, { id: String(o._id), stage: String(quote._id) });
    expect(res.data.notice).toMatchObject({ message: 'oppMoved', type: 'success', options: { name: 'Thiết bị mạng Sài Gòn', stage: 'Gửi báo giá' } });
    expect(cardsIn(res.data, 'Gửi báo giá')).toContain('Thiết bị mạng Sài Gòn');
    expect((await Opportunity.findById(o._id).lean())!).toMatchObject({ stage: quote._id, probability: 50 });
  });

  it('asks the final amount before winning, then records one deal of that amount', async () => {
    const o = await opportunityOf(lan, 'Phần mềm nhân sự Hà Nội', '40tr');
    const won = await step('thang');
    const asked = await move(sales, { id: String(o._id), stage: String(won._id) });
    expect(asked.data.notice).toMatchObject({ message: 'oppAmountInvalid', type: 'error' });
    expect((await Opportunity.findById(o._id).lean())!.status).toBe('open');
    expect(await Deal.countDocuments({ opportunity: o._id })).toBe(0);
    expect(cardsIn(asked.data, 'Tiếp cận')).toContain('Phần mềm nhân sự Hà Nội');

    const res = await move(sales, { id: String(o._id), stage: String(won._id), amount: '35tr' });
    // The customer is still at an open stage: the notice offers to move them to the won one.
    expect(res.data.notice).toMatchObject({ message: 'oppWonOfferCustomer', options: { stage: WON_STAGE } });
    expect(await Deal.find({ opportunity: o._id }).lean()).toMatchObject([{ amount: 35_000_000 }]);
    expect(res.data.columns.find((c: any) => c.name === 'Thắng').cards.find((c: any) => c.name === 'Phần mềm nhân sự Hà Nội').value).toBe(35_000_000);
  });

  it('refuses a lost move without a reason, and another salesperson\'s card, leaving both where they were', async () => {
    const o = await opportunityOf(lan, 'Máy in Đà Nẵng', '15tr');
    const lost = await step('thua');
    const noReason = await move(sales, { id: String(o._id), stage: String(lost._id) });
    expect(noReason.data.notice).toMatchObject({ message: 'crmError_opportunity_reasonRequired', type: 'error' });
    expect(cardsIn(noReason.data, 'Tiếp cận')).toContain('Máy in Đà Nẵng');
    expect((await Opportunity.findById(o._id).lean())!.status).toBe('open');

    const theirs = await opportunityOf(minh, 'Máy in của Minh', '15tr');
    const refused = await move(sales, { id: String(theirs._id), stage: String((await step('gui_bao_gia'))._id) });
    expect(refused.data.notice).toMatchObject({ message: 'crmError_forbidden', type: 'error' });
    expect(String((await Opportunity.findById(theirs._id).lean())!.stage)).toBe(String((await step('tiep_can'))._id));

    const withReason = await move(sales, { id: String(o._id), stage: String(lost._id), reason: 'Khách chọn bên khác vì giá' });
    expect(withReason.data.notice.message).toBe('oppLostDone');
    expect((await Opportunity.findById(o._id).lean())!).toMatchObject({ status: 'lost', lostReason: 'Khách chọn bên khác vì giá' });
  });
});

describe('the dashboard', () => {
  it('adds the pipeline section, scoped like the rest', async () => {
    const team = await manager.api('GET', '/dashboard');
    const own = await sales.api('GET', '/dashboard');
    const openTotal = (d: any) => d.pipeline.stages.reduce((s: number, r: any) => s + r.total, 0);
    const mine = await Opportunity.find({ owner: lan._id, status: 'open', deletedAt: null }).lean();
    const all = await Opportunity.find({ status: 'open', deletedAt: null }).lean();
    expect(openTotal(own.data)).toBe(mine.reduce((s, o) => s + o.value, 0));
    expect(openTotal(team.data)).toBe(all.reduce((s, o) => s + o.value, 0));
    expect(own.data.pipeline.bySalesperson.map((r: any) => r.name)).toEqual([lan.name]);
    expect(own.data.pipeline.forecast).toHaveLength(2);
  });
});
