import express, { type Express } from 'express';
import { isDatabaseReachable } from './database.js';

/**
 * The HTTP app with the health endpoints every deployment probes. Express answers an unhandled
 * error with its stack trace unless its environment is production: it is, whatever NODE_ENV says,
 * unless a developer asks for the details (DEV_DIAGNOSTICS).
 */
export function createHttpApp(opts: { showErrorDetails?: boolean } = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('env', opts.showErrorDetails ? 'development' : 'production');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const database = await isDatabaseReachable();
    res.status(database ? 200 : 503).json({ status: database ? 'ready' : 'unavailable', database });
  });
  return app;
}
