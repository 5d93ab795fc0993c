import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { changeStage } from '../../crm/stages/changeStage.js';
import { logInteraction } from '../../crm/interactions/interactions.js';
import { sweepDontForget } from '../../crm/dontForget/sweepDontForget.js';
import { updateSettings } from '../../crm/settings/settings.js';
import { listAssignableStages, reorderStages, listStages, setDefaultStage } from '../../crm/stages/stages.js';
import { SYSTEM } from '../../crm/users/actor.js';
import { Customer } from '../../models/customer.js';
import { Stage } from '../../models/stage.js';
import { StageChange } from '../../models/stageChange.js';
import { Deal } from '../../models/deal.js';
import { Source } from '../../models/source.js';
import { seedDefaults } from '../../crm/seed/defaults.js';

useTestDatabase();

const DAY = 24 * 60 * 60 * 1000;
const stage = async (code: string) => (await Stage.findOne({ code }).lean())!;

describe('stages', () => {
  it('keep the order of an installation made before the Getfly order when seeding runs again', async () => {
    // The order chot shipped before: Tiềm năng before Nóng, Chốt before Mất.
    const older = ['moi', 'tiep_can', 'tiem_nang', 'nong', 'dung_quen', 'chot', 'mat'];
    for (const [i, code] of older.entries()) await Stage.updateOne({ code }, { $set: { order: (i + 1) * 10 } });
    await seedDefaults();
    expect((await listStages()).map((s) => s.code)).toEqual(older);
  });

  it('are seeded once, in Getfly\'s order, with Mới as the default, and seeding again changes nothing an admin edited', async () => {
    const stages = await listStages();
    expect(stages.map((s) => s.name)).toEqual(['Mới', 'Tiếp cận', 'Nóng', 'Tiềm năng', 'Đừng quên', 'Mất', 'Chốt']);
    expect(stages.filter((s) => s.isDefault).map((s) => s.code)).toEqual(['moi']);
    await Stage.updateOne({ code: 'nong' }, { $set: { name: 'Rất nóng', color: '#ff0000' } });
    await seedDefaults();
    expect(await Stage.countDocuments()).toBe(7);
    expect((await stage('nong')).name).toBe('Rất nóng');
  });

  it('follow a new order, and the dormant stage is never offered for picking', async () => {
    const stages = await listStages();
    const nong = stages.find((s) => s.code === 'nong')!;
    await reorderStages([nong._id, ...stages.filter((s) => s !== nong).map((s) => s._id)]);
    const assignable = await listAssignableStages();
    expect(assignable[0].code).toBe('nong');
    expect(assignable.map((s) => s.code)).not.toContain('dung_quen');
  });

  it('have at most one default', async () => {
    await setDefaultStage((await stage('tiep_can'))._id);
    expect((await Stage.find({ isDefault: true }).lean()).map((s) => s.code)).toEqual(['tiep_can']);
  });
});

