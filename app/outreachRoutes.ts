import { Router, type Request, type Response } from 'express';
import type { Logger } from './logger.js';
import { securityHeaders } from './securityHeaders.js';
import { t, type Lang } from '../i18n/index.js';
import { getSettings } from '../crm/settings/settings.js';
import { OPEN_PIXEL_PATH, UNSUBSCRIBE_PATH, readOpenPixel, readUnsubscribeToken } from '../crm/outreach/links.js';
import { optOutEverywhere, optedOutEverywhere } from '../crm/outreach/optOut.js';
import { recordEmailOpen } from '../crm/outreach/email/opens.js';
import { recordDeliveryOpened } from '../crm/campaigns/deliveryEvents.js';
import { escapeHtml } from '../crm/outreach/email/emailBody.js';

/** A transparent 1×1 GIF: the smallest image every mail client shows. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** `?lang=en` first (the link chot wrote), then the browser's Accept-Language order; Vietnamese otherwise. */
function pageLanguage(req: Request): Lang {
  if (req.query.lang === 'en' || req.query.lang === 'vi') return req.query.lang;
  const preferred = (req.get('accept-language') ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(/q=([\d.]+)/.exec(params.join(';'))?.[1] ?? 1);
      return { tag: tag.toLowerCase(), q: Number.isFinite(q) ? q : 0 };
    })
    .filter((p) => p.q > 0)
    .sort((a, b) => b.q - a.q)
    .find((p) => /^(vi|en)\b/.test(p.tag));
  return preferred?.tag.startsWith('en') ? 'en' : 'vi';
}

function page(res: Response, status: number, lang: Lang, title: string, body: string): void {
  res
    .status(status)
    .type('html')
    .set('Cache-Control', 'no-store')
    .send(
      `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>` +
        `<style>body{font-family:system-ui,Arial,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#222}h1{font-size:1.3rem}button{font-size:1rem;padding:.6rem 1.2rem;border:0;border-radius:6px;background:#c0392b;color:#fff;cursor:pointer}</style>` +
        `</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    );
}

/** What both sides of the unsubscribe page start from: the reader's language, the company, the token. */
async function unsubscribeRequest(req: Request<{ token: string }>) {
  const lang = pageLanguage(req);
  const { companyName: company } = await getSettings();
  return { lang, company, title: t(lang, 'outreach.unsubscribe.title', { company }), check: readUnsubscribeToken(req.params.token) };
}

/** A link chot never signed (400), or one that expired (410): said so, and nothing changes. */
function refuseLink(res: Response, lang: Lang, title: string, why: 'malformed' | 'forged' | 'expired'): void {
  page(res, why === 'expired' ? 410 : 400, lang, title, `<p>${escapeHtml(t(lang, why === 'expired' ? 'outreach.unsubscribe.expired' : 'outreach.unsubscribe.invalid'))}</p>`);
}

/**
 * The public pages a customer reaches from an email, without logging in: the unsubscribe page
 * (GET shows it and changes nothing, because mail scanners open links; POST, from its button or
 * a mail client's one-click `List-Unsubscribe-Post`, opts the customer out of every channel), and
 * the open pixel when the admin turned tracking on.
 */
export function outreachRoutes(opts: { logger: Logger; openTracking: boolean }): Router {
  const router = Router();

  router.use(UNSUBSCRIBE_PATH, securityHeaders('notice'));
  router.get(`${UNSUBSCRIBE_PATH}/:token`, async (req, res) => {
    const { lang, company, title, check } = await unsubscribeRequest(req);
    if (!check.ok) return refuseLink(res, lang, title, check.why);
    if (await optedOutEverywhere(check.customerId)) return page(res, 200, lang, title, `<p>${escapeHtml(t(lang, 'outreach.unsubscribe.already', { company }))}</p>`);
    page(
      res,
      200,
      lang,
      title,
      `<p>${escapeHtml(t(lang, 'outreach.unsubscribe.ask', { company }))}</p>` +
        `<form method="post" action="${escapeHtml(`${UNSUBSCRIBE_PATH}/${req.params.token}?lang=${lang}`)}"><button type="submit">${escapeHtml(t(lang, 'outreach.unsubscribe.confirm'))}</button></form>`,
    );
  });

  // The body (a form, or `List-Unsubscribe=One-Click`) is never read: the signed token is the whole request.
  router.post(`${UNSUBSCRIBE_PATH}/:token`, async (req, res) => {
    const { lang, company, title, check } = await unsubscribeRequest(req);
    if (!check.ok) return refuseLink(res, lang, title, check.why);
    try {
      const { skipped } = await optOutEverywhere(check.customerId);
      opts.logger.info({ customerId: String(check.customerId), skipped }, 'customer unsubscribed from every channel by the email link');
    } catch (err) {
      opts.logger.error({ err }, 'unsubscribe failed');
      return page(res, 503, lang, title, `<p>${escapeHtml(t(lang, 'outreach.unsubscribe.failed'))}</p>`);
    }
    page(res, 200, lang, title, `<p>${escapeHtml(t(lang, 'outreach.unsubscribe.done', { company }))}</p>`);
  });

  router.get(`${OPEN_PIXEL_PATH}/:token`, async (req, res) => {
    // The image is the same whatever happens: a forged or stale pixel learns nothing.
    const open = opts.openTracking ? readOpenPixel(req.params.token) : undefined;
    if (open) await recordEmailOpen(open.trackingId, open.customerId).catch((err: unknown) => opts.logger.warn({ err }, 'email open not recorded'));
    // A campaign email's open also counts in its report and in the owner's interactions.
    if (open) await recordDeliveryOpened(open.trackingId).catch((err: unknown) => opts.logger.warn({ err }, 'campaign email open not recorded'));
    res.status(200).type('gif').set('Cache-Control', 'no-store, private').send(PIXEL);
  });

  return router;
}
