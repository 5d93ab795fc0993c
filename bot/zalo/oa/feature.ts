import type { AppContext, Feature } from '../../../app/context.js';
import type { ChannelLink } from '../../../app/channels.js';
import { getChatCore } from '../../core/feature.js';
import { InboxProcessor } from '../shared/inbox.js';
import { setActiveOaTokens } from './activeTokens.js';
import { OaAdapter } from './adapter.js';
import { ZaloOaClient } from './client.js';
import { ZaloOauthClient } from './oauth.js';
import { OaSender } from './sender.js';
import { OaTokenManager } from './tokens.js';
import { oaWebhookRouter } from './webhook.js';

/** Registry key under which the token manager is offered to the refresh job and the admin panel. */
export const ZALO_OA_TOKENS = 'zaloOaTokens';

/**
 * The Zalo Official Account channel. Starts only with ZALO_OA_APP_ID and ZALO_OA_SECRET_KEY set.
 *
 * Two different secrets exist on Zalo's side: the OA secret key (Webhook settings; signs webhook
 * events) and the application's secret key (sent as `secret_key` when refreshing tokens). The
 * configuration has one variable, ZALO_OA_SECRET_KEY, used for both; when they differ, set
 * ZALO_OA_APP_SECRET for the refresh.
 */
export const zaloOaFeature: Feature = {
  name: 'zalo-oa',
  async start(ctx: AppContext) {
    const { config } = ctx;
    const appId = config.ZALO_OA_APP_ID;
    const oaSecret = config.ZALO_OA_SECRET_KEY;
    if (!appId || !oaSecret) return;
    const logger = ctx.logger.child({ part: 'zalo_oa' });
    const appSecret = config.ZALO_OA_APP_SECRET || oaSecret;

    const tokens = new OaTokenManager({
      appId,
      logger,
      oauth: new ZaloOauthClient({ oauthRoot: config.ZALO_OAUTH_ROOT ?? 'https://oauth.zaloapp.com', appId, secretKey: appSecret }),
      configured: { accessToken: config.ZALO_OA_ACCESS_TOKEN, refreshToken: config.ZALO_OA_REFRESH_TOKEN },
    });
    await tokens.init();
    ctx.registry.set(ZALO_OA_TOKENS, tokens);

    let link: ChannelLink | undefined;
    const sender = new OaSender({
      client: new ZaloOaClient({ apiRoot: config.ZALO_OA_API_ROOT ?? 'https://openapi.zalo.me' }),
      tokens,
      logger,
      onPlatform: (failure) => link?.report(failure),
    });
    ctx.notifier.register(sender);
    const adapter = new OaAdapter({ core: getChatCore(ctx), sender, notifier: ctx.notifier, logger });
    const processor = new InboxProcessor({ channel: 'zalo_oa', logger, handle: (event) => adapter.handle(event) });
    if (ctx.mode.web) {
      ctx.http.use(oaWebhookRouter({ appId, secretKey: oaSecret, logger, onStored: () => void processor.kick() }));
    }
    processor.start();

    // The refresh ahead of expiry is the `zalo-oa-token-refresh` job (jobs/); sends refresh on demand too.
    setActiveOaTokens(tokens);
    // The OA needs no start-up call, only a usable access token: when the stored one is missing or
    // due, getting one (a refresh) runs in the background on the channel board, retried until Zalo answers.
    link = ctx.channels.bringUp('zalo_oa', async () => {
      if (!(await tokens.accessToken())) {
        const status = await tokens.status();
        throw new Error(`no usable Zalo OA access token (${status?.lastError?.code ?? status?.status ?? 'missing'}: ${status?.lastError?.message ?? 're-authorize the OA app'})`);
      }
    });
    logger.info({ webhook: ctx.mode.web ? '/webhooks/zalo-oa' : undefined }, 'Zalo OA channel started');
    return {
      async stop() {
        setActiveOaTokens(undefined);
        await processor.stop();
      },
    };
  },
};
