import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { makeCustomer } from './fixtures.js';
import { fakeWorker } from './harness.js';
import { ManualClock, MINUTE, HOUR } from '../../jobs/clock.js';
import { runDontForget } from '../../jobs/dontForget.js';
import { sendMorningDigests } from '../../jobs/digest.js';
import { Settings } from '../../models/settings.js';
import { Customer } from '../../models/customer.js';
import { Stage } from '../../models/stage.js';
import { scheduleFollowUp, getDormantStage } from '../../crm/index.js';

useTestDatabase();

const DAY = 24 * HOUR;

describe("don't-forget sweep", () => {
  it('moves stale customers and tells each owner once, in one message', async () => {
    const clock = new ManualClock('2026-11-23T03:00:00Z');
    const old = new Date(clock.now().getTime() - 40 * DAY);
    const { user: lan } = await makeStaff('sales', { chatIds: { telegram: 'lan' } });
    const { user: minh } = await makeStaff('sales', { chatIds: { telegram: 'minh' } });
    await makeStaff('manager', { chatIds: { telegram: 'boss' } });
    const a = await makeCustomer({ owner: lan._id, name: 'Phạm Văn An', lastContactAt: old, stageCode: 'tiep_can' });
    const b = await makeCustomer({ owner: lan._id, name: 'Lê Thị Bình', lastContactAt: old });
    await makeCustomer({ owner: lan._id, name: 'Mới liên hệ', lastContactAt: new Date(clock.now().getTime() - 2 * DAY) });
    const c = await makeCustomer({ owner: minh._id, name: 'Đỗ Cường', lastContactAt: old, stageCode: 'nong' });
    const d = await makeCustomer({ name: 'Không ai phụ trách', lastContactAt: old });
    const w = fakeWorker(clock);

    expect(await runDontForget(w)).toEqual({ moved: 4, notified: 3 });
    const lanMsgs = w.sender.to('lan');
    expect(lanMsgs).toHaveLength(1);
    expect(lanMsgs[0]!.text).toContain(`Phạm Văn An (${a.code})`);
    expect(lanMsgs[0]!.text).toContain(`Lê Thị Bình (${b.code})`);
    expect(lanMsgs[0]!.text).not.toContain('Mới liên hệ');
    // Two customers, and the 30 days of the default setting.
    expect(lanMsgs[0]!.text.split('\n')[0]).toBe('🔔 2 khách hàng của bạn đã 30 ngày chưa được liên hệ và vừa chuyển sang "Đừng quên":');
    expect(w.sender.to('minh')[0]!.text).toContain(c.code);
    expect(w.sender.to('boss')[0]!.text).toContain(d.code);
    const dormant = await getDormantStage();
    expect(String((await Customer.findById(a._id).lean())!.stage)).toBe(String(dormant!._id));

    // An hour later: nothing new, nobody told again.
    clock.advance(HOUR);
    expect(await runDontForget(w)).toEqual({ moved: 0, notified: 0 });
    expect(w.sender.sent).toHaveLength(3);
  });
});

describe("don't-forget threshold", () => {
  // 09:00 in Hồ Chí Minh City on 23/11: the threshold is exactly dontForgetDays (30) days before.
  const now = new Date('2026-11-23T09:00:00+07:00');
  const at = (ms: number) => new Date(now.getTime() - 30 * DAY + ms);

  it('moves a customer last contacted 30 days and one minute ago, not one contacted exactly 30 days or 29 days 23:59 ago', async () => {
    const { user: lan } = await makeStaff('sales', { chatIds: { telegram: 'lan' } });
    const over = await makeCustomer({ owner: lan._id, name: 'Quá hạn một phút', lastContactAt: at(-MINUTE) });
    const exactly = await makeCustomer({ owner: lan._id, name: 'Đúng ba mươi ngày', lastContactAt: at(0) });
    const under = await makeCustomer({ owner: lan._id, name: 'Còn một phút', lastContactAt: at(MINUTE) });
    // Never contacted: the age counts from creation, with the same boundary.
    const newOver = await makeCustomer({ owner: lan._id, name: 'Tạo quá hạn' });
    const newExactly = await makeCustomer({ owner: lan._id, name: 'Tạo đúng hạn' });
    await Customer.collection.updateOne({ _id: newOver._id }, { $set: { createdAt: at(-MINUTE) }, $unset: { lastContactAt: 1 } });
    await Customer.collection.updateOne({ _id: newExactly._id }, { $set: { createdAt: at(0) }, $unset: { lastContactAt: 1 } });
    const w = fakeWorker(new ManualClock(now));

    expect(await runDontForget(w)).toEqual({ moved: 2, notified: 1 });
    const dormant = String((await getDormantStage())!._id);
    const stageOf = async (id: unknown) => String((await Customer.findById(id).lean())!.stage);
    expect(await stageOf(over._id)).toBe(dormant);
    expect(await stageOf(newOver._id)).toBe(dormant);
    for (const stays of [exactly, under, newExactly]) expect(await stageOf(stays._id)).not.toBe(dormant);
    const text = w.sender.to('lan')[0]!.text;
    expect(text).toContain('Quá hạn một phút');
    expect(text).toContain('Tạo quá hạn');
    expect(text).not.toContain('Đúng ba mươi ngày');
  });

  it('leaves a soft-deleted customer where it is, and does not tell its owner', async () => {
    const { user: lan } = await makeStaff('sales', { chatIds: { telegram: 'lan' } });
    const { user: minh } = await makeStaff('sales', { chatIds: { telegram: 'minh' } });
    const deleted = await makeCustomer({ owner: minh._id, name: 'Đã xoá', lastContactAt: at(-40 * DAY), stageCode: 'tiep_can', deletedAt: at(-DAY) });
    const stale = await makeCustomer({ owner: lan._id, name: 'Cần gọi lại', lastContactAt: at(-40 * DAY) });
    const w = fakeWorker(new ManualClock(now));

    expect(await runDontForget(w)).toEqual({ moved: 1, notified: 1 });
    const stored = await Customer.findById(deleted._id).lean();
    expect(String(stored!.stage)).toBe(String((await Stage.findOne({ code: 'tiep_can' }).lean())!._id));
    expect(stored!.previousStage).toBeUndefined();
    expect(w.sender.to('minh')).toHaveLength(0);
    expect(w.sender.to('lan')[0]!.text).toContain(stale.code);
    expect(w.sender.sent.map((s) => s.chatId)).toEqual(['lan']);
  });
});

