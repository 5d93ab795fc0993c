import crypto from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from '../../app/logger.js';

export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';

function sameSecret(given: string | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/**
 * POST /webhooks/telegram. The secret header is checked before the body is read, so a stranger
 * cannot make the server parse anything. An update whose handling failed (the database unreachable)
 * is answered 503, so Telegram delivers it again later. That never runs a step twice: the core claims
 * each update before its step and catches the step's own errors, so what reaches here failed before
 * or at the claim, and a redelivery of a claimed update is answered without being handled.
 */
export function mountTelegramWebhook(http: Express, bot: Bot, secret: string, logger: Logger): void {
  const checkSecret = (req: Request, res: Response, next: NextFunction) => {
    if (!sameSecret(req.get('x-telegram-bot-api-secret-token'), secret)) {
      res.status(401).set('Connection', 'close').end();
      return;
    }
    next();
  };
  http.post(TELEGRAM_WEBHOOK_PATH, checkSecret, express.json({ limit: '1mb' }), async (req: Request, res: Response) => {
    // Telegram not reached yet (the channel board is still trying): Telegram delivers it again later.
    if (!bot.isInited()) {
      res.status(503).json({ ok: false });
      return;
    }
    const update = req.body as Update;
    if (!update || typeof update !== 'object' || typeof update.update_id !== 'number') {
      res.status(400).end();
      return;
    }
    try {
      await bot.handleUpdate(update);
    } catch (err) {
      logger.error({ updateId: update.update_id, error: err instanceof Error ? err.message : String(err) }, 'telegram webhook update failed; Telegram will deliver it again');
      res.status(503).json({ ok: false });
      return;
    }
    res.status(200).json({ ok: true });
  });
}