describe('changeStage', () => {
  it('moves the customer and records who moved it from where to where', async () => {
    const { user, actor } = await makeStaff('sales');
    const c = await createCustomer(actor, { name: 'A' });
    const result = await changeStage(actor, c._id, (await stage('tiem_nang'))._id, { reason: 'Quan tâm' });
    expect(result.changed).toBe(true);
    expect(String((await Customer.findById(c._id).lean())?.stage)).toBe(String((await stage('tiem_nang'))._id));
    const history = await StageChange.find({ customer: c._id }).lean();
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ reason: 'Quan tâm' });
    expect(String(history[0].by)).toBe(String(user._id));
    expect(String(history[0].from)).toBe(String((await stage('moi'))._id));
  });

  it('refuses the dormant stage by hand and an inactive stage, changing nothing', async () => {
    const { actor } = await makeStaff('manager');
    const c = await createCustomer(actor, { name: 'A' });
    const before = await Customer.findById(c._id).lean();
    await expect(changeStage(actor, c._id, (await stage('dung_quen'))._id)).rejects.toMatchObject({ code: 'stage.dormantByHand' });
    await Stage.updateOne({ code: 'nong' }, { $set: { active: false } });
    await expect(changeStage(actor, c._id, (await stage('nong'))._id)).rejects.toMatchObject({ code: 'stage.inactive' });
    expect(await StageChange.countDocuments()).toBe(0);
    expect(await Customer.findById(c._id).lean()).toEqual(before);
    expect(await Deal.countDocuments()).toBe(0);
  });

  it('records a deal with the amount when the customer is won, credited to owner and source', async () => {
    const { user, actor } = await makeStaff('sales');
    const facebook = (await Source.findOne({ code: 'facebook' }).lean())!;
    const d = await createCustomer(actor, { name: 'B', source: facebook._id });
    await changeStage(actor, d._id, (await stage('chot'))._id, { dealAmount: 50_000_000 });
    const deals = await Deal.find().lean();
    expect(deals).toHaveLength(1);
    expect(deals[0]).toMatchObject({ amount: 50_000_000 });
    expect(String(deals[0].owner)).toBe(String(user._id));
    expect(String(deals[0].source)).toBe(String(facebook._id));
    await expect(changeStage(actor, d._id, (await stage('mat'))._id, { dealAmount: -5 })).rejects.toMatchObject({ code: 'deal.amountInvalid' });
  });

  it('a salesperson cannot move another salesperson’s customer', async () => {
    const { actor: a } = await makeStaff('sales');
    const { actor: b } = await makeStaff('sales');
    const c = await createCustomer(a, { name: 'A' });
    await expect(changeStage(b, c._id, (await stage('nong'))._id)).rejects.toMatchObject({ code: 'forbidden' });
    expect(String((await Customer.findById(c._id).lean())?.stage)).toBe(String((await stage('moi'))._id));
  });
});

