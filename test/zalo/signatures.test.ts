import http from 'node:http';
import express from 'express';
import type { Bot } from 'grammy';
import { useTestDatabase } from '../helpers/database.js';
import { listenOnLoopback, closeServer } from '../helpers/loopback.js';
import { createLogger } from '../../app/logger.js';
import { oaSignature, verifyOaSignature } from '../../bot/zalo/oa/signature.js';
import { oaWebhookRouter } from '../../bot/zalo/oa/webhook.js';
import { botWebhookRouter, sameSecret } from '../../bot/zalo/bot/webhook.js';
import { mountTelegramWebhook } from '../../bot/telegram/webhook.js';
import { ZaloInbox } from '../../models/zaloInbox.js';

useTestDatabase({ seed: false });

/*
 * Known answers, computed once outside the product and written here, so a wrong formula in the
 * product cannot agree with itself. The OA vector (STACK.md: hex SHA-256 of app_id + raw body +
 * timestamp + OA secret key) was computed with:
 *
 *   printf '%s' "4321987650${BODY}1764547200000kat-oa-secret-key" | sha256sum
 *
 * where BODY is the exact string below (UTF-8, 246 bytes, Vietnamese text included).
 */
const OA = {
  appId: '4321987650',
  secretKey: 'kat-oa-secret-key',
  timestamp: '1764547200000', // 2025-12-01T00:00:00Z
  body: '{"app_id":"4321987650","sender":{"id":"2468013579"},"recipient":{"id":"1357924680"},"event_name":"user_send_text","message":{"text":"Cho em hỏi giá căn hộ","msg_id":"kat-msg-1"},"timestamp":"1764547200000","user_id_by_app":"app-2468013579"}',
  mac: 'fc78abf3b9d4124e452ae53e716b8266c7545fbac9e7b2e89cdba4f94ccf709d',
  // The same inputs without the app id (a formula that forgot it), for the refusal below.
  macWithoutAppId: '981a2521304913273e23b9cdb5b37404506cd8155d1c80fe094fe63e971d9e3c',
};
const silent = createLogger('silent');

describe('Zalo OA signature: known answer', () => {
  it('is the hex SHA-256 of app id, raw body, timestamp and OA secret key', () => {
    expect(Buffer.byteLength(OA.body, 'utf8')).toBe(246);
    expect(oaSignature(OA.appId, OA.body, OA.timestamp, OA.secretKey)).toBe(OA.mac);
  });

  it('accepts the known mac in the header as Zalo sends it, in either case, and refuses a mac over other inputs', () => {
    const check = (header: string | undefined) => verifyOaSignature({ appId: OA.appId, secretKey: OA.secretKey, rawBody: OA.body, header });
    expect(check(`mac=${OA.mac}`)).toEqual({ ok: true, timestamp: OA.timestamp });
    expect(check(`mac=${OA.mac.toUpperCase()}`)).toEqual({ ok: true, timestamp: OA.timestamp });
    expect(check(`mac=${OA.macWithoutAppId}`)).toEqual({ ok: false, why: 'mismatch' });
    expect(check(OA.mac)).toEqual({ ok: false, why: 'malformed' });
    expect(check(undefined)).toEqual({ ok: false, why: 'missing' });
  });
});

describe('Zalo OA webhook: the known event at its own time', () => {
  let server: http.Server;
  let url: string;
  let stored = 0;
  const post = (body: string, mac?: string) =>
    fetch(`${url}/webhooks/zalo-oa`, { method: 'POST', headers: { 'content-type': 'application/json', ...(mac ? { 'x-zevent-signature': `mac=${mac}` } : {}) }, body });

  beforeEach(async () => {
    stored = 0;
    const app = express();
    // The clock stands one minute after the event: inside the five-minute window.
    app.use(oaWebhookRouter({ appId: OA.appId, secretKey: OA.secretKey, logger: silent, onStored: () => (stored += 1), now: () => Number(OA.timestamp) + 60_000 }));
    server = http.createServer(app);
    url = await listenOnLoopback(server);
  });
  afterEach(() => closeServer(server));

  it('stores the known event signed with the known mac', async () => {
    const res = await post(OA.body, OA.mac);
    expect(res.status).toBe(200);
    expect(stored).toBe(1);
    expect(await ZaloInbox.findOne().lean()).toMatchObject({ channel: 'zalo_oa', status: 'pending' });
  });

  it('refuses the well-formed, fresh event when its mac is not the signature of this body, and stores nothing', async () => {
    // Everything else about the request is right: only the signature check can refuse these.
    for (const mac of [OA.macWithoutAppId, oaSignature(OA.appId, OA.body, OA.timestamp, 'another-secret'), 'f'.repeat(64)]) {
      const res = await post(OA.body, mac);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'invalid signature' });
    }
    expect((await post(OA.body)).status).toBe(401);
    expect(stored).toBe(0);
    expect(await ZaloInbox.countDocuments()).toBe(0);
  });

  it('refuses an event whose parsed timestamp is not the one the signature covered', async () => {
    // A second top-level "timestamp" key: the signature (and freshness) covered the first, while
    // JSON.parse keeps the last. The event must not be taken with a time nobody signed.
    const body = OA.body.replace('"user_id_by_app"', '"timestamp":"1764547260000","user_id_by_app"');
    const mac = oaSignature(OA.appId, body, OA.timestamp, OA.secretKey);
    expect(verifyOaSignature({ appId: OA.appId, secretKey: OA.secretKey, rawBody: body, header: `mac=${mac}` })).toEqual({ ok: true, timestamp: OA.timestamp });
    const res = await post(body, mac);
    expect(res.status).toBe(401);
    expect(stored).toBe(0);
    expect(await ZaloInbox.countDocuments()).toBe(0);
  });
});

