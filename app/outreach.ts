import type { Feature, AppContext } from './context.js';
import type { Config } from './config.js';
import { describeError } from './channels.js';
import { outreachRoutes } from './outreachRoutes.js';
import { loadSigningKey } from '../crm/outreach/signing.js';
import { EmailSender } from '../crm/outreach/email/emailSender.js';
import { normalizeEmail } from '../crm/outreach/email/emailAddress.js';

/** Reading one setting: its value, or the sentence that tells the admin what is wrong. */
type Setting<T> = { ok: true; value: T } | { ok: false; problem: string };

function flag(name: string, value: string | undefined): Setting<boolean> {
  if (value === undefined) return { ok: true, value: false };
  if (/^(true|1|on|yes)$/i.test(value)) return { ok: true, value: true };
  if (/^(false|0|off|no)$/i.test(value)) return { ok: true, value: false };
  return { ok: false, problem: `${name}=${value} must be true or false` };
}

function wholeNumber(name: string, value: string | undefined, fallback: number, min: number, max: number): Setting<number> {
  if (value === undefined) return { ok: true, value: fallback };
  const n = Number(value);
  return Number.isInteger(n) && n >= min && n <= max ? { ok: true, value: n } : { ok: false, problem: `${name}=${value} must be a whole number from ${min} to ${max}` };
}

function httpUrl(name: string, value: string): Setting<string> {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return { ok: true, value: value.replace(/\/+$/, '') };
  } catch {
    // said below
  }
  return { ok: false, problem: `${name} must be a web address (https://…)` };
}

/** The email settings, or why email stays off. Undefined: not configured at all (no log line). */
export function emailSettings(config: Config): Setting<{ smtpUrl: string; from: string; openTracking: boolean; unsubscribeDays: number }> | undefined {
  if (!config.SMTP_URL && !config.MAIL_FROM) return undefined;
  if (!config.SMTP_URL) return { ok: false, problem: 'MAIL_FROM is set but SMTP_URL is not' };
  if (!/^smtps?:\/\/[^/]+/i.test(config.SMTP_URL)) return { ok: false, problem: 'SMTP_URL must look like smtp://user:password@host:587 or smtps://user:password@host:465' };
  if (!config.MAIL_FROM) return { ok: false, problem: 'SMTP_URL is set but MAIL_FROM (the sender, e.g. "Công ty ABC <sales@abc.vn>") is not' };
  const address = /<([^<>]+)>\s*$/.exec(config.MAIL_FROM)?.[1] ?? config.MAIL_FROM;
  if (!normalizeEmail(address)) return { ok: false, problem: 'MAIL_FROM must be an address such as sales@abc.vn or "Công ty ABC <sales@abc.vn>"' };
  const openTracking = flag('EMAIL_OPEN_TRACKING', config.EMAIL_OPEN_TRACKING);
  if (!openTracking.ok) return openTracking;
  const days = wholeNumber('UNSUBSCRIBE_LINK_DAYS', config.UNSUBSCRIBE_LINK_DAYS, 180, 7, 3650);
  if (!days.ok) return days;
  return { ok: true, value: { smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, openTracking: openTracking.value, unsubscribeDays: days.value } };
}

/** Whether the open pixel is on: shown in the panel's settings text, so it is read in one place. */
export function openTrackingOn(config: Config): boolean {
  const email = emailSettings(config);
  return email?.ok === true && email.value.openTracking;
}

/**
 * Builds the outreach senders (email, Zalo ZNS, SMS) from the environment and registers each with
 * the Notifier. A channel with no settings is simply absent; one with wrong settings is absent too,
 * with one log line saying what to fix: neither ever stops chot from starting. Mounts the public
 * unsubscribe page and open pixel on the web side.
 */
export const outreachFeature: Feature = {
  name: 'outreach',
  async start(ctx: AppContext) {
    const { config, logger, notifier } = ctx;
    const log = logger.child({ part: 'outreach' });
    await loadSigningKey(config.UNSUBSCRIBE_SECRET ?? config.SESSION_SECRET);
    const closers: (() => void)[] = [];

    const email = emailSettings(config);
    if (email && !email.ok) log.error(`email is off: ${email.problem}`);
    if (email?.ok) {
      if (!config.PUBLIC_URL) log.warn('email: PUBLIC_URL is not set, so campaign emails (which need an unsubscribe link) are not sent; single emails from the card are');
      const sender = new EmailSender({ smtpUrl: email.value.smtpUrl, from: email.value.from, publicUrl: config.PUBLIC_URL, unsubscribeDays: email.value.unsubscribeDays, openTracking: email.value.openTracking });
      notifier.registerOutreach(sender);
      closers.push(() => sender.close());
      // The SMTP server is checked in the background: down at start-up is a log line, not a failed start.
      sender.verify().then(
        () => log.info({ openTracking: email.value.openTracking }, 'email is up'),
        (err: unknown) => log.warn({ error: describeError(err) }, 'email: the SMTP server did not accept the connection or login yet; each send tries again'),
      );
    }

    if (ctx.mode.web) ctx.http.use(outreachRoutes({ logger: log, openTracking: email?.ok === true && email.value.openTracking }));
    return { stop: async () => closers.forEach((close) => close()) };
  },
};
