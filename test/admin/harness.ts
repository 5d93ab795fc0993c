// First: where this worker's panel writes its component bundle (see the file).
import '../helpers/adminTmpDir.js';
import crypto from 'node:crypto';
import os from 'node:os';
import type { Page } from 'playwright-core';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { startApp, type RunningApp } from '../../app/start.js';
import { loadConfig } from '../../app/config.js';
import { createLogger } from '../../app/logger.js';
import { adminFeature } from '../../admin/feature.js';
import { createUser } from '../../crm/users/users.js';
import { SYSTEM } from '../../crm/users/actor.js';
import type { Role } from '../../models/user.js';
import type { Feature } from '../../app/context.js';

export const ADMIN = { email: 'admin@chot.test', password: 'mat-khau-admin-1' };

/** The app with only the admin feature (or the features given), on its own database, listening on a free port. */
export async function startPanel(features: Feature[] = [adminFeature]): Promise<{ app: RunningApp; base: string; stop(): Promise<void> }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'chot-admin-'));
  const env: Record<string, string> = { DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, SESSION_SECRET: 'test-secret-0123456789abcdef' };
  if (process.env.MONGODB_URI) env.MONGODB_URI = process.env.MONGODB_URI;
  const app = await startApp({ config: loadConfig(env), logger: createLogger('silent'), features, dbName: `chot_admin_${Date.now()}` });
  return {
    app,
    base: `http://127.0.0.1:${app.port}`,
    async stop() {
      await app.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function makeUser(role: Role, email: string, password = 'mat-khau-12345') {
  return createUser(SYSTEM, { name: `${role} ${email.split('@')[0]}`, email, role, password });
}

/**
 * Builds the panel's component bundle before a browser asks for it: outside production AdminJS
 * builds it on the first request, which takes seconds on a busy machine (the charts library is most
 * of it), longer than a browser test waits for a page.
 */
export async function warmComponentsBundle(base: string): Promise<void> {
  const res = await fetch(`${base}/admin/frontend/assets/components.bundle.js`, { signal: AbortSignal.timeout(80_000) });
  if (!res.ok) throw new Error(`the component bundle answered ${res.status}`);
  await res.text();
}

/** Logs in on the panel's login page in a real browser, as a person does, and waits for the dashboard. */
export async function logInInBrowser(page: Page, base: string, email = ADMIN.email, password = ADMIN.password): Promise<void> {
  await page.goto(`${base}/admin/login`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.press('input[name=password]', 'Enter');
  await page.waitForURL((url) => !url.pathname.endsWith('/login'));
  await page.waitForSelector('[data-testid=dashboard]');
}

/** fetch with a cookie jar: one browser session against the panel. */
export class Browser {
  private cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  async request(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    // A browser sends its page's origin with every POST; the panel refuses changes without it.
    const init: RequestInit = { method, redirect: 'manual', headers: { origin: this.base, ...headers, cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } };
    if (body instanceof URLSearchParams) {
      init.body = body;
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = await fetch(this.base + url, init);
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = pair.split('=');
      this.cookies.set(name, value);
    }
    return res;
  }

  async login(email: string, password: string): Promise<Response> {
    return this.request('POST', '/admin/login', new URLSearchParams({ email, password }));
  }

  async api(method: 'GET' | 'POST', url: string, body?: unknown): Promise<{ status: number; data: any }> {
    const res = await this.request(method, `/admin/api${url}`, body);
    const text = await res.text();
    let data: any = text;
    try {
      data = JSON.parse(text);
    } catch {
      // not JSON (an error page)
    }
    return { status: res.status, data };
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

/** A browser session already logged in (a refused login throws: nothing after it would mean anything). */
export async function loggedIn(base: string, email: string, password = 'mat-khau-12345'): Promise<Browser> {
  const browser = new Browser(base);
  const res = await browser.login(email, password);
  if (res.status !== 302) throw new Error(`login as ${email} failed with ${res.status}`);
  return browser;
}

export async function removeDir(dir: string) {
  await rm(dir, { recursive: true, force: true });
}

/**
 * A visitor who opens the website chat and answers its intake (name and phone in one message, then
 * the need), becoming a lead, as a person does on the company's site. Needs the web chat running.
 * Returns how that visitor writes again.
 */
export async function webChatLead(base: string, nameAndPhone: string, need: string): Promise<{ say(text: string): Promise<void> }> {
  const visitorId = crypto.randomBytes(24).toString('base64url');
  const send = async (fields: Record<string, unknown>) => {
    const res = await fetch(`${base}/chat/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ visitorId, clientMessageId: crypto.randomBytes(12).toString('base64url'), ...fields }),
    });
    if (res.status !== 200) throw new Error(`web chat answered ${res.status}`);
  };
  for (const fields of [{ start: true }, { text: nameAndPhone }, { text: need }]) await send(fields);
  return { say: (text) => send({ text }) };
}
