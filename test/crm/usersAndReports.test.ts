import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { createUser, verifyLogin, issueLinkCode, redeemLinkCode, findStaffByChat, setPassword } from '../../crm/users/users.js';
import { ensureFirstAdmin } from '../../crm/seed/defaults.js';
import { getSettings, updateSettings } from '../../crm/settings/settings.js';
import { captureLead } from '../../crm/customers/captureLead.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { changeStage } from '../../crm/stages/changeStage.js';
import { logInteraction } from '../../crm/interactions/interactions.js';
import { scheduleFollowUp } from '../../crm/followups/followups.js';
import {
  customersByStage,
  newCustomersBySource,
  conversionBySource,
  interactionsBySalesperson,
  revenueBySource,
  revenueBySalesperson,
  overdueFollowUpCount,
  personalStats,
  dormantCount,
} from '../../crm/reports/reports.js';
import { getAgenda, isAgendaEmpty } from '../../crm/reports/agenda.js';
import { monthOf } from '../../crm/reports/period.js';
import { SYSTEM, type Actor } from '../../crm/users/actor.js';
import { User } from '../../models/user.js';
import { Stage } from '../../models/stage.js';
import { FollowUp } from '../../models/followUp.js';
import { Customer } from '../../models/customer.js';
import { loseNextUpsertRace } from '../helpers/races.js';

useTestDatabase();

const stageId = async (code: string) => (await Stage.findOne({ code }).lean())!._id;

