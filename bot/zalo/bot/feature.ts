import type { AppContext, Feature } from '../../../app/context.js';
import type { ChannelLink } from '../../../app/channels.js';
import { getChatCore } from '../../core/feature.js';
import { InboxProcessor } from '../shared/inbox.js';
import { ZaloBotAdapter } from './adapter.js';
import { ZaloBotClient } from './client.js';
import { ZaloBotPoller } from './polling.js';
import { ZaloBotSender } from './sender.js';
import { BOT_WEBHOOK_PATH, botWebhookRouter } from './webhook.js';

/**
 * The Zalo Bot channel. Starts only with ZALO_BOT_TOKEN set. With PUBLIC_URL and
 * ZALO_BOT_WEBHOOK_SECRET it registers `PUBLIC_URL/webhooks/zalo-bot` with setWebhook; without them
 * it removes any webhook and long-polls (the platform allows one or the other, like Telegram).
 */
export const zaloBotFeature: Feature = {
  name: 'zalo-bot',
  async start(ctx: AppContext) {
    const { config } = ctx;
    if (!config.ZALO_BOT_TOKEN) return;
    const logger = ctx.logger.child({ part: 'zalo_bot' });
    const client = new ZaloBotClient({ token: config.ZALO_BOT_TOKEN, apiRoot: config.ZALO_BOT_API_ROOT ?? 'https://bot-api.zaloplatforms.com' });
    const sender = new ZaloBotSender({ client, logger });
    ctx.notifier.register(sender);
    const adapter = new ZaloBotAdapter({ core: getChatCore(ctx), sender, logger, apiOrigin: new URL(config.ZALO_BOT_API_ROOT ?? 'https://bot-api.zaloplatforms.com').origin });
    const processor = new InboxProcessor({ channel: 'zalo_bot', logger, handle: (event) => adapter.handle(event) });
    const onStored = () => void processor.kick();

    const stops: (() => Promise<void>)[] = [];
    const secret = config.ZALO_BOT_WEBHOOK_SECRET;
    // Nothing waits for the platform: the channel board (app/channels.ts) makes the start-up call
    // in the background and retries it until Zalo answers; meanwhile the channel shows as degraded.
    if (config.PUBLIC_URL && secret) {
      if (ctx.mode.web) {
        ctx.http.use(botWebhookRouter({ secret, logger, onStored }));
        const url = `${config.PUBLIC_URL}${BOT_WEBHOOK_PATH}`;
        ctx.channels.bringUp('zalo_bot', async () => {
          await client.setWebhook(url, secret);
          logger.info({ url }, 'Zalo Bot webhook set');
        });
      }
    } else if (ctx.mode.worker) {
      let link: ChannelLink | undefined;
      const poller = new ZaloBotPoller({ client, logger, onStored, onPlatform: (failure) => link?.report(failure) });
      let polling = false;
      // Polling only works without a webhook: removing it is the start-up call.
      link = ctx.channels.bringUp('zalo_bot', async () => {
        await client.deleteWebhook();
        if (!polling) poller.start();
        polling = true;
      });
      stops.push(() => poller.stop());
    }
    processor.start();
    stops.push(() => processor.stop());
    logger.info({ mode: config.PUBLIC_URL && secret ? 'webhook' : 'polling' }, 'Zalo Bot channel started');
    return {
      async stop() {
        for (const stop of stops.reverse()) await stop();
      },
    };
  },
};
