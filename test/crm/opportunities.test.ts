import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { loseNextUpsertRace } from '../helpers/races.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { logInteraction } from '../../crm/interactions/interactions.js';
import {
  createOpportunity,
  deleteOpportunity,
  getOpportunityForActor,
  listOpportunities,
  listOpportunityStages,
  loseOpportunity,
  moveOpportunity,
  pipelineSummary,
  updateOpportunity,
  winOpportunity,
} from '../../crm/opportunities/index.js';
import { changeStage } from '../../crm/stages/changeStage.js';
import { seedDefaults } from '../../crm/seed/defaults.js';
import { Deal } from '../../models/deal.js';
import { Opportunity } from '../../models/opportunity.js';
import { AuditLog } from '../../models/auditLog.js';
import { OpportunityStage } from '../../models/opportunityStage.js';
import { Organization } from '../../models/organization.js';
import { Source } from '../../models/source.js';

useTestDatabase();

const stage = async (code: string) => (await OpportunityStage.findOne({ code }).lean())!;

async function salesWithCustomer(name = 'Công ty Hoà Bình') {
  const sales = await makeStaff('sales');
  const source = await Source.findOne({ code: 'facebook' }).lean();
  // 090 is a Mobifone prefix every phone library accepts; a random 09x (e.g. 0992…) may not be a valid number.
  const customer = await createCustomer(sales.actor, { name, phones: [`090${Math.floor(1000000 + Math.random() * 8999999)}`], source: source!._id });
  return { ...sales, customer };
}

describe('the opportunity pipeline', () => {
  it('is seeded for new and existing installs, once, in MISA order with default probabilities', async () => {
    await seedDefaults();
    const stages = await listOpportunityStages();
    expect(stages.map((s) => [s.name, s.kind, s.probability])).toEqual([
      ['Tiếp cận', 'open', 10],
      ['Đánh giá nhu cầu', 'open', 30],
      ['Gửi báo giá', 'open', 50],
      ['Thương lượng', 'open', 75],
      ['Thắng', 'won', 100],
      ['Thua', 'lost', 0],
    ]);
  });
});

