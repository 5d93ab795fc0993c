// First import: sets ADMIN_JS_TMP_DIR before anything loads adminjs.
import { dropStaleDevBundle } from './tmpDir.js';
import crypto from 'node:crypto';
import session from 'express-session';
import type { NextFunction, Request, Response } from 'express';
import type { Feature } from '../app/context.js';
import { User } from '../models/user.js';
import { verifyLogin, type StaffUser } from '../crm/users/users.js';
import { getSettings } from '../crm/settings/settings.js';
import { MongooseSessionStore } from './sessionStore.js';
import { LoginLimiter } from './loginLimiter.js';
import type { AdminUser } from './access.js';
import { panelErrors, panelFrontDoor } from './frontDoor.js';
import { serveBundlesWithoutSourceMaps } from './bundles.js';
import { securityHeaders } from '../app/securityHeaders.js';
import { exceptWebhooks } from '../app/http.js';
import { PANEL_ASSETS_PATH, panelAssetsRouter, withoutOutsideFonts } from './panelAssets.js';

export const SESSION_COOKIE = 'chot.sid';
const SESSION_MAX_AGE_MS = 12 * 60 * 60 * 1000;

declare module 'express-session' {
  interface SessionData {
    adminUser?: AdminUser;
    redirectTo?: string;
  }
}

function toAdminUser(user: StaffUser): AdminUser {
  return { id: String(user._id), email: user.email, name: user.name, title: user.name, role: user.role, language: user.language, sessionVersion: user.sessionVersion ?? 0 };
}

/**
 * Keeps the logged-in person current, in the panel and in the web chat alike. A session opened
 * before the user's password, role or active flag changed (their `sessionVersion` moved on) ends at
 * its next request; otherwise name and language follow what an admin set.
 */
async function refreshAdminUser(req: Request, _res: Response, next: NextFunction) {
  try {
    const current = req.session?.adminUser;
    if (current && !req.path.includes('/frontend/assets/')) {
      const user = await User.findOne({ _id: current.id, active: true }).select('name email role language sessionVersion').lean();
      if (!user || (user.sessionVersion ?? 0) !== (current.sessionVersion ?? 0)) delete req.session.adminUser;
      else {
        // The panel shows times in the company's zone, which an admin may change at any time.
        const { timezone } = await getSettings();
        req.session.adminUser = { ...current, name: user.name, title: user.name, email: user.email, role: user.role, language: user.language ?? 'vi', timezone };
      }
    }
    next();
  } catch (err) {
    next(err);
  }
}

/**
 * The admin panel at /admin (web processes only). The session middleware is mounted app-wide, so
 * other web features (the web chat) can see who is logged in through `req.session.adminUser`.
 */
export const adminFeature: Feature = {
  name: 'admin',
  async start(ctx) {
    if (!ctx.mode.web) return;
    await dropStaleDevBundle();
    let secret = ctx.config.SESSION_SECRET;
    if (!secret) {
      secret = crypto.randomBytes(32).toString('hex');
      ctx.logger.warn('SESSION_SECRET is not set: using a random one, so admin sessions end when this process restarts');
    }
    const store = new MongooseSessionStore();
    store.startPruning();
    const sessionOptions: session.SessionOptions = {
      name: SESSION_COOKIE,
      secret,
      store,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: Boolean(ctx.config.PUBLIC_URL?.startsWith('https://')), maxAge: SESSION_MAX_AGE_MS },
    };
    // Not on the platforms' webhooks: no person is logged in there, and a session (a random id, a
    // hash, a hook on every answer) per update was a tenth of a webhook's CPU.
    ctx.http.use(exceptWebhooks(session(sessionOptions)));
    ctx.http.use(exceptWebhooks(refreshAdminUser));

    const { createAdmin, AdminJSExpress, ROOT_PATH } = await import('./panel.js');
    if (!ctx.config.DEV_DIAGNOSTICS) await serveBundlesWithoutSourceMaps();
    const { customerExportRoute } = await import('./csvExport.js');
    const settings = await getSettings();
    const admin = createAdmin({
      companyName: settings.companyName ?? 'chot',
      botUsername: () => ctx.registry.get('telegram.botUsername') as string | undefined,
      reply: { notifier: ctx.notifier, logger: ctx.logger.child({ part: 'panel-reply' }) },
    });
    const limiter = new LoginLimiter();

    const authenticate = async (email: string, password: string, context?: { req: Request }) => {
      const account = String(email ?? '').trim().toLowerCase().slice(0, 200);
      const ip = context?.req.ip ?? 'unknown';
      // The message is a translation key: the login page shows it in the chosen language.
      const waitMs = limiter.waitMs(account, ip);
      if (waitMs > 0) {
        // Reported each time, so an operator sees guessing in progress (and from where).
        ctx.logger.warn({ account, ip, waitSeconds: Math.ceil(waitMs / 1000) }, 'admin login blocked: too many failed attempts');
        throw new Error('loginRateLimited');
      }
      const user = await verifyLogin(account, String(password ?? ''));
      if (!user) {
        limiter.recordFailure(account, ip);
        ctx.logger.warn({ account, ip }, 'admin login failed');
        return null;
      }
      limiter.recordSuccess(account, ip);
      // A fresh session id at login: an id planted before login is worth nothing after it.
      const req = context?.req;
      if (req?.session) await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
      ctx.logger.info({ account, role: user.role }, 'admin login');
      return toAdminUser(user);
    };

    ctx.http.use(ROOT_PATH, securityHeaders('panel'));
    ctx.http.use(PANEL_ASSETS_PATH, securityHeaders('panel'), panelAssetsRouter());
    ctx.http.use(ROOT_PATH, withoutOutsideFonts);
    ctx.http.get(`${ROOT_PATH}/export/customers.csv`, customerExportRoute(() => admin.findResource('Customer')));
    ctx.http.get(`${ROOT_PATH}/quotes/:id/pdf`, (await import('./quotePdfRoute.js')).quotePdfRoute());
    const { customerFilesRouter, CUSTOMER_FILES_PATH } = await import('./customerFiles.js');
    ctx.http.use(CUSTOMER_FILES_PATH, customerFilesRouter(ctx.logger.child({ part: 'customer-files' })));
    // AdminJS adds its routes to our front door: same-origin check, login before any body, limits.
    const loginPath = admin.options.loginPath!.slice(ROOT_PATH.length);
    const frontDoor = await panelFrontDoor({ loginPath, publicUrl: ctx.config.PUBLIC_URL, dataDir: ctx.config.DATA_DIR });
    const router = AdminJSExpress.buildAuthenticatedRouter(admin, { authenticate: authenticate as never, cookieName: SESSION_COOKIE, cookiePassword: secret }, frontDoor, sessionOptions);
    ctx.http.use(ROOT_PATH, router);
    if (!ctx.config.DEV_DIAGNOSTICS) ctx.http.use(ROOT_PATH, panelErrors(ctx.logger));
    return { stop: async () => store.stopPruning() };
  },
};
