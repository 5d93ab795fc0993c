import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../app/database.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Every app process a test file started, so afterAll can kill the ones still alive, whatever failed. */
const alive = new Set<AppProcess>();
process.once('exit', () => {
  for (const p of alive) p.child.kill('SIGKILL');
});

export type Mode = 'web' | 'worker' | 'both';

/**
 * chot as an operator runs it: `node --import tsx main.ts --web|--worker` (what `npm run web` and
 * `npm run worker` do), configured only through its environment, logging JSON lines we keep.
 */
export class AppProcess {
  readonly lines: Record<string, any>[] = [];
  exitCode: number | null | undefined;
  exitSignal: NodeJS.Signals | null | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    readonly child: ChildProcess,
    readonly name: string,
    readonly port: number | undefined,
  ) {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          this.lines.push(JSON.parse(line));
        } catch {
          this.lines.push({ msg: line });
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        alive.delete(this);
        resolve();
      }),
    );
  }

  get base(): string {
    if (!this.port) throw new Error(`${this.name} does not listen`);
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  static async start(name: string, mode: Mode, env: Record<string, string>, opts: { port?: number } = {}): Promise<AppProcess> {
    const app = await AppProcess.spawn(name, mode, env, opts);
    const ready = mode === 'worker' ? 'jobs scheduled' : 'chot is listening';
    try {
      await app.waitForLog((l) => l.msg === ready, 45_000);
    } catch (err) {
      app.child.kill('SIGKILL');
      throw new Error(`${name} did not start: ${(err as Error).message}\n${app.logText().slice(-3000)}`);
    }
    return app;
  }

  /** Starts the process without waiting for it to be ready (a start that is meant to fail). */
  static async spawn(name: string, mode: Mode, env: Record<string, string>, opts: { port?: number } = {}): Promise<AppProcess> {
    const port = mode === 'worker' ? undefined : (opts.port ?? (await freePort()));
    const args = ['--import', 'tsx', 'main.ts', ...(mode === 'both' ? [] : [`--${mode}`])];
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...env, ...(port ? { PORT: String(port) } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app = new AppProcess(child, name, port);
    alive.add(app);
    return app;
  }

  /** Resolves when the process has ended, however. */
  waitForExit(): Promise<void> {
    return this.exited;
  }

  async waitForLog(match: (line: Record<string, any>) => boolean, ms = 10_000): Promise<Record<string, any>> {
    const until = Date.now() + ms;
    for (;;) {
      const found = this.lines.find(match);
      if (found) return found;
      if (!this.running) throw new Error(`${this.name} exited (code ${this.exitCode}, signal ${this.exitSignal})`);
      if (Date.now() > until) throw new Error(`${this.name}: no such log line within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  logText(): string {
    return this.lines.map((l) => JSON.stringify(l)).join('\n');
  }

  /** Log lines at error level or worse. */
  errors(): Record<string, any>[] {
    return this.lines.filter((l) => typeof l.level === 'number' && l.level >= 50);
  }

  /** The way a crash or the OOM killer ends a process: no shutdown code runs. */
  async kill(): Promise<void> {
    if (this.running) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** A clean stop (SIGTERM), as a deployment does it. */
  async stop(): Promise<void> {
    if (this.running) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Kills every process this test file started that is still alive (afterAll, even after a failure). */
export async function killAll(): Promise<void> {
  await Promise.all([...alive].map((p) => p.kill()));
}

/** Polls until `check` holds, or fails with `what` (and the last log lines of `witness`, to see why). */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, ms = 10_000, witness?: AppProcess): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}${witness ? `\n${witness.name} logged:\n${witness.logText().slice(-4000)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Gives the system a moment to do something it should not (a second send): a bounded, short wait. */
export function settle(ms = 700): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
