import http from 'node:http';
import express from 'express';
import { BodyRefused, readJsonBody } from '../../app/jsonBody.js';
import { exceptWebhooks } from '../../app/http.js';
import { closeServer, listenOnLoopback } from '../helpers/loopback.js';

/**
 * Sends raw bytes in the given chunks (so a body can be split mid-character) and returns status and
 * text; with `end` false the request is left open after them.
 */
function send(base: string, path: string, chunks: Buffer[], headers: Record<string, string | number>, end = true): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method: 'POST', agent: false, headers: { connection: 'close', ...headers } }, (res) => {
      const got: Buffer[] = [];
      res.on('data', (c: Buffer) => got.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(got).toString('utf8') }));
    });
    // A refusal may close the socket before the whole body is written.
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    (async () => {
      for (const chunk of chunks) {
        req.write(chunk);
        await new Promise((r) => setTimeout(r, 5));
      }
      if (end) req.end();
    })().catch(reject);
  });
}

describe('the webhooks\' HTTP layer', () => {
  let server: http.Server;
  let base: string;
  const LIMIT = 1000;
  let panelWork = 0;

  beforeAll(async () => {
    const app = express();
    // Stands for the panel's session middleware: work every request but a webhook's should get.
    app.use(exceptWebhooks((_req, _res, next) => {
      panelWork += 1;
      next();
    }));
    const echo: express.RequestHandler = async (req, res) => {
      try {
        res.json({ body: await readJsonBody(req, LIMIT) });
      } catch (err) {
        res.status(err instanceof BodyRefused ? err.status : 500).set('Connection', 'close').end();
      }
    };
    app.post('/webhooks/test', echo);
    app.post('/chat/api/test', echo);
    server = http.createServer(app);
    base = await listenOnLoopback(server);
  });

  afterAll(async () => closeServer(server));

  it('reads a JSON body, even with a Vietnamese character split between two packets', async () => {
    const bytes = Buffer.from(JSON.stringify({ update_id: 1, text: 'Nguyễn Thị Đào' }));
    const cut = bytes.indexOf(Buffer.from('ễ')) + 1;
    const res = await send(base, '/webhooks/test', [bytes.subarray(0, cut), bytes.subarray(cut)], { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ body: { update_id: 1, text: 'Nguyễn Thị Đào' } });
  });

  it('refuses a body declared over the limit with 413, before reading it', async () => {
    // Only the first bytes are sent: a server that waited for the rest would never answer.
    const res = await send(base, '/webhooks/test', [Buffer.from('{"a":"xxxx')], { 'content-type': 'application/json', 'content-length': LIMIT + 1 }, false);
    expect(res.status).toBe(413);
  });

  it('refuses a chunked body that grows over the limit with 413', async () => {
    const part = Buffer.from(`{"a":"${'x'.repeat(600)}`);
    const res = await send(base, '/webhooks/test', [part, Buffer.from(`${'y'.repeat(600)}"}`)], { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    expect(res.status).toBe(413);
  });

  it('refuses what is not JSON, or not sent as JSON, with 400', async () => {
    expect((await send(base, '/webhooks/test', [Buffer.from('{"a":')], { 'content-type': 'application/json' })).status).toBe(400);
    expect((await send(base, '/webhooks/test', [Buffer.from('{"a":1}')], { 'content-type': 'text/plain' })).status).toBe(400);
    expect((await send(base, '/webhooks/test', [Buffer.from('{"a":1}')], { 'content-type': 'application/jsonx' })).status).toBe(400);
    expect((await send(base, '/webhooks/test', [Buffer.from('{"a":1}')], { 'content-type': 'application/json; charset=utf-8' })).status).toBe(200);
  });

  it('keeps the panel\'s per-request work off the webhooks only', async () => {
    panelWork = 0;
    await send(base, '/webhooks/test', [Buffer.from('{}')], { 'content-type': 'application/json' });
    expect(panelWork).toBe(0);
    await send(base, '/chat/api/test', [Buffer.from('{}')], { 'content-type': 'application/json' });
    expect(panelWork).toBe(1);
  });
});
