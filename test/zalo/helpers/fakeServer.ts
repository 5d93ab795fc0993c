import http from 'node:http';
import { closeServer, listenOnLoopback } from '../../helpers/loopback.js';

export interface FakeRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
}

export type FakeHandler = (req: FakeRequest) => Promise<{ status?: number; body: unknown }> | { status?: number; body: unknown };

/** A tiny HTTP server on 127.0.0.1 standing in for a Zalo API; `down()` makes it refuse connections. */
export class FakeServer {
  private server?: http.Server;
  private port = 0;

  constructor(private readonly handler: FakeHandler) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        try {
          const out = await this.handler({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
          res.writeHead(out.status ?? 200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(out.body));
        } catch (err) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: String(err) }));
        }
      });
    });
    this.port = Number(new URL(await listenOnLoopback(this.server, port)).port);
    return this;
  }

  /** Stops listening (connections are refused) but keeps the port for `start(again)`. */
  async down(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    await closeServer(s);
  }

  async up(): Promise<void> {
    await this.start(this.port);
  }

  async stop(): Promise<void> {
    await this.down();
  }
}
