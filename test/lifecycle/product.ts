import crypto from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { AppProcess, killAll } from '../reliability/helpers/appProcess.js';

/**
 * chot as a newcomer runs it: the start command (`node --import tsx main.ts`, what `npm start`
 * runs, without npm in between so a signal reaches chot itself), no MONGODB_URI, no bot tokens,
 * everything in one DATA_DIR. Driven over HTTP only; the stored data is read through the
 * embedded database's own port, which the process logs.
 */
export const ADMIN = { email: 'chu.shop@chot.vn', password: 'Mat-Khau-Chu-Shop-2026' };

export class Product {
  app!: AppProcess;
  private client: MongoClient | undefined;

  private constructor(readonly dataDir: string) {}

  static async onNewDataDir(): Promise<Product> {
    return new Product(await mkdtemp(path.join(os.tmpdir(), 'chot-life-')));
  }

  async start(): Promise<void> {
    this.app = await AppProcess.start(`chot@${path.basename(this.dataDir)}`, 'both', {
      DATA_DIR: this.dataDir,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      SESSION_SECRET: 'lifecycle-session-secret-0123456789',
      // Leads arrive through a proxy that names each visitor's address, as in production.
      TRUST_PROXY: 'loopback',
      LEADS_PER_ADDRESS_PER_HOUR: '100',
    });
  }

  get base(): string {
    return this.app.base;
  }

  /** The stored data, read directly (what survives is what the database holds, not what a page shows). */
  async db(): Promise<Db> {
    if (!this.client) {
      const line = this.app.lines.find((l) => typeof l.uri === 'string' && String(l.msg).includes('embedded database'));
      if (!line) throw new Error('the process did not log its embedded database address');
      this.client = new MongoClient(line.uri, { serverMonitoringMode: 'poll' });
      await this.client.connect();
    }
    return this.client.db('chot');
  }

  private async dropClient(): Promise<void> {
    await this.client?.close(true).catch(() => undefined);
    this.client = undefined;
  }

  async stop(): Promise<void> {
    await this.dropClient();
    await this.app.stop();
  }

  async kill(): Promise<void> {
    await this.dropClient();
    await this.app.kill();
  }

  async remove(): Promise<void> {
    await this.dropClient();
    await this.app?.kill();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

export interface LeadOutcome {
  phone: string;
  /** The last text chot answered, when the intake got to its end. */
  final?: string;
  confirmed: boolean;
}

/** A prospect going through the web chat intake: open, name, phone, need. */
export async function webLead(base: string, name: string, phone: string, address: string): Promise<LeadOutcome> {
  const visitorId = crypto.randomBytes(18).toString('base64url');
  let final: string | undefined;
  for (const body of [{ start: true }, { text: name }, { text: phone }, { text: 'Tư vấn căn hộ' }]) {
    const res = await fetch(`${base}/chat/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ visitorId, clientMessageId: crypto.randomBytes(8).toString('hex'), ...body }),
    });
    if (res.status !== 200) return { phone, confirmed: false };
    const { messages } = (await res.json()) as { messages: { text?: string }[] };
    final = messages.at(-1)?.text;
  }
  return { phone, final, confirmed: Boolean(final?.startsWith('Cảm ơn')) };
}

/** A logged-in admin: the panel's API and the staff side of /chat, on one session cookie. */
export class Staff {
  private cookie = '';
  private readonly visitorId = crypto.randomBytes(18).toString('base64url');

  constructor(private readonly base: string) {}

  async login(email = ADMIN.email, password = ADMIN.password): Promise<number> {
    const res = await fetch(`${this.base}/admin/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: this.base, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email, password }),
    });
    this.cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    return res.status;
  }

  async api(method: 'GET' | 'POST', url: string, body?: unknown): Promise<{ status: number; data: any }> {
    const res = await fetch(`${this.base}/admin/api${url}`, {
      method,
      redirect: 'manual',
      headers: { origin: this.base, cookie: this.cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, data: await res.json().catch(() => undefined) };
  }

  /** One message to chot in /chat as this staff user; returns chot's last answer. */
  async chat(input: { text: string } | { choice: string }): Promise<{ text?: string; choices?: { label: string; data: string }[] }> {
    const res = await fetch(`${this.base}/chat/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: this.cookie },
      body: JSON.stringify({ visitorId: this.visitorId, clientMessageId: crypto.randomBytes(8).toString('hex'), ...input }),
    });
    if (res.status !== 200) throw new Error(`/chat answered ${res.status}`);
    const { messages } = (await res.json()) as { messages: { from: string; text?: string; choices?: { label: string; data: string }[] }[] };
    return messages.filter((m) => m.from === 'chot').at(-1) ?? {};
  }
}

/** A Vietnamese mobile number of the 091 range, unique per i below a million. */
export const phoneOf = (i: number, prefix = '0912') => `${prefix}${String(i).padStart(6, '0')}`;
/** The stored (E.164) form of a phone typed as 09xxxxxxxx. */
export const e164 = (phone: string) => `+84${phone.slice(1)}`;

/**
 * A product on a fresh data directory for the test file (or for each test with `perTest`), removed
 * afterwards with every process the file started, whatever failed. Read `.current` inside tests.
 */
export function useProduct(opts: { perTest?: boolean } = {}): { current: Product } {
  const holder = {} as { current: Product };
  const [before, after] = opts.perTest ? [beforeEach, afterEach] : [beforeAll, afterAll];
  before(async () => {
    holder.current = await Product.onNewDataDir();
  });
  after(async () => {
    await holder.current.remove();
    await killAll();
  });
  return holder;
}
