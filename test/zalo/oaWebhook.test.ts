import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { zaloOaFeature } from '../../bot/zalo/oa/feature.js';
import { captureLead } from '../../crm/customers/captureLead.js';
import { Customer } from '../../models/customer.js';
import { Interaction } from '../../models/interaction.js';
import { ZaloInbox } from '../../models/zaloInbox.js';
import { FakeZaloOa } from './helpers/fakeZaloOa.js';
import { OaWebhookSender } from './helpers/oaWebhookClient.js';
import { startTestApp, waitFor, type TestApp } from './helpers/app.js';

useTestDatabase();

const APP_ID = 'app1';
const SECRET = 'oa-secret-key';

describe('Zalo OA channel: webhook, intake and sending, against a fake Zalo', () => {
  let zalo: FakeZaloOa;
  let app: TestApp;
  let hook: OaWebhookSender;

  beforeEach(async () => {
    zalo = await new FakeZaloOa({ appId: APP_ID, appSecret: SECRET, accessToken: 'access-0', refreshToken: 'refresh-0' }).start();
    app = await startTestApp(
      { ZALO_OA_APP_ID: APP_ID, ZALO_OA_SECRET_KEY: SECRET, ZALO_OA_ACCESS_TOKEN: 'access-0', ZALO_OA_REFRESH_TOKEN: 'refresh-0', ZALO_OA_API_ROOT: zalo.url, ZALO_OAUTH_ROOT: zalo.url },
      [zaloOaFeature],
    );
    hook = new OaWebhookSender(app.url, APP_ID, SECRET);
  });
  afterEach(async () => {
    await app.stop();
    await zalo.server.stop();
  });

  const processed = () => waitFor(async () => (await ZaloInbox.countDocuments({ status: { $in: ['pending', 'processing'] } })) === 0);
  const textsTo = (userId: string) => zalo.sent.filter((s) => s.userId === userId).map((s) => s.text);

  it('accepts a signed text, answers 200 and stores it, then the core answers through the cs endpoint', async () => {
    const res = await hook.post(hook.text('u1', 'Cho em hỏi giá'));
    expect(res.status).toBe(200);
    expect(await ZaloInbox.countDocuments({ channel: 'zalo_oa' })).toBe(1);
    await waitFor(() => textsTo('u1').some((t) => t.includes('Bạn tên là gì?')));
    expect(textsTo('u1')[0]).toContain('Xin chào!');
    await processed();
    expect(await ZaloInbox.findOne().lean()).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('refuses unsigned, tampered and wrongly keyed events with 401 and stores nothing', async () => {
    const event = hook.text('u1', 'hello');
    expect((await hook.post(event, { sign: false })).status).toBe(401);
    expect((await hook.post(event, { tamper: (raw) => raw.replace('hello', 'HELLO') })).status).toBe(401);
    expect((await hook.post(event, { secret: 'another-secret' })).status).toBe(401);
    const garbage = await fetch(`${app.url}/webhooks/zalo-oa`, { method: 'POST', headers: { 'x-zevent-signature': 'mac=zzz' }, body: 'not json' });
    expect(garbage.status).toBe(401);
    expect(await ZaloInbox.countDocuments()).toBe(0);
    expect(zalo.sent).toHaveLength(0);
  });

  it('refuses a correctly signed event with a stale or far-future timestamp', async () => {
    const old = hook.event('user_send_text', 'u1', { message: { msg_id: 'old-1', text: 'hi' } }, Date.now() - 10 * 60_000);
    expect((await hook.post(old)).status).toBe(401);
    const future = hook.event('user_send_text', 'u1', { message: { msg_id: 'fut-1', text: 'hi' } }, Date.now() + 10 * 60_000);
    expect((await hook.post(future)).status).toBe(401);
    expect(await ZaloInbox.countDocuments()).toBe(0);
    // A timestamp in seconds is read as seconds, not refused as 50 years old.
    const inSeconds = hook.event('user_send_text', 'u1', { message: { msg_id: 'sec-1', text: 'hi' } }, Math.floor(Date.now() / 1000));
    expect((await hook.post(inSeconds)).status).toBe(200);
  });

  it('processes the same event delivered twice only once', async () => {
    const event = hook.text('u2', 'Xin chào');
    const [a, b] = await Promise.all([hook.post(event), hook.post(event)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await hook.post(event)).status).toBe(200);
    // The one stored copy marked done: its whole step, replies included, has run.
    await waitFor(async () => (await ZaloInbox.findOne().lean())?.status === 'done');
    await processed();
    expect(await ZaloInbox.countDocuments()).toBe(1);
    expect(await ZaloInbox.findOne().lean()).toMatchObject({ status: 'done', attempts: 1 });
    // One greeting and one question: a single run of the intake step.
    expect(textsTo('u2').filter((t) => t.includes('Bạn tên là gì?'))).toHaveLength(1);
  });

  it('runs the intake from a follow and typed answers, and creates the customer on Zalo OA', async () => {
    const { user: owner } = await makeStaff('sales');
    await hook.post(hook.event('follow', 'u3'));
    await waitFor(() => textsTo('u3').some((t) => t.includes('Bạn tên là gì?')));
    await hook.post(hook.text('u3', 'Nguyễn Thị Lan'));
    await waitFor(() => textsTo('u3').some((t) => t.includes('Số điện thoại')));
    await hook.post(hook.text('u3', '0912 345 678'));
    await waitFor(() => textsTo('u3').some((t) => t.includes('tư vấn về điều gì')));
    await hook.post(hook.text('u3', 'Căn hộ 2 phòng ngủ'));
    await waitFor(() => textsTo('u3').some((t) => t.includes('Cảm ơn Nguyễn Thị Lan')));
    const customer = await Customer.findOne({ 'chatIds.zalo_oa': 'u3' }).lean();
    expect(customer).toMatchObject({ name: 'Nguyễn Thị Lan', phones: ['+84912345678'], need: 'Căn hộ 2 phòng ngủ' });
    expect(String(customer!.owner)).toBe(String(owner._id));
    // The skip choice is shown as a numbered line to type.
    expect(textsTo('u3').join('\n')).toMatch(/\n1\. /);
  });

  it('takes Zalo\'s own form (user_submit_info) straight into a lead and thanks the follower', async () => {
    await makeStaff('sales');
    await hook.post(hook.event('user_submit_info', 'u4', { info: { name: 'Trần Văn Bình', phone: '0987654321', address: 'Q1', city: 'HCM' } }));
    await waitFor(() => textsTo('u4').some((t) => t.includes('Cảm ơn Trần Văn Bình')));
    const customer = await Customer.findOne({ 'chatIds.zalo_oa': 'u4' }).lean();
    expect(customer).toMatchObject({ name: 'Trần Văn Bình', phones: ['+84987654321'] });
  });

  it('marks a customer unreachable on unfollow, and reachable again on follow', async () => {
    const { customer } = await captureLead({ channel: 'zalo_oa', chatId: 'u5', name: 'Khách', phone: '0901000005' });
    await hook.post(hook.event('unfollow', 'u5'));
    await processed();
    await waitFor(async () => Boolean((await Customer.findById(customer._id).lean())?.unreachable?.zalo_oa));
    await hook.post(hook.event('follow', 'u5', {}, Date.now() + 1));
    await waitFor(async () => (await Customer.findById(customer._id).lean())?.unreachable?.zalo_oa === false);
  });

  it('passes an image or a location from a known customer on as a short text, logged as their message', async () => {
    const { customer } = await captureLead({ channel: 'zalo_oa', chatId: 'u6', name: 'Khách Sáu', phone: '0901000006' });
    await hook.post(hook.event('user_send_location', 'u6', { message: { msg_id: 'loc-1', attachments: [{ type: 'location', payload: { coordinates: { latitude: 10.77, longitude: 106.7 } } }] } }));
    await hook.post(hook.event('user_send_image', 'u6', { message: { msg_id: 'img-1', text: 'mẫu này', attachments: [{ type: 'image', payload: { url: 'https://x/y.jpg' } }] } }));
    await waitFor(async () => (await Interaction.countDocuments({ customer: customer._id, type: 'message_in', channel: 'zalo_oa' })) >= 3);
    const texts = (await Interaction.find({ customer: customer._id, type: 'message_in' }).lean()).map((i) => i.text);
    expect(texts).toEqual(expect.arrayContaining(['[vị trí: 10.77, 106.7]', '[hình ảnh] mẫu này']));
  });

  it('relays a reply to a Zalo OA lead through the notifier, whatever channel it was written from', async () => {
    const { customer } = await captureLead({ channel: 'zalo_oa', chatId: 'u7', name: 'Khách Bảy', phone: '0901000007' });
    const outcome = await app.ctx.notifier.sendToCustomer(customer._id, [{ text: 'Chào anh, em gửi báo giá ạ' }]);
    expect(outcome).toMatchObject({ channel: 'zalo_oa', result: { ok: true } });
    expect(textsTo('u7')).toEqual(['Chào anh, em gửi báo giá ạ']);
  });

  it('reports a quota refusal with Zalo\'s code, and an unfollowed user as blocked (marked unreachable)', async () => {
    const { customer: a } = await captureLead({ channel: 'zalo_oa', chatId: 'u8', name: 'A', phone: '0901000008' });
    zalo.refusals.set('u8', { error: -230, message: 'User has not interacted with the OA in the last 7 days' });
    const quota = await app.ctx.notifier.sendToCustomer(a._id, [{ text: 'hi' }]);
    expect(quota.result).toEqual({ ok: false, reason: 'quota', detail: 'Zalo OA error -230: User has not interacted with the OA in the last 7 days' });
    const { customer: b } = await captureLead({ channel: 'zalo_oa', chatId: 'u9', name: 'B', phone: '0901000009' });
    zalo.refusals.set('u9', { error: -213, message: 'User has not followed OA' });
    expect((await app.ctx.notifier.sendToCustomer(b._id, [{ text: 'hi' }])).result).toMatchObject({ reason: 'blocked' });
    expect((await Customer.findById(b._id).lean())?.unreachable?.zalo_oa).toBe(true);
    expect(app.log.lines().some((l) => l.code === -230)).toBe(true);
  });

  it('refreshes an expired access token on -216 and retries the send once', async () => {
    const { customer } = await captureLead({ channel: 'zalo_oa', chatId: 'u10', name: 'C', phone: '0901000010' });
    zalo.expireAccessTokens();
    const outcome = await app.ctx.notifier.sendToCustomer(customer._id, [{ text: 'sau khi làm mới' }]);
    expect(outcome.result).toMatchObject({ ok: true });
    expect(zalo.sent.at(-1)).toEqual({ userId: 'u10', text: 'sau khi làm mới', token: 'access-1' });
    expect(zalo.refreshUses.get('refresh-0')).toBe(1);
  });

  it('survives Zalo being down: sends fail with a reason, accepted events are kept and answered later', async () => {
    const { customer } = await captureLead({ channel: 'zalo_oa', chatId: 'u11', name: 'D', phone: '0901000011' });
    await zalo.server.down();
    const outcome = await app.ctx.notifier.sendToCustomer(customer._id, [{ text: 'hi' }]);
    expect(outcome.result).toMatchObject({ ok: false, reason: 'error' });
    expect((await hook.post(hook.text('u12', 'Xin chào'))).status).toBe(200);
    await processed();
    expect(await ZaloInbox.countDocuments({ status: 'done' })).toBe(1);
    await zalo.server.up();
    expect((await app.ctx.notifier.sendToCustomer(customer._id, [{ text: 'đã lên lại' }])).result).toMatchObject({ ok: true });
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('splits a long reply at line boundaries under 2,000 characters', async () => {
    const { customer } = await captureLead({ channel: 'zalo_oa', chatId: 'u13', name: 'E', phone: '0901000013' });
    const long = Array.from({ length: 60 }, (_, i) => `Dòng ${i + 1}: ${'x'.repeat(60)}`).join('\n');
    expect((await app.ctx.notifier.sendToCustomer(customer._id, [{ text: long }])).result).toMatchObject({ ok: true });
    const parts = textsTo('u13');
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => p.length < 2000 && !p.startsWith('\n'))).toBe(true);
    expect(parts.join('\n')).toBe(long);
  });
});
