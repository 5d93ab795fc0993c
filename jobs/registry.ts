import type { JobDefinition } from './types.js';
import { followUpReminders } from './reminders.js';
import { dontForgetSweep } from './dontForget.js';
import { morningDigest } from './digest.js';
import { campaignSending } from './campaigns/job.js';
import { zaloOaTokenRefresh } from './zaloOaTokenRefresh.js';
import { scheduledMessageSending } from './scheduledMessages.js';
import { careMessages } from './careMessages.js';
import { retentionCleanup } from './retention.js';
import { rollupVerification } from './rollups.js';

/**
 * Every scheduled job. To add one: write `jobs/<name>.ts` exporting a JobDefinition
 * ({ name, every, run(deps, keepAlive) }) and add it to this list; the scheduler does the rest.
 */
export const JOBS: JobDefinition[] = [followUpReminders, dontForgetSweep, morningDigest, campaignSending, zaloOaTokenRefresh, scheduledMessageSending, careMessages, retentionCleanup, rollupVerification];
