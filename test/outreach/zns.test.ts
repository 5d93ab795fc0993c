import http from 'node:http';
import { useTestDatabase } from '../helpers/database.js';
import { makeCustomer } from '../jobs/fixtures.js';
import { closeServer, listenOnLoopback, startOutreach } from './helpers.js';
import { createLogger } from '../../app/logger.js';
import { OaTokenManager } from '../../bot/zalo/oa/tokens.js';
import { ZaloOauthClient } from '../../bot/zalo/oa/oauth.js';
import { setActiveOaTokens } from '../../bot/zalo/oa/activeTokens.js';
import { outreachAddress } from '../../crm/outreach/address.js';
import type { OutreachSender } from '../../crm/outreach/types.js';

useTestDatabase();

interface ZnsCall {
  path: string;
  accessToken: string | undefined;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

/**
 * A fake Zalo: the ZNS send endpoint and the OAuth refresh. The answer depends on the template id,
 * the way Zalo answers: `quota` → -115, `draft` → -117 (not approved), `night` → -133, phone
 * 84999999999 → -118 (no Zalo account). A token other than the current one gets -124.
 */
class FakeZalo {
  calls: ZnsCall[] = [];
  currentToken = 'oa-access-1';
  refreshes = 0;
  url = '';
  private server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const reply = (body: unknown) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      if (req.url === '/v4/oa/access_token') {
        this.refreshes += 1;
        this.currentToken = `oa-access-${this.refreshes + 1}`;
        return reply({ access_token: this.currentToken, refresh_token: `oa-refresh-${this.refreshes + 1}`, expires_in: '90000' });
      }
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      const accessToken = req.headers['access_token'] as string | undefined;
      this.calls.push({ path: req.url ?? '', accessToken, contentType: req.headers['content-type'], body });
      if (accessToken !== this.currentToken) return reply({ error: -124, message: 'Access token is invalid' });
      if (body.template_id === 'quota') return reply({ error: -115, message: 'Out of quota' });
      if (body.template_id === 'draft') return reply({ error: -117, message: 'OA or App does not have permission to access this template' });
      if (body.template_id === 'night') return reply({ error: -133, message: 'Sending time is not allowed' });
      if (body.phone === '84999999999') return reply({ error: -118, message: 'Zalo account not existed' });
      reply({ error: 0, message: 'Success', data: { msg_id: `msg-${this.calls.length}`, sent_time: String(Date.now()), quota: { dailyQuota: '500', remainingQuota: '499' } } });
    });
  });
  async start() {
    this.url = await listenOnLoopback(this.server);
    return this;
  }
  stop() {
    return closeServer(this.server);
  }
}

let zalo: FakeZalo;
let chot: Awaited<ReturnType<typeof startOutreach>>;
let zns: OutreachSender;

beforeAll(async () => {
  zalo = await new FakeZalo().start();
  chot = await startOutreach({ ZALO_ZNS_ENABLED: 'true', ZALO_OA_APP_ID: 'app-1', ZALO_OA_SECRET_KEY: 'oa-secret-key', ZALO_ZNS_API_ROOT: zalo.url, ZALO_ZNS_PRICE_VND: '250' });
  zns = chot.notifier.outreach('zns')!;
});
afterAll(async () => {
  setActiveOaTokens(undefined);
  await chot.stop();
  await zalo.stop();
});
beforeEach(async () => {
  zalo.calls = [];
  zalo.currentToken = 'oa-access-1';
  zalo.refreshes = 0;
  // The OA channel's own token manager, holding the pair an admin configured (as zaloOaFeature builds it).
  const tokens = new OaTokenManager({
    appId: 'app-1',
    logger: createLogger('silent'),
    oauth: new ZaloOauthClient({ oauthRoot: zalo.url, appId: 'app-1', secretKey: 'oa-secret-key' }),
    configured: { accessToken: 'oa-access-1', refreshToken: 'oa-refresh-1' },
  });
  await tokens.init();
  setActiveOaTokens(tokens);
});

const template = (templateId: string) => ({ templateId, params: { customer_name: 'Nguyễn Thị Lan', order_code: 'KH000123' } });

