import crypto from 'node:crypto';
import type { Express, NextFunction, Request, Response } from 'express';
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from '../../app/logger.js';
import { BodyRefused, readJsonBody } from '../../app/jsonBody.js';

export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';
/** Telegram's updates are a few kilobytes; a limit keeps a bad actor with the secret from filling memory. */
const BODY_LIMIT_BYTES = 1024 * 1024;
const OK = JSON.stringify({ ok: true });
const RETRY_LATER = JSON.stringify({ ok: false });

/** Answers with a fixed JSON text: no serializing, no ETag hashing, on the path every update takes. */
function answer(res: Response, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
}

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
  http.post(TELEGRAM_WEBHOOK_PATH, checkSecret, async (req: Request, res: Response) => {
    let update: Update;
    try {
      update = (await readJsonBody(req, BODY_LIMIT_BYTES)) as Update;
    } catch (err) {
      // The rest of a refused body is not read: the connection closes after the answer.
      res.status(err instanceof BodyRefused ? err.status : 400).set('Connection', 'close').end();
      return;
    }
    // Telegram not reached yet (the channel board is still trying): Telegram delivers it again later.
    if (!bot.isInited()) {
      answer(res, 503, RETRY_LATER);
      return;
    }
    if (!update || typeof update !== 'object' || typeof update.update_id !== 'number') {
      res.status(400).end();
      return;
    }
    try {
      await bot.handleUpdate(update);
    } catch (err) {
      logger.error({ updateId: update.update_id, error: err instanceof Error ? err.message : String(err) }, 'telegram webhook update failed; Telegram will deliver it again');
      answer(res, 503, RETRY_LATER);
      return;
    }
    answer(res, 200, OK);
  });
}
