import { spawnSync } from 'node:child_process';
import { loadConfig, ConfigError } from '../../app/config.js';

describe('configuration', () => {
  it('has working defaults with nothing set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      DATA_DIR: './data',
      PORT: 3000,
      TZ_DEFAULT: 'Asia/Ho_Chi_Minh',
      TELEGRAM_API_ROOT: 'https://api.telegram.org',
      ZALO_OA_API_ROOT: 'https://openapi.zalo.me',
      ZALO_OAUTH_ROOT: 'https://oauth.zaloapp.com',
      ZALO_BOT_API_ROOT: 'https://bot-api.zaloplatforms.com',
      LOG_LEVEL: 'info',
    });
    expect(config.MONGODB_URI).toBeUndefined();
  });

  it('treats empty variables as unset and trims URLs', () => {
    const config = loadConfig({ MONGODB_URI: '', PUBLIC_URL: 'https://crm.example.vn/', PORT: '8080' });
    expect(config.MONGODB_URI).toBeUndefined();
    expect(config.PUBLIC_URL).toBe('https://crm.example.vn');
    expect(config.PORT).toBe(8080);
  });

  it('names every wrong variable at once', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ PORT: 'eighty', MONGODB_URI: 'postgres://x', TZ_DEFAULT: 'Asia/Hanoi_City', TELEGRAM_BOT_TOKEN: 'abc', LOG_LEVEL: 'loud', ADMIN_PASSWORD: 'short' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = error!.message;
    for (const name of ['PORT', 'MONGODB_URI', 'TZ_DEFAULT', 'TELEGRAM_BOT_TOKEN', 'LOG_LEVEL', 'ADMIN_PASSWORD']) expect(text).toContain(name);
  });

  it('trusts no proxy unless TRUST_PROXY names one, and refuses a value that would let any client choose its address', () => {
    expect(loadConfig({}).TRUST_PROXY).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).TRUST_PROXY).toBe('loopback');
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 172.16.0.0/12, ::1' }).TRUST_PROXY).toBe('10.0.0.5, 172.16.0.0/12, ::1');
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    for (const bad of ['true', '*', 'proxy.internal', '10.0.0.0/33', '0', '11', 'loopback,']) {
      expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY/);
    }
  });

  it('asks for both admin variables or neither, and the OA secret with the OA app id', () => {
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@b.vn' })).toThrow(/ADMIN_EMAIL and ADMIN_PASSWORD/);
    expect(() => loadConfig({ ZALO_OA_APP_ID: '123' })).toThrow(/ZALO_OA_SECRET_KEY/);
  });

  it('the product refuses to start with a bad variable, says which, and exits non-zero', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
      env: { ...process.env, PORT: 'not-a-port', MONGODB_URI: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Invalid configuration/);
    expect(run.stderr).toMatch(/PORT/);
  });
});
