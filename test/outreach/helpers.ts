import http from 'node:http';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createHttpApp } from '../../app/http.js';
import { loadConfig } from '../../app/config.js';
import { createLogger } from '../../app/logger.js';
import { outreachFeature } from '../../app/outreach.js';
import { Notifier } from '../../bot/core/notifier.js';
import type { AppContext } from '../../app/context.js';
import { closeServer, listenOnLoopback } from '../helpers/loopback.js';

/** Log lines a test can read (what an admin would see in the server log). */
export function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger('info', stream), lines, text: () => lines.map((l) => String(l.msg)).join('\n') };
}

/**
 * chot's outreach part as it starts in the product: the feature reads the environment, registers
 * the senders with a Notifier and mounts its public pages on a real HTTP server (PUBLIC_URL is that
 * server's address).
 */
export async function startOutreach(env: Record<string, string>) {
  const app = createHttpApp();
  const server = http.createServer(app);
  const baseUrl = await listenOnLoopback(server);
  const config = loadConfig({ DATA_DIR: '/nonexistent', PUBLIC_URL: baseUrl, LOG_LEVEL: 'silent', ...env });
  const log = capturedLogger();
  const notifier = new Notifier(log.logger);
  const ctx = { config, logger: log.logger, notifier, http: app, mode: { web: true, worker: true }, registry: new Map() } as unknown as AppContext;
  const started = await outreachFeature.start(ctx);
  return {
    baseUrl,
    notifier,
    log,
    stop: async () => {
      if (started && started.stop) await started.stop();
      await closeServer(server);
    },
  };
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  parsed: ParsedMail;
}

/**
 * A real SMTP server on 127.0.0.1 (smtp-server). Recipients are refused the way real servers refuse
 * them: `nobody@…` 550 5.1.1, `spam@…` 554 5.7.1 (policy), `busy@…` 451 4.3.0 (try later).
 */
export async function startSmtpServer() {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // Pooled client connections left open are cut at once when the test stops the server.
    closeTimeout: 50,
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const refuse = (code: number, text: string) => callback(Object.assign(new Error(text), { responseCode: code }));
      if (address.address.startsWith('nobody@')) return refuse(550, '5.1.1 <nobody@example.vn>: Recipient address rejected: User unknown');
      if (address.address.startsWith('spam@')) return refuse(554, '5.7.1 Message rejected as spam');
      if (address.address.startsWith('busy@')) return refuse(451, '4.3.0 Temporary failure, try again later');
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({
          from: (session.envelope.mailFrom as SMTPServerAddress).address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          parsed: await simpleParser(raw),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = ((server as unknown as { server: http.Server }).server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export { closeServer, listenOnLoopback };
