import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import formidableMiddleware from 'express-formidable';
import { t, type Lang, type MessageKey } from '../i18n/index.js';
import type { Logger } from '../app/logger.js';
import { noticeKey } from './respond.js';
import { isCrmError } from '../crm/shared/errors.js';

const KB = 1024;
const MB = 1024 * KB;

/** The largest CSV file the import takes (the panel says so next to the file picker). */
export const IMPORT_CSV_MAX_BYTES = 5 * MB;
export const IMPORT_CSV_MAX_TEXT = '5 MB';

/**
 * The largest body each kind of panel request may send. The CSV travels as a JSON string, where
 * quotes and line breaks take two bytes each, so its request may be twice the file's size.
 */
const BODY_LIMITS = { login: 16 * KB, importCsv: 2 * IMPORT_CSV_MAX_BYTES + 64 * KB, other: 2 * MB } as const;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

type PanelRefusal = 'crossSite' | 'loginRequired' | 'tooLarge' | 'badRequest' | 'notFound' | 'unexpected';
const REFUSAL_TEXT: Record<PanelRefusal, MessageKey> = {
  crossSite: 'error.panel.crossSite',
  loginRequired: 'error.panel.loginRequired',
  tooLarge: 'error.panel.tooLarge',
  badRequest: 'error.panel.badRequest',
  notFound: 'error.panel.notFound',
  unexpected: 'error.unexpected',
};

function sizeText(bytes: number): string {
  return bytes >= MB ? `${Math.round(bytes / MB)} MB` : `${Math.round(bytes / KB)} kB`;
}

function langOf(req: Request): Lang {
  const chosen = req.session?.adminUser?.language;
  if (chosen === 'vi' || chosen === 'en') return chosen;
  return /^en\b/i.test(req.get('accept-language') ?? '') ? 'en' : 'vi';
}

/**
 * How the panel refuses a request, in the person's language: the panel's scripts get JSON with a
 * notice key (AdminJS shows it translated), a browser form or a link gets the text itself.
 */
export function refusePanelRequest(req: Request, res: Response, status: number, reason: PanelRefusal | MessageKey, params: Record<string, string | number> = {}): void {
  if (res.headersSent) return;
  const i18nKey = reason in REFUSAL_TEXT ? REFUSAL_TEXT[reason as PanelRefusal] : (reason as MessageKey);
  const message = t(langOf(req), i18nKey, params);
  res.status(status).set('Cache-Control', 'no-store');
  const wantsJson = req.path.startsWith('/api/') || req.xhr || !req.accepts('html');
  if (wantsJson) {
    res.json({ notice: { message: noticeKey(i18nKey.replace(/^error\./, '')), type: 'error', options: params }, message });
  } else {
    res.type('text/plain; charset=utf-8').send(message);
  }
}

/**
 * A state-changing request is only taken when the browser says it comes from the panel's own
 * address (Origin, else Referer): a link, a form or a script on another site gets a refusal,
 * whatever cookies the browser sends with it. Requests with neither header are refused too: every
 * browser sends Origin on a POST, so only a forged request lacks both.
 */
function sameOriginOnly(publicUrl: string | undefined): RequestHandler {
  const publicHost = publicUrl ? new URL(publicUrl).host : undefined;
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const claimed = req.get('origin') ?? req.get('referer');
    let host: string | undefined;
    try {
      host = claimed && claimed !== 'null' ? new URL(claimed).host : undefined;
    } catch {
      host = undefined;
    }
    // The Host header as received, or as forwarded by a trusted proxy, or the configured public address.
    if (host && (host === req.get('host') || host === req.host || host === publicHost)) return next();
    refusePanelRequest(req, res, 403, 'crossSite');
  };
}

/** Answers before reading the body, and closes the connection so the rest is never read either. */
function refuseUnread(req: Request, res: Response, status: number, reason: PanelRefusal, params?: Record<string, string>) {
  res.set('Connection', 'close');
  refusePanelRequest(req, res, status, reason, params);
  req.unpipe();
  res.once('finish', () => req.socket.destroy());
}

