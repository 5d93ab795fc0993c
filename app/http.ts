import express, { type Express, type RequestHandler } from 'express';
import { isDatabaseReachable } from './database.js';
import type { ChannelBoard } from './channels.js';

/**
 * The HTTP app with the health endpoints every deployment probes. `trustProxy` is TRUST_PROXY
 * (app/config.ts): without it, `req.ip` is the peer's address and X-Forwarded-For is ignored, so no
 * client can choose the address the per-address limits count against.
 *
 * /readyz answers 503 only for what stops this process serving (the database). A chat platform that
 * cannot be reached shows in the detail (`channels`) with status 200: taking the web side out of a
 * load balancer because Telegram is down would take the admin panel and the web chat with it.
 */
export function createHttpApp(opts: { trustProxy?: string | number | false; channels?: ChannelBoard } = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', opts.trustProxy ?? false);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const database = await isDatabaseReachable();
    const channels = opts.channels?.snapshot() ?? {};
    const degraded = Object.entries(channels)
      .filter(([, h]) => h.state !== 'up')
      .map(([channel]) => channel);
    res.status(database ? 200 : 503).json({ status: !database ? 'unavailable' : degraded.length ? 'degraded' : 'ready', database, channels, degraded });
  });
  return app;
}

/** Where the chat platforms post their updates (Telegram, Zalo OA, Zalo Bot), each checked by its own secret. */
export const WEBHOOKS_PREFIX = '/webhooks/';

/**
 * `handler` for every request but the platforms' webhooks, which carry no browser session and
 * need none of the panel's per-request work.
 */
export function exceptWebhooks(handler: RequestHandler): RequestHandler {
  return (req, res, next) => (req.path.startsWith(WEBHOOKS_PREFIX) ? next() : handler(req, res, next));
}
