import net from 'node:net';
import { z } from 'zod';

const optionalText = z.string().trim().min(1).optional();
const url = (fallback?: string) => {
  const base = z.string().trim().url().transform((u) => u.replace(/\/+$/, ''));
  return fallback ? base.default(fallback) : base.optional();
};

/** Every environment variable chot reads. The names are shared by all parts: do not rename. */
const configSchema = z.object({
  MONGODB_URI: optionalText.refine((v) => v === undefined || /^mongodb(\+srv)?:\/\//.test(v), {
    message: 'must start with mongodb:// or mongodb+srv://',
  }),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: url(),
  TZ_DEFAULT: z
    .string()
    .default('Asia/Ho_Chi_Minh')
    .refine((tz) => isValidTimeZone(tz), { message: 'is not an IANA time zone such as Asia/Ho_Chi_Minh' }),
  ADMIN_EMAIL: z.string().trim().email().optional(),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  SESSION_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  TELEGRAM_BOT_TOKEN: z
    .string()
    .trim()
    .regex(/^\d+:[A-Za-z0-9_-]+$/, 'does not look like a bot token from @BotFather (123456:ABC...)')
    .optional(),
  TELEGRAM_API_ROOT: url('https://api.telegram.org'),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, 'may contain only letters, digits, _ and - (Telegram rule)')
    .optional(),
  ZALO_OA_APP_ID: optionalText,
  ZALO_OA_SECRET_KEY: optionalText,
  /** The Zalo app's own secret, for token refresh, when it differs from the OA secret key (Zalo's guides disagree). */
  ZALO_OA_APP_SECRET: optionalText,
  ZALO_OA_ACCESS_TOKEN: optionalText,
  ZALO_OA_REFRESH_TOKEN: optionalText,
  ZALO_OA_API_ROOT: url('https://openapi.zalo.me'),
  ZALO_OAUTH_ROOT: url('https://oauth.zaloapp.com'),
  ZALO_BOT_TOKEN: optionalText,
  ZALO_BOT_API_ROOT: url('https://bot-api.zaloplatforms.com'),
  ZALO_BOT_WEBHOOK_SECRET: optionalText,
  /**
   * Which peers may tell chot the client's address (X-Forwarded-For) and protocol: the reverse
   * proxy's address or subnet, express's names `loopback`, `linklocal`, `uniquelocal`, or a number
   * of proxy hops. Unset: nobody; the address is the connection's own.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .refine(isTrustProxy, {
      message:
        'must be the reverse proxy address(es) or subnet(s), e.g. "127.0.0.1" or "loopback, 10.0.0.0/8" (names: loopback, linklocal, uniquelocal), or a hop count 1-10; "true" (trust anyone) is refused, since any client could then choose its address',
    })
    .transform((v) => (/^\d+$/.test(v) ? Number(v) : v))
    .optional(),
  /** New leads the web chat accepts from one client address per hour (the rest wait, answers kept). */
  LEADS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(10),
  /** Messages of one customer within this many seconds reach the salesperson as one alert (the first at once). */
  MESSAGE_ALERT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /**
   * Outreach channels (email, Zalo ZNS, SMS). Read as plain text here and checked by app/outreach.ts,
   * so a wrong value turns that one channel off with a log line instead of stopping chot.
   */
  SMTP_URL: optionalText,
  MAIL_FROM: optionalText,
  /** Signs unsubscribe and open-tracking links; SESSION_SECRET, else a key kept in the database, when unset. */
  UNSUBSCRIBE_SECRET: optionalText,
  UNSUBSCRIBE_LINK_DAYS: optionalText,
  EMAIL_OPEN_TRACKING: optionalText,
  ZALO_ZNS_ENABLED: optionalText,
  ZALO_ZNS_API_ROOT: optionalText,
  ZALO_ZNS_PRICE_VND: optionalText,
  SMS_PROVIDER: optionalText,
  SMS_API_URL: optionalText,
  SMS_API_KEY: optionalText,
  SMS_BRANDNAME: optionalText,
  SMS_PRICE_PER_SEGMENT_VND: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** For a developer only: stack traces in error answers and source maps in the admin bundles. */
  DEV_DIAGNOSTICS: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true'),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** A hop count 1-10, or a list of addresses, subnets and express's named ranges. */
function isTrustProxy(value: string): boolean {
  if (/^\d+$/.test(value)) return Number(value) >= 1 && Number(value) <= 10;
  const parts = value.split(',').map((p) => p.trim());
  return parts.length > 0 && parts.every((part) => {
    if (['loopback', 'linklocal', 'uniquelocal'].includes(part)) return true;
    const [address, prefix, extra] = part.split('/');
    const family = net.isIP(address ?? '');
    if (!family || extra !== undefined) return false;
    if (prefix === undefined) return true;
    return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
  });
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Reads and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set": docker-compose and shells often pass VAR= for absent values.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const config = parsed.data;
  const problems: string[] = [];
  if ((config.ADMIN_EMAIL === undefined) !== (config.ADMIN_PASSWORD === undefined)) {
    problems.push('ADMIN_EMAIL and ADMIN_PASSWORD: set both or neither');
  }
  if (config.ZALO_OA_APP_ID && !config.ZALO_OA_SECRET_KEY) {
    problems.push('ZALO_OA_SECRET_KEY: required when ZALO_OA_APP_ID is set (webhook signatures are checked with it)');
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}
