import mongoose from 'mongoose';
import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { makeCustomer } from './fixtures.js';
import { fakeWorker, silentLogger } from './harness.js';
import { ManualClock, MINUTE, HOUR } from '../../jobs/clock.js';
import { sendDueReminders, followUpReminders } from '../../jobs/reminders.js';
import { startScheduler } from '../../jobs/scheduler.js';
import { Notifier } from '../../bot/core/notifier.js';
import { RecordingSender } from './fakeBotApi.js';
import { FollowUp } from '../../models/followUp.js';
import { scheduleFollowUp, completeFollowUp, snoozeFollowUp } from '../../crm/index.js';

useTestDatabase();

const start = new Date('2026-11-23T02:00:00Z');

async function salesWithCustomer() {
  const { user, actor } = await makeStaff('sales', { chatIds: { telegram: 'staff-tg' } });
  const customer = await makeCustomer({ owner: user._id, name: 'Trần Thị Bích', phones: ['+84912345678'], need: 'Mua căn hộ 2 phòng ngủ' });
  return { user, actor, customer };
}

describe('follow-up reminders', () => {
  it('reminds the owner at the due time, once, even with two workers', async () => {
    const clock = new ManualClock(start);
    const { actor, customer } = await salesWithCustomer();
    const fu = await scheduleFollowUp(actor, customer._id, { dueAt: new Date(start.getTime() + 30 * MINUTE), note: 'Gọi báo giá' }, start);
    const a = fakeWorker(clock);
    const b = fakeWorker(clock);

    clock.advance(29 * MINUTE);
    await Promise.all([sendDueReminders(a), sendDueReminders(b)]);
    expect(a.sender.sent.length + b.sender.sent.length).toBe(0);

    clock.advance(1 * MINUTE);
    const claimed = await Promise.all([sendDueReminders(a), sendDueReminders(b), sendDueReminders(a)]);
    expect(claimed.reduce((x, y) => x + y, 0)).toBe(1);
    const messages = [...a.sender.to('staff-tg'), ...b.sender.to('staff-tg')];
    expect(messages).toHaveLength(1);
    expect(messages[0]!.text).toContain('Trần Thị Bích');
    expect(messages[0]!.text).toContain('Gọi báo giá');
    // The phone as the salesperson dials it, not as it is stored.
    expect(messages[0]!.text).toContain('📞 0912 345 678');
    expect(messages[0]!.text).not.toContain('+84912345678');
    expect(messages[0]!.choices!.map((c) => c.data)).toEqual([`fu:done:${fu._id}`, `fu:snooze:${fu._id}`, `fu:resched:${fu._id}`, `c:${customer._id}`]);
    expect((await FollowUp.findById(fu._id).lean())!.status).toBe('open');

    // A restart, later runs: nothing more for this occurrence.
    clock.advance(5 * MINUTE);
    await sendDueReminders(fakeWorker(clock));
    await sendDueReminders(a);
    expect(a.sender.sent.length + b.sender.sent.length).toBe(1);
  });

  it('two real Agenda workers on one database send one reminder', async () => {
    const clock = new ManualClock(start);
    const { actor, customer } = await salesWithCustomer();
    await scheduleFollowUp(actor, customer._id, { dueAt: start }, start);
    const senders = [new RecordingSender(), new RecordingSender()];
    // The job as registered, counting its finished runs on either worker: the signal that a run
    // which could have sent a second reminder is over.
    let finishedRuns = 0;
    const counted = { ...followUpReminders, run: async (...args: Parameters<typeof followUpReminders.run>) => void (await followUpReminders.run(...args), (finishedRuns += 1)) };
    const workers = await Promise.all(
      senders.map((sender, i) => {
        const notifier = new Notifier(silentLogger);
        notifier.register(sender);
        return startScheduler({ db: mongoose.connection.db as never, notifier, logger: silentLogger, jobs: [counted], clock, processEvery: 200, name: `w${i}` });
      }),
    );
    const sent = () => senders[0]!.sent.length + senders[1]!.sent.length;
    const until = async (check: () => boolean) => {
      for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(check()).toBe(true);
    };
    try {
      await until(() => finishedRuns >= 1 && sent() >= 1);
      // Both workers ask for the job now as well: Agenda's lock and the claim still give one message.
      const before = finishedRuns;
      await Promise.all(workers.map((w) => w.runNow(followUpReminders.name)));
      await until(() => finishedRuns >= before + 2);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
    expect(sent()).toBe(1);
  });

  it('a recurring follow-up is reminded again at its next occurrence', async () => {
    const clock = new ManualClock(start);
    const { actor, customer } = await salesWithCustomer();
    const first = await scheduleFollowUp(actor, customer._id, { dueAt: new Date(start.getTime() + HOUR), recurrence: 'daily' }, start);
    const w = fakeWorker(clock);
    clock.advance(HOUR);
    await sendDueReminders(w);
    expect(w.sender.sent).toHaveLength(1);
    const { next } = await completeFollowUp(actor, first._id, { now: clock.now() });
    expect(next!.dueAt.getTime()).toBe(start.getTime() + HOUR + 24 * HOUR);
    clock.advance(23 * HOUR);
    await sendDueReminders(w);
    expect(w.sender.sent).toHaveLength(1);
    clock.advance(HOUR);
    await sendDueReminders(w);
    expect(w.sender.sent).toHaveLength(2);
    expect(w.sender.sent[1]!.replies[0]!.choices![0]!.data).toBe(`fu:done:${next!._id}`);
  });

  it('a snoozed reminder comes back an hour later, not before', async () => {
    const clock = new ManualClock(start);
    const { actor, customer } = await salesWithCustomer();
    const fu = await scheduleFollowUp(actor, customer._id, { dueAt: start }, start);
    const w = fakeWorker(clock);
    await sendDueReminders(w);
    expect(w.sender.sent).toHaveLength(1);
    clock.advance(2 * MINUTE);
    await snoozeFollowUp(actor, fu._id, 60, clock.now());
    clock.advance(59 * MINUTE);
    await sendDueReminders(w);
    expect(w.sender.sent).toHaveLength(1);
    clock.advance(MINUTE);
    await sendDueReminders(w);
    await sendDueReminders(w);
    expect(w.sender.sent).toHaveLength(2);
  });

  it('overdue scheduled follow-ups become open', async () => {
    const clock = new ManualClock(start);
    const { actor, customer } = await salesWithCustomer();
    const fu = await scheduleFollowUp(actor, customer._id, { dueAt: new Date(start.getTime() + MINUTE) }, start);
    clock.advance(3 * HOUR);
    await sendDueReminders(fakeWorker(clock));
    expect((await FollowUp.findById(fu._id).lean())!.status).toBe('open');
  });
});
