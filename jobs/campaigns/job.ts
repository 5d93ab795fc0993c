import type { Notifier } from '../../bot/core/notifier.js';
import type { JobDefinition } from '../types.js';
import { CampaignRunner } from './runner.js';
import { Pacers, paceLimitsFromEnv } from './pacer.js';

// One runner per notifier (one per worker process): its pacers carry the rate from one occurrence to the next.
const runners = new WeakMap<Notifier, CampaignRunner>();

export const campaignSending: JobDefinition = {
  name: 'campaign sending',
  // Short, so a started or resumed campaign begins within seconds; a long send keeps its lock with keepAlive.
  every: '5 seconds',
  lockLifetimeMs: 2 * 60_000,
  async run(deps, keepAlive) {
    let runner = runners.get(deps.notifier);
    if (!runner) {
      runner = new CampaignRunner(deps, { pacers: new Pacers(paceLimitsFromEnv()) });
      runners.set(deps.notifier, runner);
    }
    await runner.runDue(keepAlive);
  },
};
