import { sweepDontForget, type SweptCustomer } from '../crm/dontForget/sweepDontForget.js';
import { getSettings } from '../crm/settings/settings.js';
import { listActiveStaff } from '../crm/users/users.js';
import { t, type Lang } from '../i18n/index.js';
import type { Reply } from '../bot/core/types.js';
import { cappedLines } from './format.js';
import type { JobDefinition, JobDeps } from './types.js';

const MAX_LISTED = 30;

/**
 * Runs the don't-forget rule and tells each salesperson, in one message, which of their customers
 * moved. Customers without an owner are listed to the managers. The sweep itself is repairable
 * (see sweepDontForget); a crash between the sweep and the messages loses only the messages.
 */
export async function runDontForget(deps: Pick<JobDeps, 'clock' | 'notifier'>): Promise<{ moved: number; notified: number }> {
  const now = deps.clock.now();
  const { moved } = await sweepDontForget(now);
  if (!moved.length) return { moved: 0, notified: 0 };
  const { dontForgetDays } = await getSettings();
  const byOwner = new Map<string, SweptCustomer[]>();
  for (const customer of moved) {
    const key = customer.owner ? String(customer.owner) : '';
    byOwner.set(key, [...(byOwner.get(key) ?? []), customer]);
  }
  let notified = 0;
  for (const [owner, customers] of byOwner) {
    if (owner) {
      await deps.notifier.notifyStaff(customers[0]!.owner!, (lang) => [sweepReply(customers, lang, dontForgetDays, false)]);
      notified += 1;
    } else {
      for (const manager of await listActiveStaff(['manager', 'admin'])) {
        await deps.notifier.notifyStaff(manager, (lang) => [sweepReply(customers, lang, dontForgetDays, true)]);
        notified += 1;
      }
    }
  }
  return { moved: moved.length, notified };
}

export function sweepReply(customers: SweptCustomer[], lang: Lang, days: number, unowned: boolean): Reply {
  const lines = [
    t(lang, unowned ? 'jobs.dontForget.unowned' : 'jobs.dontForget.title', { count: customers.length, days }),
    ...cappedLines(
      customers.map((c) => `• ${c.name} (${c.code})`),
      MAX_LISTED,
      (count) => t(lang, 'jobs.dontForget.more', { count }),
    ),
    t(lang, 'jobs.dontForget.hint'),
  ];
  return { text: lines.join('\n') };
}

export const dontForgetSweep: JobDefinition = {
  name: 'dont-forget sweep',
  every: '1 hour',
  run: (deps) => runDontForget(deps).then(() => undefined),
};
