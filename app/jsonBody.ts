import type { IncomingMessage } from 'node:http';

/** Why a body was refused, as the HTTP status to answer with. */
export class BodyRefused extends Error {
  constructor(readonly status: 400 | 413) {
    super(status === 413 ? 'body too large' : 'body is not JSON');
    this.name = 'BodyRefused';
  }
}

/**
 * Reads a JSON request body of at most `limitBytes`, for the platforms' webhooks: one update per
 * request, sent as `application/json` in UTF-8. It does what `express.json` did there (a declared
 * or actual size over the limit is refused with 413 before or while reading, anything that is not
 * JSON with 400) without its per-request content negotiation, which cost more than the parse itself.
 */
export function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const type = req.headers['content-type'];
    if (typeof type !== 'string' || !/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
      req.resume();
      reject(new BodyRefused(400));
      return;
    }
    if (Number(req.headers['content-length']) > limitBytes) {
      req.resume();
      reject(new BodyRefused(413));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        stop();
        req.resume();
        reject(new BodyRefused(413));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      try {
        resolve(JSON.parse((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)).toString('utf8')));
      } catch {
        // Not JSON, or nested deeper than the parser's stack allows.
        reject(new BodyRefused(400));
      }
    };
    const onError = () => {
      stop();
      reject(new BodyRefused(400));
    };
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onError);
  });
}
