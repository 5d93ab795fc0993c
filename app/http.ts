import express, { type Express } from 'express';
import { isDatabaseReachable } from './database.js';

/** The HTTP app with the health endpoints every deployment probes. */
export function createHttpApp(): Express {
  const app = express();
  app.disable('x-powered-by');
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
