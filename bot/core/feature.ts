import type { AppContext, Feature } from '../../app/context.js';
import { ChatCore } from './chatCore.js';
import { LeadGate } from './leadGate.js';

const REGISTRY_KEY = 'chatCore';

/**
 * Creates the one chat core of the app, shared by every channel feature (Telegram, web, Zalo).
 * Listed before the channel features in app/features.ts.
 */
export const chatCoreFeature: Feature = {
  name: 'chat-core',
  async start(ctx: AppContext) {
    ctx.registry.set(REGISTRY_KEY, new ChatCore({ notifier: ctx.notifier, logger: ctx.logger.child({ part: 'chat' }), leadGate: new LeadGate(ctx.config.LEADS_PER_ADDRESS_PER_HOUR) }));
    // Summaries of coalesced "new message" alerts whose process died are sent by whoever runs the core.
    ctx.notifier.messageAlerts.start();
    return { stop: async () => ctx.notifier.messageAlerts.stop() };
  },
};

/** The shared chat core; throws when chatCoreFeature has not started (a feature-order mistake). */
export function getChatCore(ctx: AppContext): ChatCore {
  const core = ctx.registry.get(REGISTRY_KEY);
  if (!(core instanceof ChatCore)) throw new Error('chat core not started: list chatCoreFeature before the channel features in app/features.ts');
  return core;
}