describe('Telegram webhook secret header', () => {
  // Telegram sends the secret given to setWebhook, unchanged, in X-Telegram-Bot-Api-Secret-Token.
  const SECRET = 'Kat_secret-0123456789';
  let server: http.Server;
  let url: string;
  const handled: number[] = [];

  beforeEach(async () => {
    handled.length = 0;
    const app = express();
    const bot = { isInited: () => true, handleUpdate: async (u: { update_id: number }) => void handled.push(u.update_id) } as unknown as Bot;
    mountTelegramWebhook(app, bot, SECRET, silent);
    server = http.createServer(app);
    url = await listenOnLoopback(server);
  });
  afterEach(() => closeServer(server));

  const post = (headers: Record<string, string>, id: number) =>
    fetch(`${url}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ update_id: id }) });

  it('handles an update carrying exactly the secret in X-Telegram-Bot-Api-Secret-Token', async () => {
    expect((await post({ 'X-Telegram-Bot-Api-Secret-Token': SECRET }, 1)).status).toBe(200);
    expect(handled).toEqual([1]);
  });

  it('refuses near misses of the secret, and the secret under another header', async () => {
    const nearMisses = [SECRET.toLowerCase(), SECRET.slice(0, -1), `${SECRET}x`, SECRET.replace('0', 'O'), ''];
    for (const [i, given] of nearMisses.entries()) expect((await post({ 'X-Telegram-Bot-Api-Secret-Token': given }, 10 + i)).status).toBe(401);
    expect((await post({ 'X-Bot-Api-Secret-Token': SECRET }, 20)).status).toBe(401);
    expect((await post({}, 21)).status).toBe(401);
    expect(handled).toEqual([]);
  });
});

describe('Zalo Bot webhook secret header', () => {
  const SECRET = 'kat-zalo-bot-secret-42';
  let server: http.Server;
  let url: string;
  let stored = 0;

  beforeEach(async () => {
    stored = 0;
    const app = express();
    app.use(botWebhookRouter({ secret: SECRET, logger: silent, onStored: () => (stored += 1) }));
    server = http.createServer(app);
    url = await listenOnLoopback(server);
  });
  afterEach(() => closeServer(server));

  const update = (id: string) => JSON.stringify({ event_name: 'message.text.received', message: { message_id: id, text: 'Chào shop', chat: { id: 'c1', chat_type: 'PRIVATE' }, from: { id: 'u1', display_name: 'Khách' }, date: 1764547200000 } });
  const post = (headers: Record<string, string>, id: string) => fetch(`${url}/webhooks/zalo-bot`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: update(id) });

  it('compares the whole secret: equal only when identical', () => {
    expect(sameSecret(SECRET, SECRET)).toBe(true);
    for (const given of [SECRET.toUpperCase(), SECRET.slice(1), `${SECRET} `, 'kat-zalo-bot-secret-43', '', undefined]) expect(sameSecret(given, SECRET)).toBe(false);
  });

  it('stores an update carrying exactly the secret in X-Bot-Api-Secret-Token, and refuses near misses and other headers', async () => {
    for (const [i, given] of [SECRET.toUpperCase(), SECRET.slice(0, -1), `${SECRET}2`].entries()) expect((await post({ 'X-Bot-Api-Secret-Token': given }, `m${i}`)).status).toBe(401);
    expect((await post({ 'X-Telegram-Bot-Api-Secret-Token': SECRET }, 'm8')).status).toBe(401);
    expect(stored).toBe(0);
    expect((await post({ 'X-Bot-Api-Secret-Token': SECRET }, 'm9')).status).toBe(200);
    expect(stored).toBe(1);
    expect(await ZaloInbox.countDocuments({ channel: 'zalo_bot' })).toBe(1);
  });
});
