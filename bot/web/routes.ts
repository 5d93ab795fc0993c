import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Lang } from '../../i18n/index.js';
import { t } from '../../i18n/index.js';
import { createWebApi, type WebApiOptions } from './api.js';
import { jsonForScript, renderChatPage } from './page.js';
import { securityHeaders } from '../../app/securityHeaders.js';
import { resolveIdentity } from './identity.js';
import { createWebUpload } from './upload.js';

const SOURCE_CODE = /^[A-Za-z0-9_-]{1,40}$/;

function readAsset(name: string): string {
  return readFileSync(fileURLToPath(new URL(`./public/${name}`, import.meta.url)), 'utf8');
}

function pageLang(req: Request): Lang {
  return req.query.lang === 'en' ? 'en' : 'vi';
}

/**
 * Everything under /chat: the page, its script and styles, the embeddable widget and the JSON API.
 * The browser files are read once at start-up; they are small and change only with a deploy.
 */
export function createWebChatRoutes(api: WebApiOptions, page: { staffSession?: RequestHandler } = {}): Router {
  const chatJs = readAsset('chat.js');
  const chatCss = readAsset('chat.css');
  const widgetTexts = {
    vi: { open: t('vi', 'web.open'), close: t('vi', 'web.close') },
    en: { open: t('en', 'web.open'), close: t('en', 'web.close') },
  };
  const widgetJs = readAsset('widget.js').replace('__CHOT_TEXTS__', jsonForScript(widgetTexts));

  const router = express.Router();
  // The page's policy (scripts and styles from here only; framed anywhere only as the widget's frame).
  router.use(securityHeaders('chat'));

  const staffSession: RequestHandler = page.staffSession ?? ((_req, _res, next) => next());
  router.get('/', staffSession, async (req, res) => {
    const src = typeof req.query.src === 'string' && SOURCE_CODE.test(req.query.src) ? req.query.src.toLowerCase() : undefined;
    const embed = req.query.embed === '1';
    // The same rule as the API: a staff session counts only outside the widget's frame.
    const identity = await resolveIdentity(req, { embedded: embed });
    const staffName = identity?.kind === 'staff' ? identity.user.name : undefined;
    res.set('Cache-Control', 'no-store');
    res.type('html').send(renderChatPage({ lang: pageLang(req), src, embed, staffName }));
  });
  router.get('/assets/chat.js', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300');
    res.type('application/javascript').send(chatJs);
  });
  router.get('/assets/chat.css', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300');
    res.type('text/css').send(chatCss);
  });
  // Loaded by other sites' pages: allowed across origins, cached briefly so fixes reach them soon.
  router.get('/widget.js', securityHeaders('chatScript'), (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300');
    res.type('application/javascript').send(widgetJs);
  });
  // Before the API: its 16 kB JSON limit would refuse a file's body.
  router.use('/api/files', createWebUpload(api));
  router.use('/api', createWebApi(api));
  return router;
}
