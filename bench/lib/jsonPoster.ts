import http from 'node:http';

/**
 * POSTs JSON over kept-alive connections with node:http: built-in `fetch` spent several times the
 * CPU per request, which the bench's senders take from the cores chot runs on.
 */
export class JsonPoster {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

  post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const payload = Buffer.from(body);
      const req = http.request(url, { method: 'POST', agent: this.agent, headers: { 'content-type': 'application/json', 'content-length': payload.length, ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