/**
 * Reads a panel request's form or JSON body, only after the session is checked and only up to the
 * route's limit. Uploaded files go to chot's own folder and are deleted when the answer is sent,
 * whatever happened. AdminJS's own body parser then finds the body parsed and does nothing.
 */
function parseAfterLogin(opts: { loginPath: string; uploadDir: string }): RequestHandler {
  return (req, res, next) => {
    const parsed = req as Request & { fields?: object; files?: object; express_formidable?: { parsed: boolean } };
    if (SAFE_METHODS.has(req.method)) {
      Object.assign(parsed, { fields: {}, files: {}, express_formidable: { parsed: true } });
      return next();
    }
    const isLogin = req.path === opts.loginPath;
    if (!isLogin && !req.session?.adminUser) return refuseUnread(req, res, 401, 'loginRequired');
    const limit = isLogin ? BODY_LIMITS.login : req.path.endsWith('/actions/importCsv') ? BODY_LIMITS.importCsv : BODY_LIMITS.other;
    const tooLarge = () => refuseUnread(req, res, 413, 'tooLarge', { max: sizeText(limit) });
    if (Number(req.get('content-length') ?? 0) > limit) return tooLarge();

    const files: string[] = [];
    res.once('close', () => void Promise.all(files.map((file) => rm(file, { force: true }))));
    let received = 0;
    let refused = false;
    // Counted as it arrives, for bodies sent without a length.
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit && !refused) {
        refused = true;
        tooLarge();
      }
    });
    const parse = formidableMiddleware(
      { uploadDir: opts.uploadDir, maxFileSize: limit, maxFieldsSize: limit },
      [{ event: 'fileBegin', action: (_req: Request, _res: Response, _next: NextFunction, _name: string, file: { path: string }) => void files.push(file.path) }],
    );
    parse(req, res, (err?: unknown) => {
      if (refused) return;
      // A body the parser cannot read is the sender's mistake, not a server error.
      if (err) return refusePanelRequest(req, res, 400, 'badRequest');
      next();
    });
  };
}

/**
 * Everything a request to /admin passes before AdminJS sees it: the same-origin check for changes,
 * the session check before any body is read, and the body limits. Given to AdminJS as the router
 * its own routes are added to, so nothing of AdminJS runs first.
 */
export async function panelFrontDoor(opts: { loginPath: string; publicUrl?: string; dataDir: string }): Promise<express.Router> {
  const uploadDir = path.resolve(opts.dataDir, 'uploads');
  await mkdir(uploadDir, { recursive: true });
  // Files left by a process that stopped in the middle of a request.
  for (const name of await readdir(uploadDir)) await rm(path.join(uploadDir, name), { force: true, recursive: true });
  const router = express.Router();
  router.use(sameOriginOnly(opts.publicUrl));
  router.use(parseAfterLogin({ loginPath: opts.loginPath, uploadDir }));
  return router;
}

/**
 * The last handler for /admin: an error becomes a short answer in the person's language, never a
 * stack trace or a file path (those go to the log). A malformed id is "not found", like a record
 * that does not exist or was deleted.
 */
export function panelErrors(logger: Logger) {
  return (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    // A service refusal that a handler did not turn into a notice (a deleted customer's card).
    if (isCrmError(err)) {
      const crmStatus = err.code.startsWith('notFound') ? 404 : err.code === 'forbidden' ? 403 : 400;
      return refusePanelRequest(req, res, crmStatus, `error.${err.code}` as MessageKey, err.params);
    }
    const e = err as { name?: string; status?: number; statusCode?: number };
    const status = e.status ?? e.statusCode;
    if (e.name === 'CastError' || e.name === 'NotFoundError' || status === 404) return refusePanelRequest(req, res, 404, 'notFound');
    if (status === 413) return refusePanelRequest(req, res, 413, 'tooLarge', { max: sizeText(BODY_LIMITS.other) });
    if (status && status >= 400 && status < 500) return refusePanelRequest(req, res, status, 'badRequest');
    logger.error({ err, path: req.path, method: req.method }, 'admin panel request failed');
    refusePanelRequest(req, res, 500, 'unexpected');
  };
}
