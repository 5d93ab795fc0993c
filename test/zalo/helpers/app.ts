import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../../app/config.js';
import type { AppContext, Feature } from '../../../app/context.js';
import type { Database } from '../../../app/database.js';
import { createHttpApp } from '../../../app/http.js';
import { ChannelBoard } from '../../../app/channels.js';
import { Notifier } from '../../../bot/core/notifier.js';
import { chatCoreFeature } from '../../../bot/core/feature.js';
import { memoryLogger } from './logger.js';
import { zaloOaFeature } from '../../../bot/zalo/oa/feature.js';
import { zaloBotFeature } from '../../../bot/zalo/bot/feature.js';

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
    channels: new ChannelBoard(log.logger),
    registry: new Map(),
  };
  const stops: (() => Promise<void>)[] = [() => ctx.channels.stop()];
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

/** The OA app the fake Zalo OA server is started with, and the app is configured for. */
export const FAKE_OA_APP = { appId: 'app1', appSecret: 'oa-secret', accessToken: 'access-0', refreshToken: 'refresh-0' };

/** Both Zalo channels in webhook mode, against a fake Bot Platform and a fake OA (started with FAKE_OA_APP). */
export function startBothZaloChannels(opts: { botToken: string; botSecret: string; platformUrl: string; oaUrl: string }, more: Feature[] = []): Promise<TestApp> {
  return startTestApp(
    {
      ZALO_BOT_TOKEN: opts.botToken,
      ZALO_BOT_API_ROOT: opts.platformUrl,
      ZALO_BOT_WEBHOOK_SECRET: opts.botSecret,
      PUBLIC_URL: 'https://chot.example.vn',
      ZALO_OA_APP_ID: FAKE_OA_APP.appId,
      ZALO_OA_SECRET_KEY: FAKE_OA_APP.appSecret,
      ZALO_OA_ACCESS_TOKEN: FAKE_OA_APP.accessToken,
      ZALO_OA_REFRESH_TOKEN: FAKE_OA_APP.refreshToken,
      ZALO_OA_API_ROOT: opts.oaUrl,
      ZALO_OAUTH_ROOT: opts.oaUrl,
    },
    [zaloOaFeature, zaloBotFeature, ...more],
  );
}
