import type { Server } from 'node:http';
import type { Express } from 'express';
import { connectDatabase, type Database } from './database.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { createHttpApp } from './http.js';
import { lastErrorHandler } from './errors.js';
import type { AppContext, Feature, RunMode } from './context.js';
import { seedDefaults, ensureFirstAdmin } from '../crm/seed/defaults.js';
import { useLinkCodeSecret } from '../crm/users/users.js';
import { Notifier } from '../bot/core/notifier.js';

export interface RunningApp {
  ctx: AppContext;
  server?: Server;
  /** The port the server listens on (useful with PORT=0 in tests). */
  port?: number;
  stop(): Promise<void>;
}

/**
 * Starts chot: database (real or embedded), default data, the features, then the HTTP server.
 * Stopping runs the same steps backwards, so the embedded database persists its data last.
 */
export async function startApp(opts: {
  config: Config;
  logger: Logger;
  mode?: RunMode;
  features?: Feature[];
  dbName?: string;
  /** Extra driver options (the bench turns on command monitoring). */
  clientOptions?: import('mongoose').ConnectOptions;
}): Promise<RunningApp> {
  const { config, logger } = opts;
  if (config.SESSION_SECRET) useLinkCodeSecret(config.SESSION_SECRET);
  const mode = opts.mode ?? { web: true, worker: true };
  const db: Database = await connectDatabase({ uri: config.MONGODB_URI, dataDir: config.DATA_DIR, dbName: opts.dbName, clientOptions: opts.clientOptions }, logger);
  const stops: (() => Promise<void>)[] = [() => db.close()];
  const stopAll = async () => {
    for (const stop of stops.reverse().splice(0)) {
      try {
        await stop();
      } catch (err) {
        logger.error({ err }, 'error while stopping');
      }
    }
  };
  try {
    await seedDefaults();
    const admin = await ensureFirstAdmin({ email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD });
    if (admin.generatedPassword) {
      // Printed once, on purpose: it is the only way into a fresh install without ADMIN_PASSWORD.
      logger.warn(`First admin created: ${admin.email} / ${admin.generatedPassword} (change it in the admin panel)`);
    } else if (admin.created) {
      logger.info({ email: admin.email }, 'first admin created from ADMIN_EMAIL');
    }
    const http: Express = createHttpApp();
    const ctx: AppContext = { config, logger, db, mode, http, notifier: new Notifier(logger), registry: new Map() };
    const features = opts.features ?? (await import('./features.js')).FEATURES;
    for (const feature of features) {
      const started = await feature.start(ctx);
      if (started?.stop) stops.push(started.stop);
      logger.debug({ feature: feature.name }, 'feature started');
    }
    http.use(lastErrorHandler(logger, config.DEV_DIAGNOSTICS));
    let server: Server | undefined;
    let port: number | undefined;
    if (mode.web) {
      server = await new Promise<Server>((resolve, reject) => {
        const s = http.listen(config.PORT, () => resolve(s));
        s.once('error', reject);
      });
      port = (server.address() as { port: number }).port;
      stops.push(() => new Promise<void>((resolve) => server!.close(() => resolve())));
      server.closeIdleConnections?.();
      logger.info({ port, url: config.PUBLIC_URL ?? `http://localhost:${port}` }, 'chot is listening');
    }
    return { ctx, server, port, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
