import type { RequestHandler } from 'express';
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
export function createWebChatFeature(tuning: Pick<WebApiOptions, 'pollTimeoutMs' | 'pollRecheckMs' | 'messagesPerMinute' | 'messagesPerVisitorMinute' | 'pollsPerMinute'> = {}): Feature {
  return {
    name: 'web-chat',
    async start(ctx: AppContext) {
      const conversations = new WebConversations();
      ctx.notifier.register(new WebSender(conversations));
      if (!ctx.mode.web) return;
      const core = getChatCore(ctx);
      const session = adminSession(ctx);
      ctx.http.use('/chat/api', session);
      ctx.http.use('/chat', createWebChatRoutes({ ...tuning, conversations, core, logger: ctx.logger.child({ part: 'web-chat' }) }, { staffSession: session }));
    },
  };
}

export const webChatFeature = createWebChatFeature();

/** The registry name under which the admin panel may offer its express-session middleware. */
export const SESSION_MIDDLEWARE_KEY = 'sessionMiddleware';

/**
 * Staff are recognized by the admin panel's session. When that session middleware is mounted
 * app-wide before this feature, `req.session` is already there; when the admin panel starts later
 * in the feature list, its middleware is looked up from the registry at request time instead.
 */
function adminSession(ctx: AppContext): RequestHandler {
  return (req, res, next) => {
    if ((req as { session?: unknown }).session !== undefined) return next();
    const session = ctx.registry.get(SESSION_MIDDLEWARE_KEY);
    if (typeof session === 'function') return (session as RequestHandler)(req, res, next);
    next();
  };
}
