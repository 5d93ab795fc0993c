import type { Logger } from '../../../app/logger.js';
import type { OutreachResult } from '../types.js';

/** One text to one phone, as a gateway needs it. */
export interface SmsRequest {
  /** 84xxxxxxxxx: how Vietnamese gateways take numbers. */
  phone: string;
  text: string;
  /** Unique per delivery, so the gateway can refuse a duplicate and its reports can be matched. */
  reference: string;
}

/** The part that differs between gateways; the SMS sender around it is the same for all. */
export interface SmsProvider {
  readonly name: string;
  send(request: SmsRequest): Promise<OutreachResult>;
}

/**
 * For development: the message goes to the log instead of a phone (never the API key, which this
 * provider does not even hold). Counts as sent, at no cost.
 */
export class ConsoleSmsProvider implements SmsProvider {
  readonly name = 'console';
  constructor(private readonly logger: Logger, private readonly brandname?: string) {}

  async send(request: SmsRequest): Promise<OutreachResult> {
    this.logger.info({ sms: { to: request.phone, from: this.brandname, reference: request.reference, text: request.text } }, 'SMS (console provider: not sent to a phone)');
    return { ok: true, providerId: `console-${request.reference}`, costVnd: 0 };
  }
}

export interface HttpSmsProviderOptions {
  /** SMS_API_URL: the gateway's send endpoint. */
  url: string;
  /** SMS_API_KEY, sent as `Authorization: Bearer …`. */
  apiKey: string;
  /** SMS_BRANDNAME: the registered sender name the phone shows. */
  brandname: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/**
 * A brandname SMS gateway over HTTP, in the JSON shape most Vietnamese gateways offer or a small
 * proxy can give any of them (README "SMS"):
 *   POST SMS_API_URL, Authorization: Bearer SMS_API_KEY,
 *   { "to": "84912345678", "brandname": "ABC", "text": "...", "reference": "<tracking id>" }
 * answered `2xx { "id": "..." }` when accepted, or an HTTP error with `{ "error": "<code>", "message": "..." }`.
 * How a refusal is classified: 401/403 the key (not configured), 402 the balance (quota), 429 too
 * many (try later, Retry-After), 400/422 by the error code (phone, brandname or content), 5xx or no
 * answer: unknown whether it went out, so never repeated.
 */
export class HttpSmsProvider implements SmsProvider {
  readonly name = 'http';
  constructor(private readonly opts: HttpSmsProviderOptions) {}

  async send(request: SmsRequest): Promise<OutreachResult> {
    let res: Response;
    try {
      res = await (this.opts.fetch ?? fetch)(this.opts.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${this.opts.apiKey}` },
        body: JSON.stringify({ to: request.phone, brandname: this.opts.brandname, text: request.text, reference: request.reference }),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15_000),
      });
    } catch (err) {
      return { ok: false, reason: 'error', detail: `SMS gateway unreachable: ${err instanceof Error ? err.name : 'error'}` };
    }
    const answer = (await res.json().catch(() => ({}))) as { id?: unknown; error?: unknown; message?: unknown };
    if (res.ok) return { ok: true, providerId: answer.id !== undefined ? String(answer.id) : undefined };
    const code = typeof answer.error === 'string' || typeof answer.error === 'number' ? String(answer.error) : `http_${res.status}`;
    const detail = `SMS gateway ${res.status} ${code}${typeof answer.message === 'string' ? `: ${answer.message.slice(0, 200)}` : ''}`;
    if (res.status === 401 || res.status === 403) return { ok: false, reason: 'not_configured', code, detail };
    if (res.status === 402) return { ok: false, reason: 'quota', code, detail };
    if (res.status === 429) return { ok: false, reason: 'rate_limited', code, detail, retryAfterSeconds: Number(res.headers.get('retry-after')) || 60 };
    if (res.status >= 500) return { ok: false, reason: 'error', code, detail };
    if (/phone|number|msisdn/i.test(code)) return { ok: false, reason: 'invalid_address', code, detail };
    if (/template|brandname|content/i.test(code)) return { ok: false, reason: 'template_rejected', code, detail };
    if (/quota|balance/i.test(code)) return { ok: false, reason: 'quota', code, detail };
    return { ok: false, reason: 'refused', code, detail };
  }
}
