import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { makeCustomer } from './fixtures.js';
import { fakeWorker } from './harness.js';
import { ManualClock, HOUR, MINUTE } from '../../jobs/clock.js';
import { sendMorningDigests } from '../../jobs/digest.js';
import { sendDueReminders } from '../../jobs/reminders.js';
import { Settings } from '../../models/settings.js';
import { createOpportunity, moveOpportunity, winOpportunity } from '../../crm/opportunities/index.js';
import { logInteraction, scheduleFollowUp, getSettings, updateSettings } from '../../crm/index.js';
import { OpportunityStage } from '../../models/opportunityStage.js';

useTestDatabase();

const DAY = 24 * HOUR;
// Digest at 08:00 in Hanoi = 01:00 UTC; Wednesday 2 December 2026.
const MORNING = new Date('2026-12-02T01:00:00Z');
const daysAgo = (n: number) => new Date(MORNING.getTime() - n * DAY);
const local = (iso: string) => new Date(`${iso}T00:00:00+07:00`);

async function sales(tg: string) {
  const staff = await makeStaff('sales', { chatIds: { telegram: tg } });
  const customer = await makeCustomer({ owner: staff.user._id, name: `Khách của ${tg}` });
  return { ...staff, customer };
}

describe('opportunities in the morning digest', () => {
  it('lists the owner’s opportunities closing within 3 days or overdue, and flags those with no activity for staleOpportunityDays', async () => {
    await Settings.updateOne({ key: 'global' }, { $set: { digestHour: 8, timezone: 'Asia/Ho_Chi_Minh' } });
    expect((await getSettings()).staleOpportunityDays).toBe(14);
    const lan = await sales('lan');
    const minh = await sales('minh');
    const opp = (name: string, value: string, expectedCloseAt?: Date, createdDaysAgo = 1, who = lan) =>
      createOpportunity(who.actor, { customer: who.customer._id, name, value, expectedCloseAt }, { now: daysAgo(createdDaysAgo) });

    await opp('Quá hạn', '10tr', local('2026-11-28'));
    await opp('Hôm nay', '20tr', local('2026-12-02'));
    await opp('Trong 3 ngày', '30tr', local('2026-12-05'));
    await opp('Còn xa', '40tr', local('2026-12-06'));
    await opp('Không ngày', '50tr');
    const won = await opp('Đã thắng', '60tr', local('2026-12-01'));
    await winOpportunity(lan.actor, won._id, { now: daysAgo(1) });
    // Stale: 20 days without activity. Moved 3 days ago: not stale. Touched by a call 2 days ago: not stale.
    await opp('Bỏ quên', '70tr', undefined, 20);
    const moved = await opp('Vừa chuyển bước', '80tr', undefined, 20);
    await moveOpportunity(lan.actor, moved._id, (await OpportunityStage.findOne({ code: 'gui_bao_gia' }).lean())!._id, { now: daysAgo(3) });
    await opp('Khách vừa gọi', '90tr', undefined, 20, minh);
    await logInteraction(minh.actor, minh.customer._id, { type: 'call', occurredAt: daysAgo(2) });

    const clock = new ManualClock(MORNING);
    const w = fakeWorker(clock);
    expect(await sendMorningDigests(w)).toBe(1);
    const text = w.sender.to('lan')[0]!.text;
    expect(text).toContain('💼 Cơ hội sắp đến hạn chốt hoặc đã quá hạn (3):');
    expect(text).toContain('Quá hạn — Khách của lan · 10.000.000 ₫ · chốt 28/11/2026 ⚠️ quá hạn');
    expect(text).toContain('Hôm nay — Khách của lan · 20.000.000 ₫ · chốt 02/12/2026');
    expect(text).not.toContain('chốt 02/12/2026 ⚠️');
    expect(text).toContain('Trong 3 ngày — Khách của lan · 30.000.000 ₫ · chốt 05/12/2026');
    expect(text).not.toContain('Còn xa');
    expect(text).not.toContain('Đã thắng');
    expect(text).toContain('💤 Cơ hội 14 ngày không có hoạt động (1):');
    expect(text).toContain('Bỏ quên — Khách của lan · 70.000.000 ₫ · hoạt động cuối 12/11/2026');
    expect(text).not.toContain('Vừa chuyển bước');
    // Minh's only opportunity was touched by his call: nothing to tell him.
    expect(w.sender.to('minh')).toHaveLength(0);
  });

  it('the stale threshold is the admin’s setting', async () => {
    const { actor: admin } = await makeStaff('admin');
    await updateSettings(admin, { staleOpportunityDays: 30, digestHour: 8, timezone: 'Asia/Ho_Chi_Minh' });
    const lan = await sales('lan');
    await createOpportunity(lan.actor, { customer: lan.customer._id, name: 'Hai mươi ngày', value: '1tr' }, { now: daysAgo(20) });
    const w = fakeWorker(new ManualClock(MORNING));
    expect(await sendMorningDigests(w)).toBe(0);
    await updateSettings(admin, { staleOpportunityDays: 10 });
    const again = fakeWorker(new ManualClock(new Date(MORNING.getTime() + DAY)));
    expect(await sendMorningDigests(again)).toBe(1);
    expect(again.sender.to('lan')[0]!.text).toContain('💤 Cơ hội 10 ngày không có hoạt động (1):');
  });
});

describe('opportunities in the follow-up reminder', () => {
  it('names the customer’s opportunities whose close date is near or past', async () => {
    const lan = await sales('lan');
    await createOpportunity(lan.actor, { customer: lan.customer._id, name: 'Gói A', value: '35tr', expectedCloseAt: local('2026-12-03') }, { now: daysAgo(5) });
    await createOpportunity(lan.actor, { customer: lan.customer._id, name: 'Gói B', value: '5tr', expectedCloseAt: local('2027-02-01') }, { now: daysAgo(5) });
    await scheduleFollowUp(lan.actor, lan.customer._id, { dueAt: new Date(MORNING.getTime() + 30 * MINUTE) }, MORNING);
    const clock = new ManualClock(new Date(MORNING.getTime() + 30 * MINUTE));
    const w = fakeWorker(clock);
    expect(await sendDueReminders(w)).toBe(1);
    const text = w.sender.to('lan')[0]!.text;
    expect(text).toContain('💼 Cơ hội sắp chốt với khách này:');
    expect(text).toContain('Gói A — Khách của lan · 35.000.000 ₫ · chốt 03/12/2026');
    expect(text).not.toContain('Gói B');
  });
});
