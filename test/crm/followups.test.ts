import { DateTime } from 'luxon';
import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { createCustomer } from '../../crm/customers/customers.js';
import {
  scheduleFollowUp,
  completeFollowUp,
  snoozeFollowUp,
  rescheduleFollowUp,
  cancelFollowUp,
  openDueFollowUps,
} from '../../crm/followups/followups.js';
import { nextOccurrence } from '../../crm/followups/recurrence.js';
import { FollowUp } from '../../models/followUp.js';
import { Customer } from '../../models/customer.js';

useTestDatabase();

const HOUR = 3_600_000;
const TZ = 'Asia/Ho_Chi_Minh';

async function setup() {
  const staff = await makeStaff('sales');
  const customer = await createCustomer(staff.actor, { name: 'Khách' });
  return { ...staff, customer };
}

describe('follow-ups', () => {
  it('scheduling keeps the customer’s next follow-up on the earliest active one', async () => {
    const { actor, customer } = await setup();
    const now = new Date();
    const later = await scheduleFollowUp(actor, customer._id, { dueAt: new Date(now.getTime() + 48 * HOUR) }, now);
    const sooner = await scheduleFollowUp(actor, customer._id, { type: 'meeting', dueAt: new Date(now.getTime() + 2 * HOUR), note: 'Gặp ở văn phòng' }, now);
    expect((await Customer.findById(customer._id).lean())?.nextFollowUpAt?.getTime()).toBe(sooner.dueAt.getTime());
    await cancelFollowUp(actor, sooner._id);
    expect((await Customer.findById(customer._id).lean())?.nextFollowUpAt?.getTime()).toBe(later.dueAt.getTime());
    await completeFollowUp(actor, later._id, { now });
    expect((await Customer.findById(customer._id).lean())?.nextFollowUpAt).toBeUndefined();
  });

  it('refuses a time in the past or not a time at all', async () => {
    const { actor, customer } = await setup();
    const now = new Date();
    await expect(scheduleFollowUp(actor, customer._id, { dueAt: new Date(now.getTime() - 2 * HOUR) }, now)).rejects.toMatchObject({ code: 'followUp.dueInvalid' });
    await expect(scheduleFollowUp(actor, customer._id, { dueAt: new Date('nope') }, now)).rejects.toMatchObject({ code: 'followUp.dueInvalid' });
    expect(await FollowUp.countDocuments()).toBe(0);
  });

  it('a recurring follow-up schedules its next occurrence once, even when done is pressed twice at once', async () => {
    const { actor, customer } = await setup();
    const now = DateTime.fromISO('2026-03-02T08:00', { zone: TZ }).toJSDate();
    const dueAt = DateTime.fromISO('2026-03-02T09:00', { zone: TZ }).toJSDate();
    const weekly = await scheduleFollowUp(actor, customer._id, { dueAt, recurrence: 'weekly' }, now);
    const results = await Promise.allSettled([completeFollowUp(actor, weekly._id, { now: dueAt }), completeFollowUp(actor, weekly._id, { now: dueAt })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'followUp.notActive' } });
    const next = await FollowUp.find({ previous: weekly._id }).lean();
    expect(next).toHaveLength(1);
    expect(DateTime.fromJSDate(next[0].dueAt, { zone: TZ }).toISO()).toBe('2026-03-09T09:00:00.000+07:00');
    expect(next[0].status).toBe('scheduled');
  });

  it('snooze and reschedule move an active follow-up and make it remindable again', async () => {
    const { actor, customer } = await setup();
    const now = new Date();
    const f = await scheduleFollowUp(actor, customer._id, { dueAt: new Date(now.getTime() + HOUR) }, now);
    await FollowUp.updateOne({ _id: f._id }, { $set: { remindedFor: f.dueAt, status: 'open' } });
    const snoozed = await snoozeFollowUp(actor, f._id, 60, now);
    expect(snoozed.dueAt.getTime()).toBe(now.getTime() + HOUR);
    expect(snoozed.status).toBe('scheduled');
    expect(snoozed.remindedFor).toBeUndefined();
    const target = new Date(now.getTime() + 72 * HOUR);
    expect((await rescheduleFollowUp(actor, f._id, target, now)).dueAt.getTime()).toBe(target.getTime());
    await cancelFollowUp(actor, f._id);
    await expect(snoozeFollowUp(actor, f._id, 60, now)).rejects.toMatchObject({ code: 'followUp.notActive' });
  });

  it('due follow-ups become open', async () => {
    const { actor, customer } = await setup();
    const now = new Date();
    await scheduleFollowUp(actor, customer._id, { dueAt: new Date(now.getTime() + HOUR) }, now);
    await scheduleFollowUp(actor, customer._id, { dueAt: new Date(now.getTime() + 5 * HOUR) }, now);
    expect(await openDueFollowUps(new Date(now.getTime() + 2 * HOUR))).toBe(1);
    expect((await FollowUp.find().sort({ dueAt: 1 }).lean()).map((f) => f.status)).toEqual(['open', 'scheduled']);
  });

  it('another salesperson cannot complete, snooze or cancel my follow-up', async () => {
    const { actor, customer } = await setup();
    const { actor: other } = await makeStaff('sales');
    const f = await scheduleFollowUp(actor, customer._id, { dueAt: new Date(Date.now() + HOUR) });
    await expect(completeFollowUp(other, f._id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(snoozeFollowUp(other, f._id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(cancelFollowUp(other, f._id)).rejects.toMatchObject({ code: 'forbidden' });
    expect((await FollowUp.findById(f._id).lean())?.status).toBe('scheduled');
  });
});

describe('recurrence', () => {
  const at = (iso: string) => DateTime.fromISO(iso, { zone: TZ }).toJSDate();
  const iso = (d: Date | null) => (d ? DateTime.fromJSDate(d, { zone: TZ }).toFormat("yyyy-LL-dd'T'HH:mm") : null);

  it('steps daily, weekly, monthly and every N days in local time', () => {
    const due = at('2026-01-31T09:00');
    const after = at('2026-01-31T09:30');
    expect(iso(nextOccurrence(due, 'daily', { timezone: TZ, after }))).toBe('2026-02-01T09:00');
    expect(iso(nextOccurrence(due, 'weekly', { timezone: TZ, after }))).toBe('2026-02-07T09:00');
    expect(iso(nextOccurrence(due, 'monthly', { timezone: TZ, after }))).toBe('2026-02-28T09:00');
    expect(iso(nextOccurrence(due, 'every_n_days', { everyDays: 3, timezone: TZ, after }))).toBe('2026-02-03T09:00');
    expect(nextOccurrence(due, 'none', { timezone: TZ, after })).toBeNull();
  });

  it('skips occurrences already past when done late', () => {
    expect(iso(nextOccurrence(at('2026-01-01T09:00'), 'daily', { timezone: TZ, after: at('2026-01-10T12:00') }))).toBe('2026-01-11T09:00');
  });
});
