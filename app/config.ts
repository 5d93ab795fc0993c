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
