import type { NextFunction, Request, Response } from 'express';
import { Router } from 'express';

/**
 * What the panel's pages load besides AdminJS's bundles, all served by chot so the panel works
 * with no internet: our icon, a stylesheet, and no Google font. AdminJS's page templates hard-code
 * a Roboto stylesheet link to fonts.googleapis.com; offline it fails (and it tells Google who uses
 * the panel), so that link is taken out of the HTML and the theme uses the system's fonts.
 */
export const PANEL_ASSETS_PATH = '/chot-assets';

/** The system's own fonts, all of which draw Vietnamese diacritics. */
export const SYSTEM_FONTS = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'DejaVu Sans', Roboto, Arial, sans-serif";

const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#2563eb"/><path d="M44 22a16 16 0 1 0 0 20" fill="none" stroke="#fff" stroke-width="8" stroke-linecap="round"/><circle cx="46" cy="32" r="4" fill="#fff"/></svg>`;

// Table cells: AdminJS lets a narrow column break inside a word ("KH0000 02", "Websit e");
// here lines break only between words, and codes and phones stay on one line. `!important`
// because styled-components adds its rules after ours.
const STYLES = `
td.adminjs_TableCell, td.adminjs_TableCell * { word-break: normal !important; overflow-wrap: normal !important; }
td.adminjs_TableCell [data-testid^="property-list-code"], td.adminjs_TableCell [data-testid^="property-list-phones"] { white-space: nowrap; }
`;

export function panelAssetsRouter(): Router {
  const router = Router();
  router.get('/favicon.svg', (_req, res) => {
    res.type('image/svg+xml').set('Cache-Control', 'public, max-age=86400').send(FAVICON);
  });
  router.get('/panel.css', (_req, res) => {
    res.type('text/css').set('Cache-Control', 'public, max-age=3600').send(STYLES);
  });
  return router;
}

const GOOGLE_FONT_LINK = /\s*<link[^>]*href="https:\/\/fonts\.googleapis\.com[^"]*"[^>]*>/g;

/** Takes AdminJS's Google font link out of the panel's HTML pages (layout and login). */
export function withoutOutsideFonts(_req: Request, res: Response, next: NextFunction) {
  const send = res.send.bind(res);
  res.send = ((body?: unknown) => send(typeof body === 'string' && body.includes('fonts.googleapis.com') ? body.replace(GOOGLE_FONT_LINK, '') : body)) as Response['send'];
  next();
}
