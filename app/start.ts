import { createServer, type Server } from 'node:http';
import type { Express } from 'express';
import { connectDatabase, type Database } from './database.js';
import { EmbeddedStartError } from './embedded/internals.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { createHttpApp } from './http.js';
import { lastErrorHandler } from './errors.js';
import type { AppContext, Feature, RunMode } from './context.js';
import { seedDefaults, ensureFirstAdmin } from '../crm/seed/defaults.js';
import { useLinkCodeSecret } from '../crm/users/users.js';
import { Notifier } from '../bot/core/notifier.js';
import { ChannelBoard } from './channels.js';
import { describeError } from './channels.js';
import { firstAdminNotice } from './firstAdminNotice.js';

/**
 * A start-up failure the operator must fix, said in one line with what to do (main.ts prints it and
 * exits non-zero), instead of a driver's stack trace.
 */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

/** The database did not answer: where it was looked for and what to check, never the password. */
function databaseStartupError(err: unknown, config: Config): StartupError {
  // The embedded database's own refusals (data directory in use, damaged files) already say what to do.
  if (err instanceof EmbeddedStartError) return new StartupError(err.message, { cause: err });
  const reason = describeError(err).split('\n')[0];
  if (!config.MONGODB_URI) {
    return new StartupError(`the embedded database could not start in DATA_DIR=${config.DATA_DIR} (${reason}): check that the folder exists and is writable, or set MONGODB_URI`, { cause: err });
  }
  const hosts = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]+)/.exec(config.MONGODB_URI)?.[1] ?? '?';
  return new StartupError(`cannot reach MongoDB at ${hosts} (${reason}): check MONGODB_URI and that MongoDB is running and reachable from this machine`, { cause: err });
}

/** Listens on PORT; a port that is taken or not allowed becomes a StartupError saying what to do. */
function listen(http: Express, port: number): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const server = createServer(http);
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new StartupError(`port ${port} is already in use: stop the program using it, or set PORT to a free port`, { cause: err }));
      else if (err.code === 'EACCES') reject(new StartupError(`port ${port} needs administrator rights: set PORT to 1024 or above (and let the reverse proxy serve 80/443)`, { cause: err }));
      else reject(err);
    });
    server.listen(port, () => resolve(server));
  });
}

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
  /** Where a person at the terminal reads the first admin's generated password (stderr by default). */
  terminal?: NodeJS.WritableStream;
}): Promise<RunningApp> {
  const { config, logger } = opts;
  if (config.SESSION_SECRET) useLinkCodeSecret(config.SESSION_SECRET);
  const mode = opts.mode ?? { web: true, worker: true };
  let db: Database;
  try {
    db = await connectDatabase({ uri: config.MONGODB_URI, dataDir: config.DATA_DIR, dbName: opts.dbName, clientOptions: opts.clientOptions }, logger);
  } catch (err) {
    throw databaseStartupError(err, config);
  }
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
      // The log says only where to look: the password itself goes to the terminal, below.
      logger.warn({ email: admin.email }, 'first admin created with a generated password, shown once on the terminal (stderr); change it at first login');
    } else if (admin.created) {
      logger.info({ email: admin.email }, 'first admin created from ADMIN_EMAIL');
    }
    const channels = new ChannelBoard(logger);
    stops.push(() => channels.stop());
    const trustProxy = config.TRUST_PROXY ?? false;
    if (trustProxy === false && mode.web && config.PUBLIC_URL?.startsWith('https://')) {
      logger.warn('PUBLIC_URL is https but TRUST_PROXY is not set: behind a reverse proxy, set TRUST_PROXY to its address so client addresses are real and admin cookies (Secure) are sent');
    }
    const http: Express = createHttpApp({ trustProxy, channels });
    const ctx: AppContext = { config, logger, db, mode, http, notifier: new Notifier(logger, { messageAlertWindowMs: config.MESSAGE_ALERT_WINDOW_SECONDS * 1000 }), channels, registry: new Map() };
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
      server = await listen(http, config.PORT);
      port = (server.address() as { port: number }).port;
      stops.push(() => new Promise<void>((resolve) => server!.close(() => resolve())));
      server.closeIdleConnections?.();
      logger.info({ port, url: config.PUBLIC_URL ?? `http://localhost:${port}` }, 'chot is listening');
    }
    // Printed once, on purpose: it is the only way into a fresh install without ADMIN_PASSWORD, and
    // after the listening line so it is the last thing on the screen.
    if (admin.generatedPassword) {
      const url = port === undefined ? undefined : `${config.PUBLIC_URL ?? `http://localhost:${port}`}/admin`;
      (opts.terminal ?? process.stderr).write(firstAdminNotice({ email: admin.email!, password: admin.generatedPassword, url }));
    }
    return { ctx, server, port, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
