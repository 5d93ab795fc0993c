import type { AppContext, Feature } from '../../../app/context.js';
import type { Logger } from '../../../app/logger.js';
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
    const adapter = new ZaloBotAdapter({ core: getChatCore(ctx), sender, logger });
    const processor = new InboxProcessor({ channel: 'zalo_bot', logger, handle: (event) => adapter.handle(event) });
    const onStored = () => void processor.kick();

    const stops: (() => Promise<void>)[] = [];
    const secret = config.ZALO_BOT_WEBHOOK_SECRET;
    if (config.PUBLIC_URL && secret) {
      if (ctx.mode.web) {
        ctx.http.use(botWebhookRouter({ secret, logger, onStored }));
        const url = `${config.PUBLIC_URL}${BOT_WEBHOOK_PATH}`;
        stops.push(retryInBackground(logger, 'setWebhook', () => client.setWebhook(url, secret)));
      }
    } else if (ctx.mode.worker) {
      const poller = new ZaloBotPoller({ client, logger, onStored });
      // Polling only works without a webhook; removing it is retried in the background like the rest.
      stops.push(
        retryInBackground(logger, 'deleteWebhook', async () => {
          await client.deleteWebhook();
          poller.start();
        }),
      );
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

/**
 * Runs a start-up call without holding up the start: a platform that is down is retried with a
 * growing pause until it answers or the app stops.
 */
function retryInBackground(logger: Logger, what: string, call: () => Promise<unknown>): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let attempt = 0;
  const run = async () => {
    if (stopped) return;
    try {
      await call();
      logger.info({ call: what }, 'Zalo Bot start-up call done');
    } catch (err) {
      attempt += 1;
      const pause = Math.min(2000 * 2 ** (attempt - 1), 5 * 60_000);
      logger.warn({ call: what, err: err instanceof Error ? err.message : String(err), retryInMs: pause }, 'Zalo Bot start-up call failed; retrying');
      if (!stopped) {
        timer = setTimeout(() => void run(), pause);
        timer.unref();
      }
    }
  };
  void run();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
