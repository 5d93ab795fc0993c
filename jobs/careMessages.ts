import { queueCareMessages } from '../crm/care/occasions.js';
import { getSettings } from '../crm/settings/settings.js';
import { configuredFallbacks } from '../crm/scheduledMessages/fallback.js';
import type { JobDefinition, JobDeps } from './types.js';

/**
 * Care messages (birthdays, N days after won): today's occasions become scheduled messages once a
 * template's local hour has come; the scheduled-message job (jobs/scheduledMessages.ts, every
 * minute), the one send path, sends them. Running every few minutes rather than hourly: a worker
 * started at 9:05 still greets at 9.
 */
export async function runCareMessages(deps: Pick<JobDeps, 'clock' | 'notifier' | 'logger'>): Promise<number> {
  const { timezone, companyName } = await getSettings();
  const queued = await queueCareMessages(deps.clock.now(), timezone, companyName ?? '', configuredFallbacks(deps.notifier));
  if (queued) deps.logger.info({ queued }, 'care messages queued');
  return queued;
}

export const careMessages: JobDefinition = {
  name: 'care messages',
  every: '5 minutes',
  run: (deps) => runCareMessages(deps).then(() => undefined),
};
