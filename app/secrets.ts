import type { Config } from './config.js';

/**
 * Every secret value this process knows, so that no log line or printed error can carry one,
 * whoever built the text: our own messages, a library's error (grammY puts the whole request payload,
 * `secret_token` included, on its errors), a crash dump. The logger runs each finished line through
 * `redactSecrets`, and main.ts does the same for what it prints before the logger exists.
 *
 * Values shorter than MIN_LENGTH are not tracked: replacing every "abc" in the logs would hide far
 * more than it protects, and the configuration refuses secrets that short where it can.
 */
const MIN_LENGTH = 6;
const MASK = '[redacted]';
const known = new Set<string>();
let pattern: RegExp | undefined;

/** Adds a secret learnt at run time (a refreshed Zalo OA token pair), besides the configured ones. */
export function addSecret(value: string | undefined | null): void {
  if (!value || value.length < MIN_LENGTH) return;
  // The forms a value takes inside a URL or a JSON string are tracked too.
  for (const form of [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]) {
    if (form.length >= MIN_LENGTH && !known.has(form)) {
      known.add(form);
      pattern = undefined;
    }
  }
}

/** Tracks every secret in the configuration: tokens, webhook secrets, keys, passwords, the database password. */
export function addConfiguredSecrets(config: Partial<Config>): void {
  for (const key of SECRET_SETTINGS) addSecret(config[key] as string | undefined);
  addSecret(urlPassword(config.SMTP_URL));
  const dbPassword = mongoPassword(config.MONGODB_URI);
  if (dbPassword) {
    addSecret(dbPassword);
    addSecret(decodeURIComponentSafe(dbPassword));
  }
}

/** The settings whose values are secret. */
export const SECRET_SETTINGS = [
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_WEBHOOK_SECRET',
  'ZALO_OA_SECRET_KEY',
  'ZALO_OA_APP_SECRET',
  'ZALO_OA_ACCESS_TOKEN',
  'ZALO_OA_REFRESH_TOKEN',
  'ZALO_BOT_TOKEN',
  'ZALO_BOT_WEBHOOK_SECRET',
  'SESSION_SECRET',
  'ADMIN_PASSWORD',
  'UNSUBSCRIBE_SECRET',
  'SMS_API_KEY',
] as const satisfies readonly (keyof Config)[];

/** Replaces every known secret in a text. Cheap when nothing is known; one pass otherwise. */
export function redactSecrets(text: string): string {
  if (!known.size || !text) return text;
  pattern ??= new RegExp(
    [...known]
      .sort((a, b) => b.length - a.length)
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('|'),
    'g',
  );
  return text.replace(pattern, MASK);
}

/** The password part of mongodb://user:password@host/..., if any. */
export function mongoPassword(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  const m = /^mongodb(?:\+srv)?:\/\/[^:/@]*:([^@/]*)@/.exec(uri);
  return m?.[1] || undefined;
}

/** The password of smtp://user:password@host (SMTP_URL), decoded as the SMTP login sends it. */
function urlPassword(value: string | undefined): string | undefined {
  try {
    return value ? decodeURIComponent(new URL(value).password) || undefined : undefined;
  } catch {
    return undefined;
  }
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
