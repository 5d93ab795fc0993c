import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, rm, mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FakeTelegramServer } from './lib/fakeTelegramServer.js';
import { telegramTextMessage } from './lib/telegramUpdates.js';

/**
 * chot as `npm start` runs it (web and jobs in one process, the embedded database under DATA_DIR),
 * in its own process, so its resident memory is measured apart from the bench's. The data is
 * seeded first by `npm run seed:demo`, as an operator would; Telegram is a fake Bot API on
 * 127.0.0.1 and updates arrive through the webhook.
 *
 * `npx tsx bench/serverProcess.ts --soak 600 [customers]` posts webhook updates for that many
 * seconds and prints chot's RSS every 30 s.
 */
const SECRET = 'bench-soak-secret';
/** USER_HZ, the unit of /proc/<pid>/stat's times: 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;

export interface ServerRss {
  customers: number;
  /** chot's RSS once started on the seeded data and after the first updates (indexes built). */
  rssMb: number;
  /** Its peak RSS so far (VmHWM). */
  peakRssMb: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function run(args: string[], env: NodeJS.ProcessEnv, cwd?: string): ChildProcess {
  // `node --import tsx`, not `npx tsx`: the pid is then chot's own process.
  return spawn(process.execPath, ['--import', 'tsx', ...args], { env, cwd, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function memoryOf(pid: number): Promise<{ rssMb: number; peakRssMb: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakRssMb: Math.round(kb('VmHWM') / 1024) };
}

export class ChotProcess {
  private child?: ChildProcess;
  private telegram?: FakeTelegramServer;
  private dataDir = '';
  base = '';
  private updateId = 1;

  /** `root`: a checkout of chot to run (another version of it, for a comparison); this one by default. */
  constructor(private readonly root?: string) {}

  async start(customers: number): Promise<this> {
    this.dataDir = await mkdtemp(path.join(os.tmpdir(), 'chot-rss-'));
    this.telegram = await new FakeTelegramServer().start();
    const port = await freePort();
    const env = {
      ...process.env,
      MONGODB_URI: '',
      DATA_DIR: this.dataDir,
      PORT: String(port),
      LOG_LEVEL: 'silent',
      PUBLIC_URL: 'https://bench.chot.local',
      TELEGRAM_BOT_TOKEN: '123456:BENCH',
      TELEGRAM_API_ROOT: this.telegram.url,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      SESSION_SECRET: 'bench-session-secret-0123456789',
      ADMIN_EMAIL: 'bench.admin@chot.local',
      ADMIN_PASSWORD: 'bench-password-1',
    };
    const seed = run(['crm/demo/seedDemoCli.ts', '--customers', String(customers)], env, this.root);
    const code = await new Promise<number | null>((resolve) => seed.once('exit', resolve));
    if (code !== 0) throw new Error(`seed:demo exited with ${code}`);
    this.child = run(['main.ts'], env, this.root);
    this.base = `http://127.0.0.1:${port}`;
    for (let waited = 0; ; waited += 250) {
      if (this.child.exitCode !== null) throw new Error(`chot exited with ${this.child.exitCode}`);
      const ok = await fetch(`${this.base}/healthz`).then((r) => r.ok, () => false);
      if (ok) break;
      if (waited > 180_000) throw new Error('chot did not answer /healthz within 3 minutes');
      await new Promise((r) => setTimeout(r, 250));
    }
    return this;
  }

  get pid(): number {
    return this.child!.pid!;
  }

  memory(): Promise<{ rssMb: number; peakRssMb: number }> {
    return memoryOf(this.pid);
  }

  /** CPU time chot's process has used so far (user and system), in ms. */
  async cpuMs(): Promise<number> {
    // Fields 14 and 15 of /proc/<pid>/stat, after the command name in parentheses.
    const fields = (await readFile(`/proc/${this.pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  }

  get webhookSecret(): string {
    return SECRET;
  }

  /** One text message from a chat nobody linked: the intake answers it (a new lead each time). */
  async postUpdate(chat: number, text: string): Promise<void> {
    const id = this.updateId++;
    const res = await fetch(`${this.base}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify({ update_id: id, message: telegramTextMessage(chat, text, id) }),
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  }

  async stop(): Promise<void> {
    if (this.child && this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child!.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    await this.telegram?.stop();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** chot's own RSS at `customers`, after start-up and a few updates through the webhook. */
export async function measureServerRss(customers: number): Promise<ServerRss> {
  const chot = await new ChotProcess().start(customers);
  try {
    for (let i = 0; i < 20; i++) await chot.postUpdate(700000 + i, 'Chào shop, tư vấn giúp em với');
    return { customers, ...(await chot.memory()) };
  } finally {
    await chot.stop();
  }
}

/**
 * Start against end, and against the first sample under traffic (30 s): the first one is taken
 * before any update, so a rise from it is mostly warm-up. Growth that continues after warm-up,
 * sample after sample, is what a leak looks like; garbage collection makes RSS rise and fall.
 */
export function soakVerdict(samples: { atSeconds: number; rssMb: number; updates: number }[], peakRssMb: number): string {
  const first = samples[0]!;
  const last = samples.at(-1)!;
  const warm = samples.find((s) => s.atSeconds >= 30 && s !== last);
  const sinceWarm = warm ? `, ${signed(last.rssMb - warm.rssMb)} MB since ${warm.atSeconds} s` : '';
  const rising = samples.slice(samples.indexOf(warm ?? first)).every((s, i, all) => i === 0 || s.rssMb > all[i - 1]!.rssMb);
  return `soak RSS: start ${first.rssMb} MB, end ${last.rssMb} MB (${signed(last.rssMb - first.rssMb)} MB${sinceWarm}), peak ${peakRssMb} MB, ${last.updates} updates in ${last.atSeconds} s (${Math.round(last.updates / Math.max(1, last.atSeconds))}/s); ${samples.length < 4 ? 'too short to tell growth from warm-up (4 samples or more: 90 s)' : rising ? 'rising at every sample: look for a leak' : 'not rising at every sample'}`;
}

function signed(n: number): string {
  return n >= 0 ? `+${n}` : String(n);
}

/** Posts updates from 20 chats for `seconds`, printing chot's RSS every 30 s; returns the samples. */
export async function soak(seconds: number, customers: number): Promise<{ atSeconds: number; rssMb: number; updates: number }[]> {
  const chot = await new ChotProcess().start(customers);
  const samples: { atSeconds: number; rssMb: number; updates: number }[] = [];
  try {
    const started = Date.now();
    let updates = 0;
    let nextSample = 0;
    while (Date.now() - started < seconds * 1000) {
      const elapsed = (Date.now() - started) / 1000;
      if (elapsed >= nextSample) {
        const { rssMb } = await chot.memory();
        samples.push({ atSeconds: Math.round(elapsed), rssMb, updates });
        console.log(`soak ${Math.round(elapsed)} s: chot RSS ${rssMb} MB after ${updates} updates`);
        nextSample += 30;
      }
      await Promise.all(Array.from({ length: 5 }, (_, i) => chot.postUpdate(800000 + ((updates + i) % 20), `Tin nhắn ${updates + i}`)));
      updates += 5;
    }
    const { rssMb, peakRssMb } = await chot.memory();
    samples.push({ atSeconds: seconds, rssMb, updates });
    console.log(`soak ${seconds} s: chot RSS ${rssMb} MB after ${updates} updates`);
    console.log(soakVerdict(samples, peakRssMb));
    return samples;
  } finally {
    await chot.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--soak');
  const seconds = at >= 0 ? Number(args[at + 1]) : 600;
  const customers = Number(args.find((a, i) => (at < 0 || i !== at + 1) && /^\d+$/.test(a)) ?? 10_000);
  soak(seconds, customers)
    .then(() => process.exit(0))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
