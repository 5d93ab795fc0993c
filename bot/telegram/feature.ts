import { Api } from 'grammy';
import type { AppContext, Feature } from '../../app/context.js';
import type { ChannelLink } from '../../app/channels.js';
import { getChatCore } from '../core/feature.js';
import { ALLOWED_UPDATES, createTelegramBot } from './bot.js';
import { mountTelegramWebhook, TELEGRAM_WEBHOOK_PATH } from './webhook.js';

/**
 * The Telegram channel, on when TELEGRAM_BOT_TOKEN is set.
 *
 * Every process registers the outbound side, so the worker's reminders and digests reach
 * Telegram too. Only the process serving the web half receives updates, so updates are read
 * by one process whatever the deployment:
 * - webhook mode when PUBLIC_URL and TELEGRAM_WEBHOOK_SECRET are set: the route
 *   POST /webhooks/telegram is mounted and the webhook registered with Telegram;
 * - long polling otherwise (development, or a server Telegram cannot reach). Starting polling
 *   removes any webhook, and stopping the app stops polling.
 *
 * Nothing here waits for Telegram: getMe, setWebhook or deleteWebhook run in the background on the
 * channel board (app/channels.ts), which retries them until Telegram answers. Until then the
 * webhook answers 503 (Telegram delivers again later) and the channel shows as degraded.
 */
export const telegramFeature: Feature = {
  name: 'telegram',
  async start(ctx: AppContext) {
    const { config } = ctx;
    const logger = ctx.logger.child({ part: 'telegram' });
    const token = config.TELEGRAM_BOT_TOKEN;
    if (!token) {
      logger.info('Telegram is off (set TELEGRAM_BOT_TOKEN to turn it on)');
      return;
    }
    let link: ChannelLink | undefined;
    const { bot, sender } = createTelegramBot({
      token,
      apiRoot: config.TELEGRAM_API_ROOT,
      core: getChatCore(ctx),
      logger,
      onPlatform: (failure) => link?.report(failure),
    });
    ctx.notifier.register(sender);
    if (!ctx.mode.web) return;

    const secret = config.TELEGRAM_WEBHOOK_SECRET;
    const webhookUrl = config.PUBLIC_URL && secret ? `${config.PUBLIC_URL}${TELEGRAM_WEBHOOK_PATH}` : undefined;
    if (webhookUrl && secret) mountTelegramWebhook(ctx.http, bot, secret, logger);

    // The start-up calls go out once per attempt, without the send retries: the board retries them.
    const startupApi = new Api(token, { apiRoot: config.TELEGRAM_API_ROOT });
    let stopped = false;
    link = ctx.channels.bringUp('telegram', async (abort) => {
      const signal = abort as Parameters<Api['getMe']>[0];
      const me = await startupApi.getMe(signal);
      bot.botInfo = me;
      // The admin panel shows staff a t.me deep link for their link code.
      ctx.registry.set('telegram.botUsername', me.username);
      if (webhookUrl && secret) {
        await startupApi.setWebhook(webhookUrl, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] }, signal);
        logger.info({ bot: me.username, url: webhookUrl }, 'Telegram webhook set');
        return;
      }
      await startupApi.deleteWebhook({}, signal);
      if (stopped || bot.isRunning()) return;
      const polling = bot.start({
        allowed_updates: [...ALLOWED_UPDATES],
        onStart: (info) => logger.info({ bot: info.username }, 'Telegram long polling started'),
      });
      // Polling ends for good on 401 (token revoked) or 409 (another poller or a webhook): start over.
      polling.catch((err: unknown) => {
        if (!stopped) link?.reconnect(err);
      });
    });
    return {
      async stop() {
        stopped = true;
        if (bot.isRunning()) await bot.stop();
      },
    };
  },
};
