import { ZaloBotApiError, ZaloBotClient } from '../../bot/zalo/bot/client.js';
import { ZaloNetworkError } from '../../bot/zalo/shared/http.js';
import { FakeZaloBot } from './helpers/fakeZaloBot.js';

const TOKEN = '1459232241454765289:abcDEF-123';

describe('Zalo Bot client against a fake Bot Platform', () => {
  let platform: FakeZaloBot;
  let client: ZaloBotClient;
  beforeEach(async () => {
    platform = await new FakeZaloBot(TOKEN).start();
    client = new ZaloBotClient({ token: TOKEN, apiRoot: platform.url });
  });
  afterEach(() => platform.server.stop());

  it('getMe identifies the bot', async () => {
    expect(await client.getMe()).toMatchObject({ id: '1459232241454765289', account_name: 'bot.chot' });
  });

  it('sets, reads and deletes the webhook with its secret token', async () => {
    await client.setWebhook('https://chot.example.vn/webhooks/zalo-bot', 'secret-12345');
    expect(platform.webhook).toEqual({ url: 'https://chot.example.vn/webhooks/zalo-bot', secret: 'secret-12345' });
    expect(await client.getWebhookInfo()).toMatchObject({ url: 'https://chot.example.vn/webhooks/zalo-bot' });
    await client.deleteWebhook();
    expect((await client.getWebhookInfo()).url).toBe('');
  });

  it('refuses a short secret with the platform error', async () => {
    await expect(client.setWebhook('https://chot.example.vn/x', 'short')).rejects.toMatchObject({ errorCode: 400 });
  });

  it('getUpdates returns the queued update as a list, and nothing on a timeout', async () => {
    platform.queue.push({ event_name: 'message.text.received', message: { message_id: 'm1', text: 'hi', chat: { id: 'c1', chat_type: 'PRIVATE' }, from: { id: 'c1', display_name: 'Lan' } } });
    expect(await client.getUpdates(1)).toEqual([expect.objectContaining({ message: expect.objectContaining({ message_id: 'm1' }) })]);
    expect(await client.getUpdates(1)).toEqual([]);
  });

  it('sends messages and the typing action; an over-long text is refused by the platform', async () => {
    expect(await client.sendMessage('c1', 'Xin chào')).toMatchObject({ message_id: 'b1' });
    expect(await client.sendChatAction('c1')).toBe(true);
    await expect(client.sendMessage('c1', 'x'.repeat(2001))).rejects.toBeInstanceOf(ZaloBotApiError);
    expect(platform.sent).toEqual([{ chatId: 'c1', text: 'Xin chào' }]);
  });

  it('a wrong token is an API error; a server that is down is a network error without the token in it', async () => {
    const wrong = new ZaloBotClient({ token: '1:nope', apiRoot: platform.url });
    await expect(wrong.getMe()).rejects.toMatchObject({ errorCode: 401 });
    await platform.server.down();
    const err = await client.getMe().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZaloNetworkError);
    expect(String((err as Error).message)).not.toContain('abcDEF');
  });
});
