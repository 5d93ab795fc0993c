import { activeOaTokens } from '../bot/zalo/oa/activeTokens.js';
import type { JobDefinition } from './types.js';

/**
 * Keeps the Zalo OA access token fresh while nobody sends anything: refreshes it when it expires
 * within the look-ahead (two hours). The token manager holds a MongoDB lock, so several workers
 * running this at once still spend Zalo's single-use refresh token only once. Sends also refresh on
 * their own when needed; this job only spares the first send after a quiet day the wait.
 */
export const zaloOaTokenRefresh: JobDefinition = {
  name: 'zalo-oa-token-refresh',
  every: '10 minutes',
  lockLifetimeMs: 2 * 60_000,
  async run(deps) {
    const tokens = activeOaTokens();
    if (!tokens) return;
    const refreshed = await tokens.refreshIfDue(deps.clock.now());
    if (refreshed) deps.logger.info('Zalo OA access token refreshed ahead of expiry');
  },
};
