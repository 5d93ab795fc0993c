import { pino, type Logger } from 'pino';
import { redactSecrets } from './secrets.js';

export type { Logger };

/** Paths that may carry secrets; pino replaces them before a line is written. */
const REDACTED = [
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'password',
  '*.password',
  'passwordHash',
  '*.passwordHash',
  'secret',
  '*.secret',
  'headers.authorization',
  'headers.cookie',
  'req.headers.cookie',
  'req.headers.authorization',
];

/**
 * JSON lines through pino. Two layers keep secrets out: the paths above are censored by name, and
 * every finished line has the known secret values replaced (app/secrets.ts), wherever they sit: in
 * an error a library threw, a URL, a message text.
 */
export function createLogger(level: string = 'info', destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, redact: { paths: REDACTED, censor: '[redacted]' }, base: { app: 'chot' }, hooks: { streamWrite: redactSecrets } },
    destination as never,
  );
}

/** Bot tokens sit inside API URLs; strip them from anything that may be logged. */
export function maskSecrets(text: string): string {
  return redactSecrets(text).replace(/bot\d+:[A-Za-z0-9_-]+/g, 'bot[redacted]').replace(/(access_token|secret_key)=[^&\s]+/gi, '$1=[redacted]');
}
