import express, { type Router } from 'express';
import type { Logger } from '../../../app/logger.js';
import { storeInboxEvent } from '../shared/inbox.js';
import { oaEventKey, isMediaEvent, type OaWebhookEvent } from './events.js';
import { verifyOaSignature } from './signature.js';

export const OA_WEBHOOK_PATH = '/webhooks/zalo-oa';

/** The events chot acts on; the rest (the OA's own sends, read receipts…) are acknowledged and dropped. */
export function isHandledOaEvent(name: string | undefined): boolean {
  return name === 'user_send_text' || name === 'follow' || name === 'unfollow' || name === 'user_submit_info' || isMediaEvent(name);
}

export interface OaWebhookOptions {
  appId: string;
  secretKey: string;
  logger: Logger;
  /** Events signed further than this from now are refused (replays of old captures). */
  maxSkewMs?: number;
  /** Called after a new event is stored, to process it soon. */
  onStored(): void;
  now?: () => number;
}

/**
 * `POST /webhooks/zalo-oa`. Order matters: signature on the raw bytes, freshness, then one atomic
 * insert into the inbox, and only then 200. Zalo wants an answer within about 2 s, so processing
 * happens after the answer, from the stored copy; if storing fails Zalo gets a 503 and retries.
 */
export function oaWebhookRouter(opts: OaWebhookOptions): Router {
  const router = express.Router();
  const maxSkewMs = opts.maxSkewMs ?? 5 * 60_000;
  const now = opts.now ?? Date.now;
  router.post(OA_WEBHOOK_PATH, express.raw({ type: () => true, limit: '256kb' }), async (req, res) => {
    if (!Buffer.isBuffer(req.body) && req.body && Object.keys(req.body).length) {
      // A body parser mounted app-wide ran first: the raw bytes the signature covers are gone.
      opts.logger.error('Zalo OA webhook: the body was parsed before the signature check; mount body parsers per route');
    }
    const rawBody = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const check = verifyOaSignature({ appId: opts.appId, secretKey: opts.secretKey, rawBody, header: req.get('x-zevent-signature') });
    if (!check.ok) {
      opts.logger.warn({ why: check.why, ip: req.ip }, 'Zalo OA webhook refused: signature');
      res.status(401).json({ error: 'invalid signature' });
      return;
    }
    // Zalo documents milliseconds; a seconds value (10 digits) is read as such rather than refused.
    const signedAt = Number(check.timestamp) < 1e12 ? Number(check.timestamp) * 1000 : Number(check.timestamp);
    const skew = now() - signedAt;
    if (Math.abs(skew) > maxSkewMs) {
      opts.logger.warn({ skewMs: skew }, 'Zalo OA webhook refused: stale or future timestamp');
      res.status(401).json({ error: 'stale event' });
      return;
    }
    let event: OaWebhookEvent;
    try {
      event = JSON.parse(rawBody) as OaWebhookEvent;
    } catch {
      res.status(400).json({ error: 'invalid JSON' });
      return;
    }
    // The signature covered the timestamp found in the raw text: it must be the event's own.
    if (String(event?.timestamp ?? '') !== check.timestamp) {
      res.status(401).json({ error: 'invalid signature' });
      return;
    }
    const key = oaEventKey(event);
    if (!isHandledOaEvent(event.event_name) || !key) {
      res.status(200).json({ ok: true });
      return;
    }
    let stored: boolean;
    try {
      stored = await storeInboxEvent('zalo_oa', key, String(event.event_name), event);
    } catch (err) {
      opts.logger.error({ err }, 'Zalo OA webhook: could not store the event; Zalo will retry');
      res.status(503).json({ error: 'try again' });
      return;
    }
    res.status(200).json({ ok: true });
    if (stored) opts.onStored();
  });
  return router;
}