describe('users', () => {
  it('only an admin creates staff; passwords are stored hashed and checked on login', async () => {
    const { actor: admin } = await makeStaff('admin');
    const { actor: manager } = await makeStaff('manager');
    await expect(createUser(manager, { name: 'X', email: 'x@a.vn', role: 'sales', password: 'secret123' })).rejects.toMatchObject({ code: 'forbidden' });
    const user = await createUser(admin, { name: 'Lan', email: 'Lan@A.vn', role: 'sales', password: 'secret123' });
    expect((user as unknown as Record<string, unknown>).passwordHash).toBeUndefined();
    const stored = await User.findById(user._id).select('+passwordHash').lean();
    expect(stored?.passwordHash).toMatch(/^\$2[aby]\$/);
    expect(await verifyLogin('lan@a.vn', 'secret123')).toMatchObject({ email: 'lan@a.vn' });
    expect(await verifyLogin('lan@a.vn', 'wrong')).toBeNull();
    expect(await verifyLogin({ $gt: '' } as never, 'secret123')).toBeNull();
    await User.updateOne({ _id: user._id }, { $set: { active: false } });
    expect(await verifyLogin('lan@a.vn', 'secret123')).toBeNull();
  });

  it('a user changes their own password; only an admin changes someone else’s', async () => {
    const { user, actor } = await makeStaff('sales');
    const { actor: other } = await makeStaff('sales');
    const { actor: manager } = await makeStaff('manager');
    const { actor: admin } = await makeStaff('admin');
    const email = (await User.findById(user._id).lean())!.email;
    const hash = async () => (await User.findById(user._id).select('+passwordHash').lean())!.passwordHash;

    await setPassword(actor, user._id, 'newpassword1');
    expect(await hash()).toMatch(/^\$2[aby]\$/);
    expect(await hash()).not.toContain('newpassword1');
    expect(await verifyLogin(email, 'newpassword1')).toMatchObject({ _id: user._id });

    const before = await hash();
    await expect(setPassword(other, user._id, 'hacked1234')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(setPassword(manager, user._id, 'hacked1234')).rejects.toMatchObject({ code: 'forbidden' });
    expect(await hash()).toBe(before);
    expect(await verifyLogin(email, 'hacked1234')).toBeNull();

    // The admin resets it: the new password works, the old one no longer does.
    await setPassword(admin, user._id, 'reset-by-admin9');
    expect(await verifyLogin(email, 'reset-by-admin9')).toMatchObject({ _id: user._id });
    expect(await verifyLogin(email, 'newpassword1')).toBeNull();
  });

  it('a one-time link code links a chat account once, and expires', async () => {
    const { user, actor } = await makeStaff('sales');
    const now = new Date();
    const { code } = await issueLinkCode(actor, user._id, now);
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    const [first, second] = await Promise.allSettled([redeemLinkCode('telegram', '777', code, now), redeemLinkCode('telegram', '888', code, now)]);
    expect([first.status, second.status].sort()).toEqual(['fulfilled', 'rejected']);
    expect((await findStaffByChat('telegram', '777')) ?? (await findStaffByChat('telegram', '888'))).toMatchObject({ _id: user._id });
    const late = await issueLinkCode(actor, user._id, now);
    await expect(redeemLinkCode('zalo_bot', 'z1', late.code, new Date(now.getTime() + 25 * 3600_000))).rejects.toMatchObject({ code: 'linkCode.invalid' });
    await expect(redeemLinkCode('zalo_bot', 'z1', '{"$gt":""}', now)).rejects.toMatchObject({ code: 'linkCode.invalid' });
  });

  it('moves a chat account linked to another staff user, even an inactive one, to the user who redeems a code', async () => {
    const { user: before } = await makeStaff('sales', { chatIds: { telegram: '555' }, active: false });
    const { user: after, actor } = await makeStaff('sales');
    const now = new Date();
    // A wrong code moves nothing.
    await expect(redeemLinkCode('telegram', '555', 'WRONG234', now)).rejects.toMatchObject({ code: 'linkCode.invalid' });
    expect((await User.findById(before._id).lean())?.chatIds?.telegram).toBe('555');

    const { code } = await issueLinkCode(actor, after._id, now);
    expect(await redeemLinkCode('telegram', '555', code, now)).toMatchObject({ _id: after._id });
    expect((await User.findById(after._id).lean())?.chatIds?.telegram).toBe('555');
    expect((await User.findById(before._id).lean())?.chatIds?.telegram).toBeUndefined();
    expect(await User.countDocuments({ 'chatIds.telegram': '555' })).toBe(1);
    expect(await findStaffByChat('telegram', '555')).toMatchObject({ _id: after._id });
  });

  it('treats the first admin inserted by another process starting at the same moment as already created', async () => {
    // Web and worker start together on an empty database: both see no admin, the other one inserts
    // admin@chot.local first. The upsert is keyed on the role, the unique index on the email.
    let other: Awaited<ReturnType<typeof ensureFirstAdmin>> | undefined;
    const race = loseNextUpsertRace(User.collection, async () => {
      other = await ensureFirstAdmin({});
    });
    const result = await ensureFirstAdmin({});
    expect(race.fired && race.lookedUpNothing).toBe(true);
    expect(other).toMatchObject({ created: true, email: 'admin@chot.local' });
    expect(result).toEqual({ created: false });
    expect(await User.countDocuments({ role: 'admin' })).toBe(1);
    expect(await verifyLogin('admin@chot.local', other!.generatedPassword!)).toMatchObject({ role: 'admin' });
  });

  it('creates the first admin from the environment, or with a generated password on an empty database', async () => {
    const generated = await ensureFirstAdmin({});
    expect(generated.generatedPassword).toBeTruthy();
    expect(await verifyLogin('admin@chot.local', generated.generatedPassword!)).toMatchObject({ role: 'admin' });
    expect((await ensureFirstAdmin({})).created).toBe(false);
    const fromEnv = await ensureFirstAdmin({ email: 'boss@company.vn', password: 'longpassword' });
    expect(fromEnv).toMatchObject({ created: true, email: 'boss@company.vn' });
    expect((await ensureFirstAdmin({ email: 'boss@company.vn', password: 'longpassword' })).created).toBe(false);
  });

  it('settings are one document, changed only by an admin, and validated', async () => {
    const { actor: manager } = await makeStaff('manager');
    const { actor: admin } = await makeStaff('admin');
    expect(await getSettings()).toMatchObject({ dontForgetDays: 30, digestHour: 8, timezone: 'Asia/Ho_Chi_Minh', defaultLanguage: 'vi', roundRobin: true });
    await expect(updateSettings(manager, { dontForgetDays: 5 })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(updateSettings(admin, { timezone: 'Mars/Olympus' })).rejects.toMatchObject({ code: 'invalid' });
    await expect(updateSettings(admin, { digestHour: 30 })).rejects.toThrow();
    expect((await updateSettings(admin, { dontForgetDays: 14, companyName: 'Công ty ABC' })).dontForgetDays).toBe(14);
    expect((await getSettings()).companyName).toBe('Công ty ABC');
  });
});

describe('reports', () => {
  it('count customers by stage and source, conversion, activity and revenue, scoped to the person asking', async () => {
    const { user: lan, actor: lanActor } = await makeStaff('sales');
    const { user: minh, actor: minhActor } = await makeStaff('sales');
    const { actor: manager } = await makeStaff('manager');
    const now = new Date();
    const period = monthOf(now, 'Asia/Ho_Chi_Minh');
    const leads = [];
    for (const [i, src] of ['facebook', 'facebook', 'website', 'facebook'].entries()) {
      leads.push((await captureLead({ channel: 'web', phone: `090100000${i}`, sourceCode: src === 'website' ? undefined : src })).customer);
    }
    const lanLeads = leads.filter((l) => String(l.owner) === String(lan._id));
    const minhLeads = leads.filter((l) => String(l.owner) === String(minh._id));
    expect(lanLeads).toHaveLength(2);
    await changeStage(lanActor, lanLeads[0]._id, await stageId('chot'), { dealAmount: 30_000_000 });
    await changeStage(minhActor, minhLeads[0]._id, await stageId('chot'), { dealAmount: 20_000_000 });
    await logInteraction(lanActor, lanLeads[1]._id, { type: 'call' });
    await logInteraction(lanActor, lanLeads[1]._id, { type: 'call' });
    await logInteraction(minhActor, minhLeads[1]._id, { type: 'meeting' });

    const team = await customersByStage(manager);
    expect(team.find((s) => s.name === 'Chốt')).toMatchObject({ count: 2, share: 0.5 });
    expect(team.find((s) => s.name === 'Mới')).toMatchObject({ count: 2, share: 0.5 });
    const mine = await customersByStage(lanActor);
    expect(mine.reduce((n, s) => n + s.count, 0)).toBe(2);

    const bySource = await newCustomersBySource(manager, period);
    expect(bySource.map((r) => [r.name, r.count])).toEqual(expect.arrayContaining([['Facebook', 3], ['Website', 1]]));

    const conversion = await conversionBySource(manager);
    const totalWon = conversion.reduce((n, r) => n + r.won, 0);
    expect(totalWon).toBe(2);

    const activity = await interactionsBySalesperson(manager, period);
    expect(activity.find((a) => a.name === lan.name)).toMatchObject({ total: 2, byType: { call: 2 } });
    expect(activity.find((a) => a.name === minh.name)).toMatchObject({ total: 1, byType: { meeting: 1 } });
    expect((await interactionsBySalesperson(minhActor, period)).map((a) => a.name)).toEqual([minh.name]);

    const revenue = await revenueBySalesperson(manager, period);
    expect(revenue.map((r) => [r.name, r.revenue]).sort()).toEqual([[lan.name, 30_000_000], [minh.name, 20_000_000]].sort());
    expect((await revenueBySource(lanActor, period)).reduce((n, r) => n + r.revenue, 0)).toBe(30_000_000);

    expect(await personalStats(lanActor as Actor & { kind: 'user' }, period)).toEqual({ newLeads: 2, interactions: 2, wonDeals: 1, revenue: 30_000_000 });
  });

  it('count overdue follow-ups and Đừng quên customers, and build the agenda for today', async () => {
    const { actor } = await makeStaff('sales');
    const now = new Date();
    const a = await createCustomer(actor, { name: 'Có hẹn' });
    const hot = await createCustomer(actor, { name: 'Nóng không hẹn' });
    const sleepy = await createCustomer(actor, { name: 'Ngủ quên' });
    await changeStage(actor, hot._id, await stageId('nong'));
    await Customer.updateOne({ _id: sleepy._id }, { $set: { stage: await stageId('dung_quen') } });
    expect(isAgendaEmpty(await getAgenda(SYSTEM, now, 'Asia/Ho_Chi_Minh', { ownerId: (actor as unknown as { id: never }).id }))).toBe(false);
    const f = await scheduleFollowUp(actor, a._id, { dueAt: new Date(now.getTime() + 60_000) }, now);
    await FollowUp.updateOne({ _id: f._id }, { $set: { dueAt: new Date(now.getTime() - 3 * 86_400_000) } });
    expect(await overdueFollowUpCount(actor, now)).toBe(1);
    expect(await dormantCount(actor)).toBe(1);
    const agenda = await getAgenda(actor, now, 'Asia/Ho_Chi_Minh');
    expect(agenda.overdue.map((x) => x.customer?.name)).toEqual(['Có hẹn']);
    expect(agenda.dormant.map((x) => x.name)).toEqual(['Ngủ quên']);
    expect(agenda.hotWithoutFollowUp.map((x) => x.name)).toEqual(['Nóng không hẹn']);
  });
});
