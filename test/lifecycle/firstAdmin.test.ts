import { jest } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppProcess, killAll } from '../reliability/helpers/appProcess.js';

/**
 * A newcomer starts chot with no ADMIN_EMAIL/ADMIN_PASSWORD. The generated password of the first
 * admin is what they need to get in: it is printed as a framed block on the terminal (stderr), not
 * in the JSON log lines on stdout that a deployment keeps, and only on that first start.
 */
jest.setTimeout(120_000);

const ENV = { SESSION_SECRET: 'first-admin-session-secret-0123456789' };

/** Starts chot on `dataDir` and keeps what it wrote to stdout and to stderr apart. */
async function startOn(dataDir: string) {
  const out = { stdout: '', stderr: '' };
  const app = await AppProcess.spawn(`first-admin@${path.basename(dataDir)}`, 'both', { ...ENV, DATA_DIR: dataDir });
  // Attached before any output can arrive: the child's data events come in later turns of the loop.
  app.child.stdout!.on('data', (chunk: Buffer) => (out.stdout += chunk.toString('utf8')));
  app.child.stderr!.on('data', (chunk: Buffer) => (out.stderr += chunk.toString('utf8')));
  await app.waitForLog((l) => l.msg === 'chot is listening', 45_000);
  // The block follows the listening line; give the stream a moment to deliver it.
  await new Promise((r) => setTimeout(r, 300));
  return { app, out };
}

async function login(base: string, email: string, password: string): Promise<number> {
  const res = await fetch(`${base}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password }),
  });
  return res.status === 302 && (res.headers.get('location') ?? '').endsWith('/admin') ? 302 : res.status;
}

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'chot-first-admin-'));
});
afterAll(async () => {
  await killAll();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the first admin of a fresh install', () => {
  it('is shown once, framed on the terminal, with its password kept out of the log, and works for login', async () => {
    const first = await startOn(dataDir);
    const block = first.out.stderr;
    expect(block).toMatch(/╔═+╗/);
    expect(block).toMatch(/╚═+╝/);
    expect(block).toContain('Đã tạo tài khoản quản trị đầu tiên');
    expect(block).toContain('Hãy đổi mật khẩu này ngay lần đăng nhập đầu tiên');
    expect(block).toContain('Change this password at your first login');
    expect(block).toContain(`Trang quản trị: ${first.app.base.replace('127.0.0.1', 'localhost')}/admin`);
    expect(block).toContain('admin@chot.local');
    const password = /Mật khẩu: (\S+)/.exec(block)?.[1];
    expect(password).toBeTruthy();
    // Every framed line has the same width, so the frame is closed on the right.
    const framed = block.split('\n').filter((l) => l.startsWith('║'));
    expect(new Set(framed.map((l) => [...l].length)).size).toBe(1);

    // The JSON log says where to look, never the password itself.
    expect(first.out.stdout).not.toContain(password!);
    expect(first.app.lines.some((l) => l.level === 40 && l.email === 'admin@chot.local' && /shown once on the terminal/.test(l.msg))).toBe(true);

    expect(await login(first.app.base, 'admin@chot.local', password!)).toBe(302);
    await first.app.stop();

    // A later start on the same data prints nothing of the kind, and the password still works.
    const again = await startOn(dataDir);
    expect(again.out.stderr).not.toContain('╔');
    expect(again.out.stderr + again.out.stdout).not.toContain(password!);
    expect(again.out.stdout).not.toContain('shown once on the terminal');
    expect(await login(again.app.base, 'admin@chot.local', password!)).toBe(302);
    await again.app.stop();
  });
});
