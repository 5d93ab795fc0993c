import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { captureLead } from '../../crm/customers/captureLead.js';
import { Customer } from '../../models/customer.js';
import { Interaction } from '../../models/interaction.js';
import { FollowUp } from '../../models/followUp.js';
import { Stage } from '../../models/stage.js';
import { FakeZaloBot } from './helpers/fakeZaloBot.js';
import { FakeZaloOa } from './helpers/fakeZaloOa.js';
import { BotChat } from './helpers/botChat.js';
import { FAKE_OA_APP, startBothZaloChannels, waitFor, type TestApp } from './helpers/app.js';
import { OaWebhookSender } from './helpers/oaWebhookClient.js';

useTestDatabase();

const TOKEN = '1459232241454765289:bot-token-XYZ';
const SECRET = 'zalo-bot-secret-123';

/**
 * Every sales command and card action, used from Zalo Bot by typing (no buttons on Zalo), with a
 * Zalo OA lead on the other side for the replies.
 */
describe('sales work from Zalo Bot by typed replies', () => {
  let platform: FakeZaloBot;
  let zalo: FakeZaloOa;
  let app: TestApp;

  beforeEach(async () => {
    platform = await new FakeZaloBot(TOKEN).start();
    zalo = await new FakeZaloOa(FAKE_OA_APP).start();
    app = await startBothZaloChannels({ botToken: TOKEN, botSecret: SECRET, platformUrl: platform.url, oaUrl: zalo.url });
  });
  afterEach(async () => {
    await app.stop();
    await platform.server.stop();
    await zalo.server.stop();
  });

  const chat = (id: string) => new BotChat(platform, app.url, SECRET, id);

  it('help, new customer, find, log a call, change stage, follow up, note, today, mine, stats, cancel', async () => {
    const { user: sales } = await makeStaff('sales', { chatIds: { zalo_bot: 'S1' } });
    const me = chat('S1');

    expect((await me.say('/help')).join('\n')).toContain('/find');

    await me.say('/new');
    await me.say('Lê Văn Tám');
    await me.say('0912 111 222');
    await me.choose('Bỏ qua');
    await me.choose('Bỏ qua');
    expect(me.text).toContain('✅ Đã tạo khách KH000001 · Lê Văn Tám');
    const customer = (await Customer.findOne({ name: 'Lê Văn Tám' }).lean())!;
    expect(String(customer.owner)).toBe(String(sales._id));

    await me.say('/find tám');
    expect(me.text).toContain('KH000001');
    await me.choose('📞 Gọi');
    await me.choose('Quan tâm');
    await me.say('Hẹn xem nhà thứ bảy');
    expect(me.text).toContain('✅ Đã ghi');
    expect(await Interaction.findOne({ customer: customer._id, type: 'call' }).lean()).toMatchObject({ outcome: 'interested', text: 'Hẹn xem nhà thứ bảy' });

    await me.choose('🔀 Đổi giai đoạn');
    await me.choose('Tiềm năng');
    expect(me.text).toContain('Mới → Tiềm năng');
    expect(String((await Customer.findById(customer._id).lean())!.stage)).toBe(String((await Stage.findOne({ code: 'tiem_nang' }))!._id));

    await me.choose('⏰ Hẹn');
    await me.say('mai 9h');
    await me.choose('Không');
    await me.choose('Bỏ qua');
    expect(me.text).toContain('⏰ Đã hẹn Lê Văn Tám');
    expect(await FollowUp.countDocuments({ customer: customer._id })).toBe(1);

    await me.choose('📝 Ghi chú');
    await me.say('Khách thích tầng cao');
    expect(await Interaction.findOne({ customer: customer._id, type: 'note' }).lean()).toMatchObject({ text: 'Khách thích tầng cao' });

    await me.choose('🔀 Đổi giai đoạn');
    await me.choose('Chốt');
    await me.say('2,5 tỷ');
    expect(me.text).toContain('Tiềm năng → Chốt');

    for (const command of ['/today', '/mine', '/stats']) {
      const replies = await me.say(command);
      expect(replies.length).toBeGreaterThan(0);
      expect(replies.join('\n')).not.toContain('Đã xảy ra lỗi');
    }
    await me.say('/new');
    expect((await me.say('/cancel')).join('\n')).toContain('Đã huỷ');
    expect(platform.sent.every((m) => m.text.length <= 2000)).toBe(true);
  });

  it('replies from Zalo Bot to a lead who wrote on Zalo OA, and is told when Zalo refuses for quota', async () => {
    const { user: sales } = await makeStaff('sales', { chatIds: { zalo_bot: 'S2' } });
    const { customer } = await captureLead({ channel: 'zalo_oa', chatId: 'oa-lead-1', name: 'Võ Thị Mai', phone: '0933444555' });
    expect(String(customer.owner)).toBe(String(sales._id));
    const me = chat('S2');

    await me.say('/find Mai');
    await me.choose('↩️ Nhắn khách');
    await me.say('Chào chị Mai, em gửi báo giá ạ');
    expect(me.text).toContain('✅ Đã gửi cho Võ Thị Mai');
    expect(zalo.sent).toEqual([expect.objectContaining({ userId: 'oa-lead-1', text: 'Chào chị Mai, em gửi báo giá ạ' })]);
    expect(await Interaction.findOne({ customer: customer._id, type: 'message_out' }).lean()).toMatchObject({ channel: 'zalo_oa' });

    zalo.refusals.set('oa-lead-1', { error: -230, message: 'User has not interacted with the OA in the last 7 days' });
    await me.say('/find Mai');
    await me.choose('↩️ Nhắn khách');
    await me.say('Chị còn quan tâm không ạ?');
    expect(me.text).toContain('❌');
    expect(me.text).toContain('hạn mức');
    // Zalo's own code reaches the salesperson, not just the log.
    expect(me.text).toContain('-230');
    expect(app.log.lines().some((l) => l.code === -230)).toBe(true);
  });

  it('a manager reassigns a customer by typing, and the new owner is told on Zalo Bot', async () => {
    await makeStaff('manager', { chatIds: { zalo_bot: 'M1' } });
    const { user: first } = await makeStaff('sales');
    const { user: second } = await makeStaff('sales', { chatIds: { zalo_bot: 'S3' } });
    const { customer } = await captureLead({ channel: 'web', name: 'Đặng Quốc Huy', phone: '0944555666' });
    expect(String(customer.owner)).toBe(String(first._id));
    const manager = chat('M1');

    await manager.say('/find Huy');
    await manager.choose('👥 Giao cho');
    await manager.choose(second.name);
    expect(manager.text).toContain('✅ Đã giao Đặng Quốc Huy');
    expect(String((await Customer.findById(customer._id).lean())!.owner)).toBe(String(second._id));
    expect(platform.sent.filter((m) => m.chatId === 'S3').map((m) => m.text).join('\n')).toContain('Đặng Quốc Huy');
  });

  it('the owner answers a forwarded message from a Zalo OA lead by typing the number of "reply"', async () => {
    await makeStaff('sales', { chatIds: { zalo_bot: 'S4' } });
    await captureLead({ channel: 'zalo_oa', chatId: 'oa-lead-2', name: 'Bùi Minh', phone: '0955666777' });
    const oa = new OaWebhookSender(app.url, 'app1', 'oa-secret');
    const me = chat('S4');
    await oa.post(oa.text('oa-lead-2', 'Bên em còn căn góc không?'));
    await waitFor(() => platform.sent.some((m) => m.chatId === 'S4' && m.text.includes('Bên em còn căn góc không?')));
    me.last = platform.sent.filter((m) => m.chatId === 'S4').map((m) => m.text);
    await me.choose('↩️ Nhắn khách');
    await me.say('Dạ còn ạ, anh ghé xem nhé');
    expect(zalo.sent.map((s) => s.text)).toContain('Dạ còn ạ, anh ghé xem nhé');
  });
});
