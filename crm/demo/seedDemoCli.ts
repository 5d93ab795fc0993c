import { loadConfig, ConfigError } from '../../app/config.js';
import { createLogger } from '../../app/logger.js';
import { connectDatabase } from '../../app/database.js';
import { EmbeddedStartError } from '../../app/embedded/internals.js';
import { seedDemo, DEMO_PASSWORD, DEMO_WEB_CHAT_EVERY, demoVisitorId } from './seedDemo.js';

/**
 * `npm run seed:demo -- --customers N [--no-b2b]`: loads demo data into MONGODB_URI or the embedded
 * database under DATA_DIR; organizations, contacts and opportunities too unless `--no-b2b`.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--customers');
  const customers = at >= 0 ? Number(args[at + 1]) : 1000;
  const b2b = !args.includes('--no-b2b');
  if (!Number.isInteger(customers) || customers < 1 || customers > 2_000_000) {
    console.error('Usage: npm run seed:demo -- --customers N [--no-b2b]   (N between 1 and 2,000,000)');
    process.exit(2);
  }
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const db = await connectDatabase({ uri: config.MONGODB_URI, dataDir: config.DATA_DIR }, logger);
  try {
    const summary = await seedDemo({ customers, b2b, log: (msg) => logger.info(msg) });
    logger.info(summary, `demo data loaded in ${(summary.ms / 1000).toFixed(1)} s; staff log in as demo.manager@chot.local or demo.sales1@chot.local with password ${DEMO_PASSWORD}`);
    // A person reads this, not a log parser: how to see a campaign arrive as a demo customer.
    console.log(
      `\nOne demo customer in ${DEMO_WEB_CHAT_EVERY} has a web chat account, so a campaign on "Web chat" reaches them.\n` +
        `To read the chat as customer KH000001: open /chat, then in the browser console run\n` +
        `  localStorage.setItem('chot.visitorId', '${demoVisitorId(1)}'); location.reload()\n`,
    );
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof EmbeddedStartError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
