import type { Feature, AppContext } from './context.js';
import type { Config } from './config.js';
import { describeError } from './channels.js';
import { outreachRoutes } from './outreachRoutes.js';
import { loadSigningKey } from '../crm/outreach/signing.js';
import { EmailSender } from '../crm/outreach/email/emailSender.js';
import { normalizeEmail } from '../crm/outreach/email/emailAddress.js';
import { ZnsSender } from '../crm/outreach/zns/znsSender.js';
import { SmsSender } from '../crm/outreach/sms/smsSender.js';
import { ConsoleSmsProvider, HttpSmsProvider, type SmsProvider } from '../crm/outreach/sms/providers.js';
import { activeOaTokens } from '../bot/zalo/oa/activeTokens.js';
import type { Logger } from './logger.js';

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

/** ZNS: on when asked for (ZALO_ZNS_ENABLED=true) and the Zalo OA whose token it uses is configured. */
export function znsSettings(config: Config): Setting<{ apiRoot: string; priceVnd: number }> | undefined {
  const enabled = flag('ZALO_ZNS_ENABLED', config.ZALO_ZNS_ENABLED);
  if (!enabled.ok) return enabled;
  if (!enabled.value) return undefined;
  if (!config.ZALO_OA_APP_ID) return { ok: false, problem: 'ZALO_ZNS_ENABLED=true needs the Zalo OA (ZALO_OA_APP_ID and its tokens): ZNS is sent with the OA access token' };
  const root = httpUrl('ZALO_ZNS_API_ROOT', config.ZALO_ZNS_API_ROOT ?? 'https://business.openapi.zalo.me');
  if (!root.ok) return root;
  const price = wholeNumber('ZALO_ZNS_PRICE_VND', config.ZALO_ZNS_PRICE_VND, 300, 0, 100_000);
  if (!price.ok) return price;
  return { ok: true, value: { apiRoot: root.value, priceVnd: price.value } };
}

/** SMS: SMS_PROVIDER=console (development) or http (a brandname gateway: URL, key and brandname needed). */
export function smsSettings(config: Config): Setting<{ provider: 'console' | 'http'; url?: string; apiKey?: string; brandname?: string; pricePerSegmentVnd: number }> | undefined {
  if (!config.SMS_PROVIDER) return config.SMS_API_URL || config.SMS_API_KEY ? { ok: false, problem: 'SMS_API_URL/SMS_API_KEY are set but SMS_PROVIDER is not (http or console)' } : undefined;
  const price = wholeNumber('SMS_PRICE_PER_SEGMENT_VND', config.SMS_PRICE_PER_SEGMENT_VND, 800, 0, 100_000);
  if (!price.ok) return price;
  if (config.SMS_PROVIDER === 'console') return { ok: true, value: { provider: 'console', brandname: config.SMS_BRANDNAME, pricePerSegmentVnd: price.value } };
  if (config.SMS_PROVIDER !== 'http') return { ok: false, problem: `SMS_PROVIDER=${config.SMS_PROVIDER} must be http or console` };
  const missing = (['SMS_API_URL', 'SMS_API_KEY', 'SMS_BRANDNAME'] as const).filter((k) => !config[k]);
  if (missing.length) return { ok: false, problem: `SMS_PROVIDER=http needs ${missing.join(', ')}` };
  const url = httpUrl('SMS_API_URL', config.SMS_API_URL!);
  if (!url.ok) return url;
  return { ok: true, value: { provider: 'http', url: url.value, apiKey: config.SMS_API_KEY, brandname: config.SMS_BRANDNAME, pricePerSegmentVnd: price.value } };
}

function smsProvider(settings: NonNullable<ReturnType<typeof smsSettings>> & { ok: true }, logger: Logger): SmsProvider {
  const v = settings.value;
  return v.provider === 'console' ? new ConsoleSmsProvider(logger, v.brandname) : new HttpSmsProvider({ url: v.url!, apiKey: v.apiKey!, brandname: v.brandname! });
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

    const zns = znsSettings(config);
    if (zns && !zns.ok) log.error(`ZNS is off: ${zns.problem}`);
    if (zns?.ok) {
      notifier.registerOutreach(new ZnsSender({ apiRoot: zns.value.apiRoot, priceVnd: zns.value.priceVnd, tokens: activeOaTokens }));
      log.info({ apiRoot: zns.value.apiRoot }, 'ZNS is on (templates must be approved in Zalo first)');
    }

    const sms = smsSettings(config);
    if (sms && !sms.ok) log.error(`SMS is off: ${sms.problem}`);
    if (sms?.ok) {
      notifier.registerOutreach(new SmsSender({ provider: smsProvider(sms, log), pricePerSegmentVnd: sms.value.pricePerSegmentVnd }));
      log.info({ provider: sms.value.provider, brandname: sms.value.brandname }, sms.value.provider === 'console' ? 'SMS is on with the console provider: messages go to this log, not to phones' : 'SMS is on');
    }

    if (ctx.mode.web) ctx.http.use(outreachRoutes({ logger: log, openTracking: email?.ok === true && email.value.openTracking }));
    return { stop: async () => closers.forEach((close) => close()) };
  },
};
