import { loadConfig, ConfigError } from './app/config.js';
import { createLogger } from './app/logger.js';
import { startApp, StartupError } from './app/start.js';
import { addConfiguredSecrets, redactSecrets } from './app/secrets.js';
import type { RunMode } from './app/context.js';

/** The one entry point: `npm start` (web and jobs), `npm run web`, `npm run worker`. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  // From here on, no log line or printed error can carry a configured secret.
  addConfiguredSecrets(config);
  const logger = createLogger(config.LOG_LEVEL);
  const args = process.argv.slice(2);
  const mode: RunMode = args.includes('--web') ? { web: true, worker: false } : args.includes('--worker') ? { web: false, worker: true } : { web: true, worker: true };
  if (!config.MONGODB_URI && (!mode.web || !mode.worker)) {
    logger.error('npm run web and npm run worker share one database: set MONGODB_URI (the embedded database lives inside one process). Use npm start to run both halves in one process.');
    process.exit(1);
  }
  let app;
  try {
    app = await startApp({ config, logger, mode });
  } catch (err) {
    if (err instanceof StartupError) {
      // Something the operator must fix (a port taken, a database out of reach): say what, in one line.
      console.error(`chot cannot start: ${redactSecrets(err.message)}`);
      process.exit(1);
    }
    throw err;
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown took more than 30 s, exiting');
      process.exit(1);
    }, 30_000);
    timer.unref();
    await app.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
}

/** Node's own crash dump would print the error as is: secrets in it (a library's request payload) are replaced first. */
function crash(err: unknown): never {
  console.error(redactSecrets(err instanceof Error ? (err.stack ?? err.message) : String(err)));
  process.exit(1);
}

process.on('uncaughtException', crash);
main().catch(crash);