describe('Zalo ZNS', () => {
  it('is registered from ZALO_ZNS_ENABLED with the OA configured', () => {
    expect(chot.notifier.outreachChannels).toEqual(['zns']);
  });

  it('sends the template to the phone in 84… form with the OA token header, template data and tracking id', async () => {
    const c = await makeCustomer({ phones: ['+84912345678'] });
    const phone = outreachAddress({ phones: ['+84912345678'] }, 'zns')!;
    const result = await zns.send(phone, { customerId: c._id, text: '', zns: template('tpl-123'), trackingId: 'camp7:kh1' });
    expect(result).toEqual({ ok: true, providerId: 'msg-1', costVnd: 250 });
    expect(zalo.calls).toHaveLength(1);
    const call = zalo.calls[0]!;
    expect(call.path).toBe('/message/template');
    expect(call.accessToken).toBe('oa-access-1');
    expect(call.contentType).toBe('application/json');
    expect(call.body).toEqual({
      phone: '84912345678',
      template_id: 'tpl-123',
      template_data: { customer_name: 'Nguyễn Thị Lan', order_code: 'KH000123' },
      tracking_id: 'camp7:kh1',
    });
  });

  it("maps Zalo's refusals, keeping the code: quota, template not approved, no Zalo account, out of hours", async () => {
    const c = await makeCustomer({});
    const send = (templateId: string, phone = '+84912345678') => zns.send(phone, { customerId: c._id, text: '', zns: template(templateId), trackingId: `t-${templateId}` });
    expect(await send('quota')).toMatchObject({ ok: false, reason: 'quota', code: '-115' });
    expect(await send('draft')).toMatchObject({ ok: false, reason: 'template_rejected', code: '-117' });
    expect(await send('tpl-1', '+84999999999')).toMatchObject({ ok: false, reason: 'invalid_address', code: '-118' });
    const night = await send('night');
    expect(night).toMatchObject({ ok: false, reason: 'out_of_hours', code: '-133' });
    expect(night.ok === false && night.retryAfterSeconds! > 0 && night.retryAfterSeconds! <= 86_400).toBe(true);
  });

  it('an expired OA token is refreshed once and the message sent with the new one', async () => {
    const c = await makeCustomer({});
    zalo.currentToken = 'rotated-by-zalo';
    const result = await zns.send('+84912345678', { customerId: c._id, text: '', zns: template('tpl-1'), trackingId: 't-1' });
    expect(result).toMatchObject({ ok: true });
    expect(zalo.refreshes).toBe(1);
    expect(zalo.calls.map((call) => call.accessToken)).toEqual(['oa-access-1', 'oa-access-2']);
  });

  it('refuses without calling Zalo: a landline or foreign number, a message without a template', async () => {
    const c = await makeCustomer({});
    expect(outreachAddress({ phones: ['+842838221234', '+14155550100'] }, 'zns')).toBeNull();
    expect(await zns.send('+842838221234', { customerId: c._id, text: '', zns: template('tpl-1'), trackingId: 't' })).toMatchObject({ ok: false, reason: 'invalid_address' });
    expect(await zns.send('+84912345678', { customerId: c._id, text: 'hello', trackingId: 't' })).toMatchObject({ ok: false, reason: 'template_rejected' });
    expect(zalo.calls).toHaveLength(0);
  });

  it('is not configured while the OA has no token (Zalo OA not running)', async () => {
    setActiveOaTokens(undefined);
    const c = await makeCustomer({});
    expect(await zns.send('+84912345678', { customerId: c._id, text: '', zns: template('tpl-1'), trackingId: 't' })).toMatchObject({ ok: false, reason: 'not_configured' });
  });
});

describe('ZNS configuration', () => {
  it('ZALO_ZNS_ENABLED without the Zalo OA leaves ZNS off with one log line', async () => {
    const alone = await startOutreach({ ZALO_ZNS_ENABLED: 'true' });
    try {
      expect(alone.notifier.outreach('zns')).toBeUndefined();
      expect(alone.log.text()).toContain('ZNS is off: ZALO_ZNS_ENABLED=true needs the Zalo OA');
    } finally {
      await alone.stop();
    }
  });
});
