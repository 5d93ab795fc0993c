import { reconcileRollups } from '../crm/rollups/rebuild.js';
import type { JobDefinition } from './types.js';

/** How many differences are logged one by one; the rest are counted. */
const LOGGED_DIFFERENCES = 50;

/**
 * Recounts the dashboard rollups from the customers, interactions and deals, logs every counter
 * that had drifted (a crash between a record's write and its rollup's, a write made outside crm/)
 * and repairs it. Its first run after an upgrade builds them; so does the dashboard itself when
 * it finds none (crm/rollups/rebuild.ts ensureRollups).
 */
export const rollupVerification: JobDefinition = {
  name: 'dashboard rollup verification',
  every: '6 hours',
  lockLifetimeMs: 10 * 60_000,
  async run({ logger }) {
    const result = await reconcileRollups({ fix: true });
    const { differences, ...summary } = result;
    if (!differences.length) {
      logger.info(summary, 'dashboard rollups verified: no difference');
      return;
    }
    for (const d of differences.slice(0, LOGGED_DIFFERENCES)) logger.warn(d, 'dashboard rollup differed from the recount (repaired)');
    logger.warn({ ...summary, differences: differences.length }, 'dashboard rollups repaired');
  },
};
