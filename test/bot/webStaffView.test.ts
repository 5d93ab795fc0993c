import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { t } from '../../i18n/index.js';
import { helpReply } from '../../bot/core/staff.js';
import { newClientId, newVisitorId, startWebChat, TEST_ADMIN_HEADER, type WebChatHarness } from './webHarness.js';

/**
 * /chat as a staff member logged into the admin panel sees it: their own header (not the
 * customers' "Chat với chúng tôi"), and a /help that says how to answer a customer on the web chat,
 * which has no "reply to a forwarded message".
 */
useTestDatabase();

let chat: WebChatHarness | undefined;
afterEach(async () => {
  await chat?.stop();
  chat = undefined;
});

async function page(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(chat!.base + path, { headers });
  return res.text();
}

const h1 = (html: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(html)?.[1];

describe('the web chat for staff', () => {
  it('shows a logged-in staff member the staff header with their name; visitors and the widget frame keep the welcome', async () => {
    await makeStaff('sales', { email: 'thu.sales@test.vn', name: 'Thu <Sales>' });
    chat = await startWebChat();
    const staffPage = await page('/chat', { [TEST_ADMIN_HEADER]: 'thu.sales@test.vn' });
    expect(h1(staffPage)).toBe(t('vi', 'web.staffTitle'));
    expect(staffPage).toContain(`<title>${t('vi', 'web.staffTitle')}</title>`);
    expect(staffPage).toContain('Bạn đang chat với tư cách nhân viên: Thu &#60;Sales&#62;.');
    expect(staffPage).not.toContain(`>${t('vi', 'web.title')}<`);
    expect(h1(await page('/chat?lang=en', { [TEST_ADMIN_HEADER]: 'thu.sales@test.vn' }))).toBe('chot · Staff workspace');

    expect(h1(await page('/chat'))).toBe(t('vi', 'web.title'));
    // Inside another site's frame a panel session never counts (clickjacking), header included.
    expect(h1(await page('/chat?embed=1', { [TEST_ADMIN_HEADER]: 'thu.sales@test.vn' }))).toBe(t('vi', 'web.title'));
    // A session for someone who is not staff is a visitor's page.
    expect(h1(await page('/chat', { [TEST_ADMIN_HEADER]: 'nobody@test.vn' }))).toBe(t('vi', 'web.title'));
  });

  it('finds the panel session when the panel offers it only by name (started after the web chat)', async () => {
    await makeStaff('manager', { email: 'lan.manager@test.vn' });
    chat = await startWebChat({}, { session: 'registry' });
    expect(h1(await page('/chat', { [TEST_ADMIN_HEADER]: 'lan.manager@test.vn' }))).toBe(t('vi', 'web.staffTitle'));
  });

  it('answers /help on the web chat with how to message a customer from the card, not "reply to a forwarded message"', async () => {
    await makeStaff('sales', { email: 'thu.sales@test.vn' });
    chat = await startWebChat();
    const res = await chat.post('/chat/api/messages', { visitorId: newVisitorId(), clientMessageId: newClientId(), text: '/help' }, { [TEST_ADMIN_HEADER]: 'thu.sales@test.vn' });
    expect(res.status).toBe(200);
    const help = res.body.messages.at(-1).text as string;
    expect(help).toContain('/find');
    expect(help).toContain('↩️ Nhắn khách');
    expect(help).toContain(t('vi', 'chat.action.reply'));
    expect(help).not.toMatch(/Trả lời \(reply\)|chuyển tiếp/);
    // Telegram and Zalo can reply to a message: their help still says so.
    expect(helpReply('vi', 'telegram').text).toContain('Trả lời (reply) một tin chuyển tiếp');
    expect(helpReply('en', 'web').text).toContain('press ↩️ Message customer');
  });
});
