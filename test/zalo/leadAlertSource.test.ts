import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { FakeZaloBot } from './helpers/fakeZaloBot.js';
import { FakeZaloOa } from './helpers/fakeZaloOa.js';
import { FAKE_OA_APP, startBothZaloChannels, waitFor, type TestApp } from './helpers/app.js';
import { OaWebhookSender } from './helpers/oaWebhookClient.js';
import { createWebChatFeature } from '../../bot/web/feature.js';
import { Source } from '../../models/source.js';
import { newClientId, newVisitorId } from '../bot/webHarness.js';

useTestDatabase();

const TOKEN = '1459232241454765289:bot-token-XYZ';
const SECRET = 'zalo-bot-secret-123';

/** The owner's new-lead alert names the channel the lead really came on. */
describe('new-lead alert for a Zalo OA lead', () => {
  let platform: FakeZaloBot;
  let zalo: FakeZaloOa;
  let app: TestApp;
  let hook: OaWebhookSender;

  beforeEach(async () => {
    platform = await new FakeZaloBot(TOKEN).start();
    zalo = await new FakeZaloOa(FAKE_OA_APP).start();
    // Both Zalo channels and the web chat: the owner reads alerts on Zalo Bot.
    const webChat = createWebChatFeature({ pollTimeoutMs: 500, pollRecheckMs: 100, messagesPerMinute: 1000, pollsPerMinute: 1000 });
    app = await startBothZaloChannels({ botToken: TOKEN, botSecret: SECRET, platformUrl: platform.url, oaUrl: zalo.url }, [webChat]);
    hook = new OaWebhookSender(app.url, FAKE_OA_APP.appId, FAKE_OA_APP.appSecret);
  });
  afterEach(async () => {
    await app.stop();
    await platform.server.stop();
    await zalo.server.stop();
  });

  const ownerTexts = () => platform.sent.filter((s) => s.chatId === 'OWNER').map((s) => s.text).join('\n');
  const leadTexts = (userId: string) => zalo.sent.filter((s) => s.userId === userId).map((s) => s.text);

  it('says "Khách mới từ Zalo OA" for a lead who followed the OA and answered the intake', async () => {
    await makeStaff('sales', { chatIds: { zalo_bot: 'OWNER' }, name: 'Chủ Khách' });
    await hook.post(hook.event('follow', 'oa-1'));
    await waitFor(() => leadTexts('oa-1').some((t) => t.includes('Bạn tên là gì?')));
    await hook.post(hook.text('oa-1', 'Đinh Thị Hạnh'));
    await waitFor(() => leadTexts('oa-1').some((t) => t.includes('Số điện thoại')));
    await hook.post(hook.text('oa-1', '0977 123 456'));
    await waitFor(() => leadTexts('oa-1').some((t) => t.includes('tư vấn về điều gì')));
    await hook.post(hook.text('oa-1', 'Nhà phố quận 7'));
    await waitFor(() => ownerTexts().includes('Đinh Thị Hạnh'));
    expect(ownerTexts()).toContain('🆕 Khách mới từ Zalo OA');
    expect(ownerTexts()).toContain('Nguồn: Zalo OA');
    expect(ownerTexts()).not.toContain('Website');
  });

  it('says "Khách mới từ Zalo OA" for a lead from Zalo\'s own form', async () => {
    await makeStaff('sales', { chatIds: { zalo_bot: 'OWNER' }, name: 'Chủ Khách' });
    await hook.post(hook.event('user_submit_info', 'oa-2', { info: { name: 'Lưu Văn Khải', phone: '0977654321' } }));
    await waitFor(() => ownerTexts().includes('Lưu Văn Khải'));
    expect(ownerTexts()).toContain('🆕 Khách mới từ Zalo OA');
    expect(ownerTexts()).not.toContain('Website');
  });

  it('names the OA source as the admin renamed it', async () => {
    await makeStaff('sales', { chatIds: { zalo_bot: 'OWNER' }, name: 'Chủ Khách' });
    await Source.updateOne({ code: 'zalo_oa' }, { $set: { name: 'Zalo OA Nhà Đẹp' } });
    await hook.post(hook.event('user_submit_info', 'oa-3', { info: { name: 'Mai Thu Trang', phone: '0977111333' } }));
    await waitFor(() => ownerTexts().includes('Mai Thu Trang'));
    expect(ownerTexts()).toContain('🆕 Khách mới từ Zalo OA Nhà Đẹp');
  });

  it('says the lead is from Zalo OA, written on the website, when the OA menu link opened the web chat', async () => {
    await makeStaff('sales', { chatIds: { zalo_bot: 'OWNER' }, name: 'Chủ Khách' });
    const visitorId = newVisitorId();
    const send = async (fields: Record<string, unknown>) => {
      const res = await fetch(`${app.url}/chat/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ visitorId, clientMessageId: newClientId(), after: 0, ...fields }),
      });
      expect(res.status).toBeLessThan(300);
    };
    // The OA's menu button links to /chat?src=zalo_oa.
    await send({ start: true, src: 'zalo_oa' });
    await send({ text: 'Phan Quốc Bảo' });
    await send({ text: '0977 222 444' });
    await send({ text: 'Căn hộ Thủ Đức' });
    await waitFor(() => ownerTexts().includes('Phan Quốc Bảo'));
    expect(ownerTexts()).toContain('🆕 Khách mới từ Zalo OA (nhắn qua Website)');
    expect(ownerTexts()).toContain('Nguồn: Zalo OA');
  });
});
