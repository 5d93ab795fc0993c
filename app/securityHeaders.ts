import type { Request, RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * The browser-facing security headers, one policy per kind of page, all from helmet: a content
 * security policy, `nosniff`, a referrer policy and who may show the page in a frame. Each web
 * feature mounts the policy for its pages; this file is the one place they are written.
 *
 * The referrer policy is `same-origin` rather than `no-referrer`: with `no-referrer` a browser sends
 * `Origin: null` on the panel's own POSTs, and the panel's same-origin check (admin/frontDoor.ts)
 * needs the real origin. Nothing leaves for other sites either way. HSTS is left to the HTTPS proxy
 * in front of chot, which knows the domain.
 */
export type PagePolicy = 'panel' | 'chat' | 'chatScript' | 'notice';

const COMMON = {
  strictTransportSecurity: false,
  referrerPolicy: { policy: 'same-origin' as const },
  xContentTypeOptions: true,
};

const policies: Record<PagePolicy, () => RequestHandler> = {
  /**
   * AdminJS: its layout sets its state in inline scripts and its components style themselves with
   * inline styles, so both need 'unsafe-inline' (checked in test/admin/browser.test.ts); everything
   * else comes from chot itself, fonts included (admin/panelAssets.ts), so it works offline. Never framed.
   */
  panel: () =>
    helmet({
      ...COMMON,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", "'unsafe-inline'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          fontSrc: ["'self'", 'data:'],
          imgSrc: ["'self'", 'data:', 'blob:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      xFrameOptions: { action: 'deny' },
    }),
  /**
   * The web chat page: scripts and styles from this server only. The widget shows the page in a
   * frame on the business's own site, whatever its address (`?embed=1`); that embedded page never
   * acts as staff (see bot/web/identity.ts). The full page may be framed by chot only.
   */
  chat: () =>
    helmet({
      ...COMMON,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          connectSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          baseUri: ["'none'"],
          formAction: ["'none'"],
          frameAncestors: [(req) => ((req as Request).query?.embed === '1' ? '*' : "'self'")],
        },
      },
      // frame-ancestors decides framing; X-Frame-Options cannot say "anywhere" for the widget.
      xFrameOptions: false,
    }),
  /** The widget script, loaded by other sites' pages: allowed across origins. */
  chatScript: () =>
    helmet({
      ...COMMON,
      contentSecurityPolicy: false,
      crossOriginResourcePolicy: { policy: 'cross-origin' },
      xFrameOptions: false,
    }),
  /**
   * Plain public pages a customer opens from a message (the unsubscribe page): no script at all,
   * one inline style block, a form that posts back to chot only. Never framed, so no page of
   * another site can trick a click on its button.
   */
  notice: () =>
    helmet({
      ...COMMON,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          styleSrc: ["'unsafe-inline'"],
          imgSrc: ["'self'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      xFrameOptions: { action: 'deny' },
    }),
};

export function securityHeaders(policy: PagePolicy): RequestHandler {
  return policies[policy]();
}