describe('morning digest', () => {
  it('arrives at digestHour in the company time zone, across UTC midnight, once a day, never empty', async () => {
    // 06:00 in Hồ Chí Minh City is 23:00 UTC the day before.
    await Settings.updateOne({ key: 'global' }, { $set: { digestHour: 6, timezone: 'Asia/Ho_Chi_Minh' } });
    const clock = new ManualClock('2026-11-23T20:00:00Z');
    const { user: lan, actor: lanActor } = await makeStaff('sales', { chatIds: { telegram: 'lan' } });
    await makeStaff('sales', { chatIds: { telegram: 'idle' } });
    await makeStaff('manager', { chatIds: { telegram: 'boss' } });
    const customer = await makeCustomer({ owner: lan._id, name: 'Vũ Thị Hoa' });
    const hot = await makeCustomer({ owner: lan._id, name: 'Khách Nóng', stageCode: 'nong' });
    // 10:00 on 24/11 local time = 03:00 UTC on 24/11.
    await scheduleFollowUp(lanActor, customer._id, { dueAt: new Date('2026-11-24T03:00:00Z'), note: 'Gửi hợp đồng' }, clock.now());
    const a = fakeWorker(clock);
    const b = fakeWorker(clock);

    clock.set('2026-11-23T22:55:00Z'); // 05:55 local
    expect(await sendMorningDigests(a)).toBe(0);

    clock.set('2026-11-23T23:00:00Z'); // 06:00 local, 24/11
    const sent = await Promise.all([sendMorningDigests(a), sendMorningDigests(b)]);
    expect(sent[0] + sent[1]).toBe(2);
    const all = [...a.sender.sent, ...b.sender.sent];
    const lanDigest = all.filter((s) => s.chatId === 'lan').flatMap((s) => s.replies);
    expect(lanDigest).toHaveLength(1);
    expect(lanDigest[0]!.text).toContain('24/11/2026');
    expect(lanDigest[0]!.text).toMatch(/Hẹn hôm nay \(1\)/);
    expect(lanDigest[0]!.text).toContain('10:00 Vũ Thị Hoa');
    expect(lanDigest[0]!.text).toContain(`Khách Nóng (${hot.code})`);
    expect(lanDigest[0]!.text).not.toContain('Cả đội');
    const bossDigest = all.filter((s) => s.chatId === 'boss').flatMap((s) => s.replies);
    expect(bossDigest[0]!.text).toMatch(/Cả đội: 1 hẹn hôm nay, 0 quá hạn, 0 .*, 1 khách nóng/);
    expect(all.some((s) => s.chatId === 'idle')).toBe(false);

    // Later the same morning, or after a restart: not again.
    clock.advance(30 * MINUTE);
    expect(await sendMorningDigests(fakeWorker(clock))).toBe(0);

    // The next morning the follow-up is overdue.
    clock.set('2026-11-24T23:00:00Z');
    const next = fakeWorker(clock);
    expect(await sendMorningDigests(next)).toBe(2);
    expect(next.sender.to('lan')[0]!.text).toMatch(/Quá hạn \(1\)/);
  });

  it('is not sent when the worker comes back hours after digest time', async () => {
    await Settings.updateOne({ key: 'global' }, { $set: { digestHour: 8, timezone: 'Asia/Ho_Chi_Minh' } });
    const { user } = await makeStaff('sales', { chatIds: { telegram: 'lan' } });
    await makeCustomer({ owner: user._id, stageCode: 'nong' });
    // 15:00 local.
    const w = fakeWorker(new ManualClock('2026-11-24T08:00:00Z'));
    expect(await sendMorningDigests(w)).toBe(0);
  });
});
