import { oaSignature } from '../../../bot/zalo/oa/signature.js';

let seq = 0;

/** Builds OA webhook events the way Zalo sends them, and posts them signed (or not). */
export class OaWebhookSender {
  constructor(
    private readonly base: string,
    private readonly appId: string,
    private readonly secret: string,
  ) {}

  event(name: string, userId: string, extra: Record<string, unknown> = {}, timestamp = Date.now()): Record<string, unknown> {
    seq += 1;
    const common = { app_id: this.appId, user_id_by_app: `app-${userId}`, event_name: name, timestamp: String(timestamp) };
    if (name === 'follow' || name === 'unfollow') return { ...common, oa_id: 'oa-1', follower: { id: userId }, source: 'oa_profile', ...extra };
    return { ...common, sender: { id: userId }, recipient: { id: 'oa-1' }, ...(name.startsWith('user_send') ? { message: { msg_id: `msg-${Date.now()}-${seq}` } } : {}), ...extra };
  }

  text(userId: string, text: string): Record<string, unknown> {
    const e = this.event('user_send_text', userId);
    return { ...e, message: { ...(e.message as object), text } };
  }

  async post(event: Record<string, unknown>, opts: { sign?: boolean; secret?: string; tamper?: (raw: string) => string } = {}): Promise<Response> {
    const raw = JSON.stringify(event);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (opts.sign !== false) headers['x-zevent-signature'] = `mac=${oaSignature(this.appId, raw, String(event.timestamp), opts.secret ?? this.secret)}`;
    return fetch(`${this.base}/webhooks/zalo-oa`, { method: 'POST', headers, body: opts.tamper ? opts.tamper(raw) : raw });
  }
}
