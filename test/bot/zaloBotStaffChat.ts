import { FakeZaloBot } from '../zalo/helpers/fakeZaloBot.js';
import { BotChat } from '../zalo/helpers/botChat.js';
import { startTestApp, type TestApp } from '../zalo/helpers/app.js';
import { zaloBotFeature } from '../../bot/zalo/bot/feature.js';

const TOKEN = '1459232241454765289:bot-token-XYZ';
const SECRET = 'zalo-bot-secret-123';

/**
 * The Zalo Bot channel alone (webhook mode, fake platform) for each test of the enclosing
 * describe: the second channel a chat flow is tried on, by typed replies only.
 */
export function useZaloBotChannel(): { chat(chatId: string): BotChat; sentTo(chatId: string): string } {
  let platform: FakeZaloBot;
  let app: TestApp;
  beforeEach(async () => {
    platform = await new FakeZaloBot(TOKEN).start();
    app = await startTestApp({ ZALO_BOT_TOKEN: TOKEN, ZALO_BOT_API_ROOT: platform.url, ZALO_BOT_WEBHOOK_SECRET: SECRET, PUBLIC_URL: 'https://chot.example.vn' }, [zaloBotFeature]);
  });
  afterEach(async () => {
    await app.stop();
    await platform.server.stop();
  });
  return {
    chat: (chatId) => new BotChat(platform, app.url, SECRET, chatId),
    sentTo: (chatId) => platform.sent.filter((s) => s.chatId === chatId).map((s) => s.text).join('\n'),
  };
}
