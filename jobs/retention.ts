import { deleteExpired } from '../crm/maintenance/retention.js';
import type { JobDefinition } from './types.js';

/** Deletes web chat bubbles past their retention (crm/maintenance/retention.ts). */
export const retentionCleanup: JobDefinition = {
  name: 'retention cleanup',
  every: '10 minutes',
  async run({ clock, logger }) {
    const deleted = await deleteExpired(clock.now());
    if (deleted.webMessages) logger.info(deleted, 'retention cleanup: deleted expired records');
  },
};
