import crypto from 'node:crypto';
import express, { type Router } from 'express';
import type { Logger } from '../../../app/logger.js';
import { storeInboxEvent } from '../shared/inbox.js';
import { botUpdateKey } from './adapter.js';
import type { ZaloBotUpdate } from './client.js';

export const BOT_WEBHOOK_PATH = '/webhooks/zalo-bot';

/** Compares secrets in constant time (hashing first makes the lengths equal). */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

/**
 * The webhook body: an update, possibly wrapped as `{ ok, result: update }` like a getUpdates answer
 * (which of the two the platform posts is UNCONFIRMED; both are accepted).
 */
export function unwrapUpdate(body: unknown): ZaloBotUpdate | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as { result?: unknown; message?: unknown };
  if (b.message) return b as ZaloBotUpdate;
  if (b.result && typeof b.result === 'object') return b.result as ZaloBotUpdate;
  return null;
}

/** `POST /webhooks/zalo-bot`: secret header checked first, the update stored, 200, then processing. */
export function botWebhookRouter(opts: { secret: string; logger: Logger; onStored(): void }): Router {
  const router = express.Router();
  router.post(BOT_WEBHOOK_PATH, express.raw({ type: () => true, limit: '256kb' }), async (req, res) => {
    if (!sameSecret(req.get('x-bot-api-secret-token'), opts.secret)) {
      opts.logger.warn({ ip: req.ip }, 'Zalo Bot webhook refused: secret token');
      res.status(401).json({ error: 'invalid secret token' });
      return;
    }
    let update: ZaloBotUpdate | null;
    try {
      update = unwrapUpdate(JSON.parse(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : ''));
    } catch {
      res.status(400).json({ error: 'invalid JSON' });
      return;
    }
    const key = update ? botUpdateKey(update) : null;
    if (!update || !key) {
      res.status(200).json({ ok: true });
      return;
    }
    try {
      const stored = await storeInboxEvent('zalo_bot', key, update.event_name ?? 'message', update);
      res.status(200).json({ ok: true });
      if (stored) opts.onStored();
    } catch (err) {
      opts.logger.error({ err }, 'Zalo Bot webhook: could not store the update; the platform will retry');
      res.status(503).json({ error: 'try again' });
    }
  });
  return router;
}
