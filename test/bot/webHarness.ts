import type { Server } from 'node:http';
import crypto from 'node:crypto';
import { createHttpApp } from '../../app/http.js';
import { ChannelBoard } from '../../app/channels.js';
import { loadConfig } from '../../app/config.js';
import { createLogger } from '../../app/logger.js';
import type { AppContext } from '../../app/context.js';
import { Notifier } from '../../bot/core/notifier.js';
import { chatCoreFeature } from '../../bot/core/feature.js';
import type { RequestHandler } from 'express';
import { createWebChatFeature, SESSION_MIDDLEWARE_KEY } from '../../bot/web/feature.js';

/** The header the tests use to play "logged into the admin panel as this email". */
export const TEST_ADMIN_HEADER = 'x-test-admin-email';

export interface WebChatHarness {
  base: string;
  ctx: AppContext;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

/**
 * The real HTTP app with the real chat core and web chat on port 0, against the test database.
 * The admin panel's session is simulated by a tiny middleware that sets `req.session.adminUser`
 * from a header, as AdminJS does after a login.
 */
export async function startWebChat(
  tuning: Parameters<typeof createWebChatFeature>[0] = {},
  opts: { session?: 'app-wide' | 'registry' } = {},
): Promise<WebChatHarness> {
  const logger = createLogger('silent');
  const http = createHttpApp();
  const fakeSession: RequestHandler = (req, _res, next) => {
    const email = req.get(TEST_ADMIN_HEADER);
    if (email) (req as unknown as { session: unknown }).session = { adminUser: { email } };
    next();
  };
  // 'registry' plays an admin panel that starts after the web chat and offers its middleware by name.
  if (opts.session !== 'registry') http.use(fakeSession);
  const ctx: AppContext = {
    config: loadConfig({}),
    logger,
    db: { uri: '', dbName: '', embedded: true, close: async () => {} },
    mode: { web: true, worker: false },
    http,
    notifier: new Notifier(logger),
    channels: new ChannelBoard(logger),
    registry: new Map(),
  };
  await chatCoreFeature.start(ctx);
  await createWebChatFeature({ pollTimeoutMs: 1500, pollRecheckMs: 200, messagesPerMinute: 1000, pollsPerMinute: 1000, ...tuning }).start(ctx);
  if (opts.session === 'registry') ctx.registry.set(SESSION_MIDDLEWARE_KEY, fakeSession);
  const server: Server = await new Promise((resolve) => {
    const s = http.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    base,
    ctx,
    async post(path, body, headers = {}) {
      const res = await fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON: keep the raw text for the assertion message.
      }
      return { status: res.status, body: parsed };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A visitor id as the widget makes one: 24 random bytes, base64url. */
export function newVisitorId(): string {
  return crypto.randomBytes(24).toString('base64url');
}

export function newClientId(): string {
  return crypto.randomBytes(12).toString('base64url');
}
