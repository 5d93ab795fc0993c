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

export const SESSION_COOKIE = 'chot.sid';
const SESSION_MAX_AGE_MS = 12 * 60 * 60 * 1000;

declare module 'express-session' {
  interface SessionData {
    adminUser?: AdminUser;
    redirectTo?: string;
  }
}

function toAdminUser(user: StaffUser): AdminUser {
  return { id: String(user._id), email: user.email, name: user.name, title: user.name, role: user.role, language: user.language };
}

/**
 * Keeps the logged-in person's role and status current: a user deactivated or demoted by an admin
 * loses their rights at their next click, not when their session would expire.
 */
async function refreshAdminUser(req: Request, _res: Response, next: NextFunction) {
  try {
    const current = req.session?.adminUser;
    if (current && !req.path.startsWith('/frontend/assets')) {
      const user = await User.findOne({ _id: current.id, active: true }).select('name email role language').lean();
      if (!user) delete req.session.adminUser;
      else req.session.adminUser = { ...current, name: user.name, title: user.name, email: user.email, role: user.role, language: user.language ?? 'vi' };
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
    ctx.http.use(session(sessionOptions));

    const { createAdmin, AdminJSExpress, ROOT_PATH } = await import('./panel.js');
    const { customerExportRoute } = await import('./csvExport.js');
    const settings = await getSettings();
    const admin = createAdmin({ companyName: settings.companyName ?? 'chot', botUsername: () => ctx.registry.get('telegram.botUsername') as string | undefined });
    const limiter = new LoginLimiter();

    const authenticate = async (email: string, password: string, context?: { req: Request }) => {
      const account = String(email ?? '').trim().toLowerCase().slice(0, 200);
      const ip = context?.req.ip ?? 'unknown';
      // The message is a translation key: the login page shows it in the chosen language.
      if (limiter.isBlocked(account, ip)) {
        // Reported each time, so an operator sees guessing in progress (and from where).
        ctx.logger.warn({ account, ip }, 'admin login blocked: too many failed attempts');
        throw new Error('loginRateLimited');
      }
      const user = await verifyLogin(account, String(password ?? ''));
      if (!user) {
        limiter.recordFailure(account, ip);
        ctx.logger.warn({ account, ip }, 'admin login failed');
        return null;
      }
      limiter.recordSuccess(account);
      // A fresh session id at login: an id planted before login is worth nothing after it.
      const req = context?.req;
      if (req?.session) await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
      ctx.logger.info({ account, role: user.role }, 'admin login');
      return toAdminUser(user);
    };

    ctx.http.use(ROOT_PATH, refreshAdminUser);
    ctx.http.get(`${ROOT_PATH}/export/customers.csv`, customerExportRoute(() => admin.findResource('Customer')));
    const router = AdminJSExpress.buildAuthenticatedRouter(admin, { authenticate: authenticate as never, cookieName: SESSION_COOKIE, cookiePassword: secret }, null, sessionOptions);
    ctx.http.use(ROOT_PATH, router);
    return { stop: async () => store.stopPruning() };
  },
};