describe('opportunities', () => {
  it('audits who opened, edited and deleted an opportunity, naming only the fields that were given', async () => {
    const { actor, customer } = await salesWithCustomer();
    const opp = await createOpportunity(actor, { customer: customer._id, name: 'Máy lọc nước 20 phòng', value: '40tr' });
    await updateOpportunity(actor, opp._id, { value: '45tr', probability: '50' });
    await deleteOpportunity(actor, opp._id);
    await deleteOpportunity(actor, opp._id).catch(() => undefined);
    const lines = await AuditLog.find({ subject: 'opportunity', recordId: opp._id }).sort({ at: 1, _id: 1 }).lean();
    expect(lines.map((l) => [l.action, l.details])).toEqual([
      ['create', 'Máy lọc nước 20 phòng'],
      ['edit', 'value, probability'],
      ['delete', 'Máy lọc nước 20 phòng'],
    ]);
  });

  it('several per customer: owner and source come from the customer, value is read as typed, step probability applies', async () => {
    const { actor, user, customer } = await salesWithCustomer();
    const a = await createOpportunity(actor, { customer: customer._id, name: 'Phần mềm 50 máy', value: '35tr', expectedCloseAt: new Date('2026-12-31') });
    const b = await createOpportunity(actor, { customer: customer._id, name: 'Bảo trì năm', value: '1,2 tỷ', probability: '60%' });
    expect(a).toMatchObject({ code: expect.stringMatching(/^CH\d{6}$/), value: 35_000_000, probability: 10, status: 'open', owner: user._id, source: customer.source });
    expect(b).toMatchObject({ value: 1_200_000_000, probability: 60 });
    expect(a.code).not.toBe(b.code);
    expect(await listOpportunities(actor, { customer: customer._id })).toHaveLength(2);
    await expect(createOpportunity(actor, { customer: customer._id, name: 'X', value: 'ba mươi' })).rejects.toMatchObject({ code: 'opportunity.valueInvalid' });
    await expect(createOpportunity(actor, { customer: customer._id, name: '  ' })).rejects.toMatchObject({ code: 'opportunity.nameRequired' });
    await expect(createOpportunity(actor, { customer: customer._id, name: 'X', probability: 130 })).rejects.toMatchObject({ code: 'opportunity.probabilityInvalid' });
    await expect(createOpportunity(actor, { name: 'X' })).rejects.toMatchObject({ code: 'opportunity.targetRequired' });
  });

  it('an organization opportunity takes the organization’s owner when a manager opens it', async () => {
    const { user: owner } = await makeStaff('sales');
    const { actor: manager } = await makeStaff('manager');
    const org = await Organization.create({ code: 'TC000001', name: 'Công ty Minh Long', owner: owner._id });
    const opp = await createOpportunity(manager, { organization: org._id, name: 'Máy chủ', value: 500_000_000 });
    expect(String(opp.owner)).toBe(String(owner._id));
    expect(opp.customer).toBeUndefined();
  });

  it('a salesperson sees and changes only their own; a manager sees all', async () => {
    const mine = await salesWithCustomer('Khách A');
    const theirs = await salesWithCustomer('Khách B');
    const { actor: manager } = await makeStaff('manager');
    const opp = await createOpportunity(theirs.actor, { customer: theirs.customer._id, name: 'Đơn B', value: '50tr' });
    await createOpportunity(mine.actor, { customer: mine.customer._id, name: 'Đơn A', value: '20tr' });
    await expect(getOpportunityForActor(mine.actor, opp._id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(updateOpportunity(mine.actor, opp._id, { value: '1tr' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(moveOpportunity(mine.actor, opp._id, (await stage('gui_bao_gia'))._id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(winOpportunity(mine.actor, opp._id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(createOpportunity(mine.actor, { customer: theirs.customer._id, name: 'Cướp' })).rejects.toMatchObject({ code: 'forbidden' });
    expect((await listOpportunities(mine.actor)).map((o) => o.name)).toEqual(['Đơn A']);
    expect((await listOpportunities(manager)).map((o) => o.name).sort()).toEqual(['Đơn A', 'Đơn B']);
    expect((await pipelineSummary(mine.actor)).total).toBe(20_000_000);
    expect(await Deal.countDocuments()).toBe(0);
    await expect(deleteOpportunity(mine.actor, opp._id)).rejects.toMatchObject({ code: 'forbidden' });
    await deleteOpportunity(manager, opp._id);
    expect((await listOpportunities(manager)).map((o) => o.name)).toEqual(['Đơn A']);
    expect((await pipelineSummary(manager)).total).toBe(20_000_000);
  });

  it('moving takes the step’s probability and counts as activity; a closed one cannot move', async () => {
    const { actor, customer } = await salesWithCustomer();
    const opp = await createOpportunity(actor, { customer: customer._id, name: 'Đơn', value: '10tr' }, { now: new Date('2026-11-01') });
    const moved = await moveOpportunity(actor, opp._id, (await stage('thuong_luong'))._id, { now: new Date('2026-11-20') });
    expect(moved.opportunity).toMatchObject({ probability: 75, lastActivityAt: new Date('2026-11-20') });
    await loseOpportunity(actor, opp._id, { reason: 'Giá cao' });
    await expect(moveOpportunity(actor, opp._id, (await stage('tiep_can'))._id)).rejects.toMatchObject({ code: 'opportunity.closed' });
  });

  it('logging an interaction with the customer touches their open opportunities', async () => {
    const { actor, customer } = await salesWithCustomer();
    const opp = await createOpportunity(actor, { customer: customer._id, name: 'Đơn' }, { now: new Date('2026-10-01') });
    await logInteraction(actor, customer._id, { type: 'call', text: 'Gọi hỏi báo giá', occurredAt: new Date('2026-11-15T03:00:00Z') });
    expect((await Opportunity.findById(opp._id).lean())!.lastActivityAt).toEqual(new Date('2026-11-15T03:00:00Z'));
  });

  it('losing needs a reason, by the lose action and by a move into the lost step', async () => {
    const { actor, customer } = await salesWithCustomer();
    const opp = await createOpportunity(actor, { customer: customer._id, name: 'Đơn', value: '10tr' });
    await expect(loseOpportunity(actor, opp._id, { reason: '   ' })).rejects.toMatchObject({ code: 'opportunity.reasonRequired' });
    await expect(moveOpportunity(actor, opp._id, (await stage('thua'))._id)).rejects.toMatchObject({ code: 'opportunity.reasonRequired' });
    expect((await Opportunity.findById(opp._id).lean())!.status).toBe('open');
    const lost = await loseOpportunity(actor, opp._id, { reason: 'Khách chọn bên khác' });
    expect(lost).toMatchObject({ status: 'lost', lostReason: 'Khách chọn bên khác', probability: 0, stage: (await stage('thua'))._id });
    await expect(winOpportunity(actor, opp._id)).rejects.toMatchObject({ code: 'opportunity.closed' });
    expect(await Deal.countDocuments()).toBe(0);
  });
});

describe('winning an opportunity', () => {
  it('records exactly one Deal with the final amount (default its value), and offers to move an open customer to Chốt', async () => {
    const { actor, user, customer } = await salesWithCustomer();
    const opp = await createOpportunity(actor, { customer: customer._id, name: 'Đơn', value: '35tr' });
    const win = await winOpportunity(actor, opp._id, { amount: '32tr' });
    expect(win.changed).toBe(true);
    expect(win.opportunity).toMatchObject({ status: 'won', probability: 100, stage: (await stage('thang'))._id });
    expect(win.offerCustomerWon).toMatchObject({ stageName: 'Chốt' });
    const again = await winOpportunity(actor, opp._id, { amount: '99tr' });
    expect(again).toMatchObject({ changed: false, dealId: win.dealId });
    const deals = await Deal.find().lean();
    expect(deals).toHaveLength(1);
    expect(deals[0]).toMatchObject({ amount: 32_000_000, customer: customer._id, owner: user._id, source: customer.source, opportunity: opp._id });

    // Accepting the offer moves the relationship without a second deal: revenue stays in one place.
    await changeStage(actor, customer._id, win.offerCustomerWon!.stageId);
    const other = await createOpportunity(actor, { customer: customer._id, name: 'Đơn 2', value: '5tr' });
    const viaMove = await moveOpportunity(actor, other._id, (await stage('thang'))._id);
    expect(viaMove.win?.offerCustomerWon).toBeUndefined();
    expect((await Deal.find({ opportunity: other._id }).lean()).map((d) => d.amount)).toEqual([5_000_000]);
    expect(await Deal.countDocuments()).toBe(2);
  });

  it('two wins at the same moment record one Deal', async () => {
    const { actor, customer } = await salesWithCustomer();
    const { actor: manager } = await makeStaff('manager');
    const opp = await createOpportunity(actor, { customer: customer._id, name: 'Đơn', value: '35tr' });
    let other: Awaited<ReturnType<typeof winOpportunity>> | undefined;
    const race = loseNextUpsertRace(Deal.collection, async () => {
      other = await winOpportunity(manager, opp._id, { amount: '35tr' });
    });
    const mine = await winOpportunity(actor, opp._id, { amount: '35tr' });
    expect(race.fired && race.lookedUpNothing).toBe(true);
    expect(String(mine.dealId)).toBe(String(other!.dealId));
    expect(await Deal.countDocuments({ opportunity: opp._id })).toBe(1);
    expect((await Opportunity.findById(opp._id).lean())!.deal).toEqual(mine.dealId);
  });

  it('many taps at once still record one Deal', async () => {
    const { actor, customer } = await salesWithCustomer();
    const opp = await createOpportunity(actor, { customer: customer._id, name: 'Đơn', value: '35tr' });
    await Promise.all(Array.from({ length: 5 }, () => winOpportunity(actor, opp._id)));
    expect(await Deal.countDocuments()).toBe(1);
  });
});

describe('pipeline summary', () => {
  it('counts, totals and weighted totals by step, and per owner for a manager (hand-computed)', async () => {
    const a = await salesWithCustomer('Khách A');
    const b = await salesWithCustomer('Khách B');
    const { actor: manager } = await makeStaff('manager');
    const quote = (await stage('gui_bao_gia'))._id;
    await createOpportunity(a.actor, { customer: a.customer._id, name: '1', value: '100tr' }); // Tiếp cận 10% → 10tr
    await createOpportunity(a.actor, { customer: a.customer._id, name: '2', value: '40tr', probability: 25 }); // Tiếp cận 25% → 10tr
    await createOpportunity(a.actor, { customer: a.customer._id, name: '3', value: '200tr', stage: quote }); // Gửi báo giá 50% → 100tr
    await createOpportunity(b.actor, { customer: b.customer._id, name: '4', value: '1 tỷ', stage: quote, probability: 80 }); // 800tr
    const won = await createOpportunity(b.actor, { customer: b.customer._id, name: '5', value: '9 tỷ' });
    await winOpportunity(b.actor, won._id);

    const mine = await pipelineSummary(a.actor);
    expect(mine.stages.map((s) => [s.stage.name, s.count, s.total, s.weighted])).toEqual([
      ['Tiếp cận', 2, 140_000_000, 20_000_000],
      ['Đánh giá nhu cầu', 0, 0, 0],
      ['Gửi báo giá', 1, 200_000_000, 100_000_000],
      ['Thương lượng', 0, 0, 0],
    ]);
    expect(mine).toMatchObject({ count: 3, total: 340_000_000, weighted: 120_000_000 });
    expect(mine.owners).toBeUndefined();

    const team = await pipelineSummary(manager);
    expect(team).toMatchObject({ count: 4, total: 1_340_000_000, weighted: 920_000_000 });
    expect(team.owners!.map((o) => [o.name, o.count, o.total, o.weighted])).toEqual([
      [b.user.name, 1, 1_000_000_000, 800_000_000],
      [a.user.name, 3, 340_000_000, 120_000_000],
    ]);
    expect((await pipelineSummary(manager, { owner: a.user._id })).weighted).toBe(120_000_000);
  });
});
