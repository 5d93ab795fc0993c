import { Customer } from '../models/customer.js';
import { sendDueMessages, type MessageOutcome } from '../crm/scheduledMessages/sendDue.js';
import { getSettings } from '../crm/settings/settings.js';
import { t, type MessageKey } from '../i18n/index.js';
import { actionData } from '../bot/core/actions.js';
import { formatLocal } from './format.js';
import type { JobDefinition, JobDeps } from './types.js';

/**
 * Sends the scheduled messages whose time came (each exactly once: see sendDueMessages) and tells
 * each author, in their language and on their linked chats, about a message that did not go out.
 * Care messages have no author: their refusals stay on the record (status and reason).
 */
export async function runScheduledMessages(deps: Pick<JobDeps, 'clock' | 'notifier' | 'logger'>): Promise<MessageOutcome[]> {
  const now = deps.clock.now();
  const { timezone } = await getSettings();
  return sendDueMessages(deps.notifier, now, async ({ message, outcome }) => {
    if (outcome.ok) return;
    deps.logger.warn({ messageId: String(message._id), reason: outcome.reason }, 'scheduled message not sent');
    if (!message.author || ('retryLater' in outcome && outcome.retryLater)) return;
    const customer = await Customer.findById(message.customer).select('name code').lean();
    await deps.notifier.notifyStaff(message.author, (lang) => [
      {
        text: t(lang, 'sched.refused', {
          name: customer?.name ?? '—',
          code: customer?.code ?? '—',
          when: formatLocal(message.sendAt, lang, timezone),
          reason: t(lang, `sched.reason.${outcome.reason}` as MessageKey),
          text: message.text.slice(0, 300),
        }),
        choices: customer ? [{ label: t(lang, 'jobs.reminder.open'), data: actionData.open(customer._id) }] : [],
      },
    ]);
  });
}

export const scheduledMessageSending: JobDefinition = {
  name: 'scheduled messages',
  every: '1 minute',
  run: (deps) => runScheduledMessages(deps).then(() => undefined),
};
