import type { AppContext, Feature } from '../../app/context.js';
import { maskSecrets } from '../../app/logger.js';
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
 *   POST /webhooks/telegram is mounted and the webhook registered with Telegram at start-up;
 * - long polling otherwise (development, or a server Telegram cannot reach). Starting polling
 *   removes any webhook, and stopping the app stops polling.
 */
export const telegramFeature: Feature = {
  name: 'telegram',
  async start(ctx: AppContext) {
    const { config } = ctx;
    const logger = ctx.logger.child({ part: 'telegram' });
    if (!config.TELEGRAM_BOT_TOKEN) {
      logger.info('Telegram is off (set TELEGRAM_BOT_TOKEN to turn it on)');
      return;
    }
    const { bot, sender } = createTelegramBot({ token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT, core: getChatCore(ctx), logger });
    ctx.notifier.register(sender);
    if (!ctx.mode.web) return;

    try {
      await bot.init();
    } catch (err) {
      // A wrong token or Telegram being unreachable must not take the web chat and admin down.
      logger.error({ error: maskSecrets(err instanceof Error ? err.message : String(err)) }, 'Telegram bot could not start: check TELEGRAM_BOT_TOKEN');
      return;
    }

    // The admin panel shows staff a t.me deep link for their link code.
    ctx.registry.set('telegram.botUsername', bot.botInfo.username);

    if (config.PUBLIC_URL && config.TELEGRAM_WEBHOOK_SECRET) {
      mountTelegramWebhook(ctx.http, bot, config.TELEGRAM_WEBHOOK_SECRET, logger);
      const url = `${config.PUBLIC_URL}${TELEGRAM_WEBHOOK_PATH}`;
      await bot.api.setWebhook(url, { secret_token: config.TELEGRAM_WEBHOOK_SECRET, allowed_updates: [...ALLOWED_UPDATES] });
      logger.info({ bot: bot.botInfo.username, url }, 'Telegram webhook set');
      return;
    }

    const polling = bot.start({
      allowed_updates: [...ALLOWED_UPDATES],
      onStart: (info) => logger.info({ bot: info.username }, 'Telegram long polling started'),
    });
    polling.catch((err: unknown) => logger.error({ error: maskSecrets(err instanceof Error ? err.message : String(err)) }, 'Telegram polling stopped'));
    return {
      async stop() {
        if (bot.isRunning()) await bot.stop();
      },
    };
  },
};
