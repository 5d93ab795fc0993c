import nodemailer, { type Transporter } from 'nodemailer';
import type { Types } from 'mongoose';
import { Customer } from '../../../models/customer.js';
import { isLang, type Lang } from '../../../i18n/index.js';
import { openPixelUrl, unsubscribeUrl } from '../links.js';
import type { OutreachMessage, OutreachResult, OutreachSender } from '../types.js';
import { composeEmail } from './emailBody.js';
import { normalizeEmail } from './emailAddress.js';
import { classifySmtpError } from './smtpErrors.js';

export interface EmailSenderOptions {
  /** smtp://user:pass@host:587 or smtps://…:465 (SMTP_URL). */
  smtpUrl?: string;
  /** Or a transport already built (tests, a pool shared with another sender). */
  transport?: Transporter;
  /** MAIL_FROM: `Tên công ty <sales@example.vn>`. */
  from: string;
  /** PUBLIC_URL: where the unsubscribe page and the pixel are. Without it no bulk email goes out. */
  publicUrl?: string;
  /** How long an unsubscribe link keeps working. */
  unsubscribeDays: number;
  /** EMAIL_OPEN_TRACKING: add the open pixel to bulk messages. Off unless the admin turns it on. */
  openTracking: boolean;
  clock?: () => Date;
}

/**
 * Email through one SMTP server. A bulk message (a campaign) carries the recipient's own unsubscribe
 * link and the List-Unsubscribe headers mail clients show as an "Unsubscribe" button; every message
 * is plain text plus HTML made from the same text.
 */
export class EmailSender implements OutreachSender {
  readonly channel = 'email' as const;
  private readonly transport: Transporter;

  constructor(private readonly opts: EmailSenderOptions) {
    this.transport =
      opts.transport ??
      // Pooled: a campaign sends many in a row. Timeouts short enough that a dead server fails a
      // delivery in a minute rather than holding the campaign for ten.
      nodemailer.createTransport({ url: opts.smtpUrl, pool: true, maxConnections: 2, connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 60_000 } as never);
  }

  async send(address: string, message: OutreachMessage): Promise<OutreachResult> {
    const to = normalizeEmail(address);
    if (!to) return { ok: false, reason: 'invalid_address', detail: 'not an email address' };
    if (message.bulk && !this.opts.publicUrl) {
      return { ok: false, reason: 'not_configured', detail: 'PUBLIC_URL is needed for the unsubscribe link of bulk email' };
    }
    const now = this.opts.clock?.() ?? new Date();
    const lang = message.lang ?? (await customerLanguage(message.customerId));
    const unsubscribe = message.bulk
      ? unsubscribeUrl(this.opts.publicUrl!, message.customerId, new Date(now.getTime() + this.opts.unsubscribeDays * 86_400_000))
      : undefined;
    const pixel = message.bulk && this.opts.openTracking ? openPixelUrl(this.opts.publicUrl!, message.customerId, message.trackingId) : undefined;
    const body = composeEmail({ text: message.text, lang, unsubscribeUrl: unsubscribe, openPixelUrl: pixel });
    const headers: Record<string, string> = { 'X-Chot-Tracking-Id': message.trackingId };
    if (unsubscribe) {
      headers['List-Unsubscribe'] = `<${unsubscribe}>`;
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
    try {
      const info = await this.transport.sendMail({
        from: this.opts.from,
        to,
        // A line break in a subject would start a new header: one line, whatever the caller gave.
        subject: (message.subject ?? '').replace(/[\r\n]+/g, ' ').trim().slice(0, 200),
        text: body.text,
        html: body.html,
        headers,
      });
      const rejected = (info as { rejectedErrors?: unknown[]; rejected?: unknown[] }).rejected ?? [];
      if (rejected.length) return classifySmtpError((info as { rejectedErrors?: unknown[] }).rejectedErrors?.[0] ?? { responseCode: 550, response: 'recipient rejected' });
      return { ok: true, providerId: typeof info.messageId === 'string' ? info.messageId : undefined };
    } catch (err) {
      return classifySmtpError(err);
    }
  }

  /** Checks the server answers and accepts the login (start-up log only: never blocks the start). */
  async verify(): Promise<void> {
    await this.transport.verify();
  }

  close(): void {
    this.transport.close();
  }
}

async function customerLanguage(customerId: Types.ObjectId): Promise<Lang> {
  const customer = await Customer.findById(customerId).select('language').lean();
  return isLang(customer?.language) ? customer.language : 'vi';
}
