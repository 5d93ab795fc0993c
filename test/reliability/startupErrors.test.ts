/**
 * Issue 11, item 7: a start-up that cannot succeed says, in one line, what the operator should do,
 * and exits non-zero, instead of a TypeError or a driver's stack trace.
 */
import { jest } from '@jest/globals';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { freePort } from '../../app/database.js';
import { AppProcess, killAll } from './helpers/appProcess.js';

jest.setTimeout(90_000);

let dataDir = '';
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'chot-startup-'));
});
afterAll(async () => {
  await killAll();
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs chot until it exits by itself; the lines it wrote. */
async function runToExit(name: string, env: Record<string, string>, port?: number): Promise<{ app: AppProcess; text: string }> {
  const app = await AppProcess.spawn(name, 'both', { DATA_DIR: dataDir, ...env }, { port });
  await app.waitForExit();
  return { app, text: app.logText() };
}

it('a port already in use: one line naming the port and what to do, exit code 1', async () => {
  const port = await freePort();
  const squatter = net.createServer();
  await new Promise<void>((resolve) => squatter.listen(port, resolve));
  try {
    const { app, text } = await runToExit('port-taken', {}, port);
    expect(app.exitCode).toBe(1);
    const said = app.lines.find((l) => typeof l.msg === 'string' && l.msg.startsWith('chot cannot start'));
    expect(said?.msg).toBe(`chot cannot start: port ${port} is already in use: stop the program using it, or set PORT to a free port`);
    expect(text).not.toContain('TypeError');
    expect(text).not.toMatch(/^\s+at /m);
  } finally {
    await new Promise((resolve) => squatter.close(resolve));
  }
});

it('an unreachable MONGODB_URI: one line naming the host and what to check, exit code 1, the password nowhere', async () => {
  const deadPort = await freePort();
  const { app, text } = await runToExit('no-database', { MONGODB_URI: `mongodb://chot:Mat-khau-CSDL-771@127.0.0.1:${deadPort}/chot` });
  expect(app.exitCode).toBe(1);
  const said = app.lines.find((l) => typeof l.msg === 'string' && l.msg.startsWith('chot cannot start'));
  expect(said?.msg).toMatch(new RegExp(`^chot cannot start: cannot reach MongoDB at 127\\.0\\.0\\.1:${deadPort} \\(.*\\): check MONGODB_URI and that MongoDB is running and reachable from this machine$`));
  expect(text).not.toContain('Mat-khau-CSDL-771');
  expect(text).not.toMatch(/^\s+at /m);
});
