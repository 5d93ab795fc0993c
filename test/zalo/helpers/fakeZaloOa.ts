import { FakeServer, type FakeRequest } from './fakeServer.js';

export interface FakeOaOptions {
  appId: string;
  appSecret: string;
  accessToken: string;
  refreshToken: string;
  /** Delay before answering a refresh (to make concurrent callers overlap). */
  refreshDelayMs?: number;
}

/**
 * A fake of the two Zalo OA hosts (openapi and oauth, on one port): it checks what the real API
 * requires (the `access_token` header, the JSON body of a cs message, the `secret_key` header and
 * form of a refresh) and answers in Zalo's shapes, errors included. Refresh tokens are single-use,
 * as on Zalo: the second use of one is refused.
 */
export class FakeZaloOa {
  readonly server: FakeServer;
  readonly sent: { userId: string; text: string; token: string }[] = [];
  readonly refreshUses = new Map<string, number>();
  /** Users Zalo refuses to deliver to, with the error it answers. */
  readonly refusals = new Map<string, { error: number; message: string }>();
  validAccess: Set<string>;
  currentRefresh: string;
  private issued = 0;

  constructor(readonly opts: FakeOaOptions) {
    this.validAccess = new Set([opts.accessToken]);
    this.currentRefresh = opts.refreshToken;
    this.server = new FakeServer((req) => this.handle(req));
  }

  get url(): string {
    return this.server.url;
  }

  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  /** Makes the current access token stop working, as when it expires. */
  expireAccessTokens(): void {
    this.validAccess.clear();
  }

  private async handle(req: FakeRequest) {
    if (req.method === 'POST' && req.path === '/v3.0/oa/message/cs') return this.sendCs(req);
    if (req.method === 'POST' && req.path === '/v4/oa/access_token') return this.refresh(req);
    return { status: 404, body: { error: -404, message: 'not found' } };
  }

  private sendCs(req: FakeRequest) {
    const token = req.headers['access_token'];
    if (typeof token !== 'string' || !token) return { body: { error: -216, message: 'Access token is invalid' } };
    if (!String(req.headers['content-type']).startsWith('application/json')) return { body: { error: -201, message: 'Parameters are invalid' } };
    if (!this.validAccess.has(token)) return { body: { error: -216, message: 'Access token is invalid' } };
    let body: { recipient?: { user_id?: string }; message?: { text?: string } };
    try {
      body = JSON.parse(req.raw);
    } catch {
      return { body: { error: -201, message: 'Parameters are invalid' } };
    }
    const userId = body.recipient?.user_id;
    const text = body.message?.text;
    if (!userId || typeof text !== 'string' || !text || text.length > 2000) return { body: { error: -201, message: 'Parameters are invalid' } };
    const refusal = this.refusals.get(userId);
    if (refusal) return { body: { ...refusal } };
    this.sent.push({ userId, text, token });
    return { body: { error: 0, message: 'Success', data: { message_id: `m${this.sent.length}`, user_id: userId } } };
  }

  private async refresh(req: FakeRequest) {
    if (req.headers['secret_key'] !== this.opts.appSecret) return { body: { error: -14002, error_name: 'Invalid secret key', error_description: 'secret_key is invalid' } };
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
      return { body: { error: -14001, error_name: 'Invalid parameter', error_description: 'form expected' } };
    }
    const form = new URLSearchParams(req.raw);
    if (form.get('app_id') !== this.opts.appId || form.get('grant_type') !== 'refresh_token') {
      return { body: { error: -14001, error_name: 'Invalid parameter', error_description: 'app_id or grant_type' } };
    }
    const token = form.get('refresh_token') ?? '';
    this.refreshUses.set(token, (this.refreshUses.get(token) ?? 0) + 1);
    if (this.opts.refreshDelayMs) await new Promise((r) => setTimeout(r, this.opts.refreshDelayMs));
    if (token !== this.currentRefresh) {
      return { body: { error: -14014, error_name: 'Invalid refresh token', error_description: 'Refresh token is invalid or already used' } };
    }
    this.issued += 1;
    const access = `access-${this.issued}`;
    this.currentRefresh = `refresh-${this.issued}`;
    this.validAccess.add(access);
    return { body: { access_token: access, refresh_token: this.currentRefresh, expires_in: '90000' } };
  }
}