describe("the don't-forget sweep", () => {
  async function customerLastContacted(actor: Awaited<ReturnType<typeof makeStaff>>['actor'], name: string, daysAgo: number, stageCode = 'tiep_can') {
    const c = await createCustomer(actor, { name });
    await Customer.updateOne({ _id: c._id }, { $set: { lastContactAt: new Date(Date.now() - daysAgo * DAY), stage: (await stage(stageCode))._id } });
    return c;
  }

  it('moves open customers not contacted for dontForgetDays to Đừng quên, remembering their stage, and logs one change each', async () => {
    const { actor } = await makeStaff('sales');
    const old = await customerLastContacted(actor, 'Old', 31);
    const hot = await customerLastContacted(actor, 'Hot', 45, 'nong');
    const recent = await customerLastContacted(actor, 'Recent', 29);
    const won = await customerLastContacted(actor, 'Won', 90, 'chot');
    const neverContacted = await createCustomer(actor, { name: 'Never' });
    // createdAt is immutable through mongoose: age the record at the driver level.
    await Customer.collection.updateOne({ _id: neverContacted._id }, { $set: { createdAt: new Date(Date.now() - 40 * DAY) } });

    const result = await sweepDontForget(new Date());
    expect(result.moved.map((c) => c.name).sort()).toEqual(['Hot', 'Never', 'Old']);
    const dormant = await stage('dung_quen');
    for (const c of [old, hot, neverContacted]) expect(String((await Customer.findById(c._id).lean())?.stage)).toBe(String(dormant._id));
    expect(String((await Customer.findById(hot._id).lean())?.previousStage)).toBe(String((await stage('nong'))._id));
    expect(String((await Customer.findById(recent._id).lean())?.stage)).toBe(String((await stage('tiep_can'))._id));
    expect(String((await Customer.findById(won._id).lean())?.stage)).toBe(String((await stage('chot'))._id));
    const changes = await StageChange.find({ reason: 'dont_forget' }).lean();
    expect(changes).toHaveLength(3);
    expect(changes.every((ch) => ch.by == null)).toBe(true);
  });

  it('is idempotent: a second run moves and logs nothing more', async () => {
    const { actor } = await makeStaff('sales');
    await customerLastContacted(actor, 'Old', 31);
    await sweepDontForget(new Date());
    const again = await sweepDontForget(new Date());
    expect(again.moved).toEqual([]);
    expect(await StageChange.countDocuments()).toBe(1);
  });

  it('uses the threshold from Settings', async () => {
    const { actor } = await makeStaff('sales');
    await customerLastContacted(actor, 'Ten days', 10);
    expect((await sweepDontForget(new Date())).moved).toHaveLength(0);
    await updateSettings(SYSTEM, { dontForgetDays: 7 });
    expect((await sweepDontForget(new Date())).moved).toHaveLength(1);
  });

  it('finishes the audit of a sweep that crashed after moving customers', async () => {
    const { actor } = await makeStaff('sales');
    const c = await customerLastContacted(actor, 'Old', 31);
    // The state a crash between the move and the audit leaves behind.
    await Customer.updateOne(
      { _id: c._id },
      { $set: { stage: (await stage('dung_quen'))._id, previousStage: (await stage('tiep_can'))._id, dormantSince: new Date(), sweepPending: true } },
    );
    const result = await sweepDontForget(new Date());
    expect(result.moved.map((m) => m.name)).toEqual(['Old']);
    expect(await StageChange.countDocuments({ customer: c._id })).toBe(1);
    expect((await Customer.findById(c._id).lean())?.sweepPending).toBeUndefined();
  });

  it('a contact brings a dormant customer back to the stage it had, recorded as a system move', async () => {
    const { actor } = await makeStaff('sales');
    const c = await customerLastContacted(actor, 'Old', 31, 'nong');
    await sweepDontForget(new Date());
    const noteOnly = await logInteraction(actor, c._id, { type: 'note', text: 'ghi chú' });
    expect(noteOnly.revived).toBe(false);
    const call = await logInteraction(actor, c._id, { type: 'call', outcome: 'Nghe máy' });
    expect(call.revived).toBe(true);
    const stored = await Customer.findById(c._id).lean();
    expect(String(stored?.stage)).toBe(String((await stage('nong'))._id));
    expect(stored?.previousStage).toBeUndefined();
    const back = await StageChange.findOne({ customer: c._id, reason: 'contacted' }).lean();
    expect(back?.by).toBeUndefined();
    expect(String(back?.to)).toBe(String((await stage('nong'))._id));
  });

  it('a revived customer whose old stage was deactivated goes to the default stage', async () => {
    const { actor } = await makeStaff('sales');
    const c = await customerLastContacted(actor, 'Old', 31, 'tiem_nang');
    await sweepDontForget(new Date());
    await Stage.updateOne({ code: 'tiem_nang' }, { $set: { active: false } });
    await logInteraction(actor, c._id, { type: 'meeting' });
    expect(String((await Customer.findById(c._id).lean())?.stage)).toBe(String((await stage('moi'))._id));
  });
});

describe('logInteraction', () => {
  it('moves lastContactAt forward only, and a note does not count as contact', async () => {
    const { actor } = await makeStaff('sales');
    const c = await createCustomer(actor, { name: 'A' });
    const now = new Date();
    await logInteraction(actor, c._id, { type: 'call', occurredAt: now });
    await logInteraction(actor, c._id, { type: 'email', occurredAt: new Date(now.getTime() - 5 * DAY) });
    await logInteraction(actor, c._id, { type: 'note', occurredAt: new Date(now.getTime() + DAY) });
    expect((await Customer.findById(c._id).lean())?.lastContactAt?.getTime()).toBe(now.getTime());
  });

  it('refuses an unknown type and another salesperson', async () => {
    const { actor: a } = await makeStaff('sales');
    const { actor: b } = await makeStaff('sales');
    const c = await createCustomer(a, { name: 'A' });
    await expect(logInteraction(a, c._id, { type: 'fax' as never })).rejects.toMatchObject({ code: 'invalid' });
    await expect(logInteraction(b, c._id, { type: 'call' })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
