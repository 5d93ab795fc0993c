import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { FakeZaloBot } from '../../zalo/helpers/fakeZaloBot.js';
import { FakeZaloOa } from '../../zalo/helpers/fakeZaloOa.js';
import { FakeTelegramApi, TELEGRAM_SECRET, TELEGRAM_TOKEN } from './fakeTelegram.js';

export const ADMIN = { email: 'admin@chot.test', password: 'mat-khau-admin-1' };
export const ZALO_OA = { appId: 'oa-app-1', secretKey: 'oa-secret-key-1', accessToken: 'access-0', refreshToken: 'refresh-0' };
export const ZALO_BOT = { token: '1459232241454765289:reliability', secret: 'zalo-bot-secret-1' };

/** The three platforms faked on 127.0.0.1, and the environment that points an app process at them. */
export class FakePlatforms {
  readonly telegram = new FakeTelegramApi();
  readonly zaloOa = new FakeZaloOa({ ...ZALO_OA, appSecret: ZALO_OA.secretKey });
  readonly zaloBot = new FakeZaloBot(ZALO_BOT.token);
  private dataDir = '';

  async start(): Promise<this> {
    await Promise.all([this.telegram.start(), this.zaloOa.start(), this.zaloBot.start()]);
    this.dataDir = await mkdtemp(path.join(os.tmpdir(), 'chot-rel-app-'));
    return this;
  }

  async stop(): Promise<void> {
    await Promise.all([this.telegram.stop(), this.zaloOa.server.stop(), this.zaloBot.server.stop()]);
    if (this.dataDir) await rm(this.dataDir, { recursive: true, force: true });
  }

  /** Webhook mode on every channel, one shared database and session secret: a production-like set-up. */
  env(mongoUri: string): Record<string, string> {
    return {
      MONGODB_URI: mongoUri,
      DATA_DIR: this.dataDir,
      PUBLIC_URL: 'https://crm.example.vn',
      // The TLS proxy PUBLIC_URL implies runs on this host: it alone may say a request came over https.
      TRUST_PROXY: 'loopback',
      SESSION_SECRET: 'reliability-session-secret-0123',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      TELEGRAM_API_ROOT: this.telegram.url,
      TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
      ZALO_OA_APP_ID: ZALO_OA.appId,
      ZALO_OA_SECRET_KEY: ZALO_OA.secretKey,
      ZALO_OA_ACCESS_TOKEN: ZALO_OA.accessToken,
      ZALO_OA_REFRESH_TOKEN: ZALO_OA.refreshToken,
      ZALO_OA_API_ROOT: this.zaloOa.url,
      ZALO_OAUTH_ROOT: this.zaloOa.url,
      ZALO_BOT_TOKEN: ZALO_BOT.token,
      ZALO_BOT_API_ROOT: this.zaloBot.url,
      ZALO_BOT_WEBHOOK_SECRET: ZALO_BOT.secret,
    };
  }
}
