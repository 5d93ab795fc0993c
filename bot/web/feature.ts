import type { AppContext, Feature } from '../../app/context.js';
import { getChatCore } from '../core/feature.js';
import { WebConversations } from './conversations.js';
import { createWebChatRoutes } from './routes.js';
import type { WebApiOptions } from './api.js';
import { WebSender } from './sender.js';

/**
 * The website chat: needs no token, so it always runs, and it is how a newcomer tries chot.
 * The sender is registered in every process (a worker's reminders to web staff are stored and
 * shown when their page polls); the page and its API are mounted only where HTTP is served.
 * Listed after chatCoreFeature in app/features.ts.
 */
export function createWebChatFeature(tuning: Pick<WebApiOptions, 'pollTimeoutMs' | 'pollRecheckMs' | 'messagesPerMinute'> = {}): Feature {
  return {
    name: 'web-chat',
    async start(ctx: AppContext) {
      const conversations = new WebConversations();
      ctx.notifier.register(new WebSender(conversations));
      if (!ctx.mode.web) return;
      const core = getChatCore(ctx);
      ctx.http.use('/chat', createWebChatRoutes({ ...tuning, conversations, core, logger: ctx.logger.child({ part: 'web-chat' }) }));
    },
  };
}

export const webChatFeature = createWebChatFeature();
