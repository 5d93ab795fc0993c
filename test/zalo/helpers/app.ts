import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../../app/config.js';
import type { AppContext, Feature } from '../../../app/context.js';
import type { Database } from '../../../app/database.js';
import { createHttpApp } from '../../../app/http.js';
import { Notifier } from '../../../bot/core/notifier.js';
import { chatCoreFeature } from '../../../bot/core/feature.js';
import { memoryLogger } from './logger.js';

export interface TestApp {
  ctx: AppContext;
  url: string;
  log: ReturnType<typeof memoryLogger>;
  stop(): Promise<void>;
}

/**
 * The chat core plus the given Zalo features on a real HTTP server (127.0.0.1, random port), the
 * way start-up wires them, over the test database already connected by useTestDatabase().
 */
export async function startTestApp(env: Record<string, string>, features: Feature[]): Promise<TestApp> {
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ...env });
  const log = memoryLogger();
  const http = createHttpApp();
  const ctx: AppContext = {
    config,
    logger: log.logger,
    db: { uri: '', dbName: '', embedded: true, close: async () => {} } as Database,
    mode: { web: true, worker: true },
    http,
    notifier: new Notifier(log.logger),
    registry: new Map(),
  };
  const stops: (() => Promise<void>)[] = [];
  for (const feature of [chatCoreFeature, ...features]) {
    const started = await feature.start(ctx);
    if (started?.stop) stops.push(started.stop);
  }
  const server: Server = await new Promise((resolve) => {
    const s = http.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ctx,
    url,
    log,
    async stop() {
      for (const stop of stops.reverse()) await stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Waits until `check` holds (the processor works after the webhook has answered). */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not met in time');
}
