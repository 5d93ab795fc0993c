/**
 * Webhook throughput of chot as it runs (`npm start`, its own process, the embedded database under
 * DATA_DIR), today's code against an earlier version of it, on the same machine in the same run:
 * both are seeded with the same number of customers by their own `seed:demo`, started side by
 * side, and take turns under the same load (50 prospects writing at once, from a process of their
 * own as Telegram's servers would be).
 *
 * The earlier version defaults to the commit issue 16 ("speed at scale") was filed against, the
 * "today" its goal of 2× is measured from; `--ref <commit>` picks another. It is checked out in a
 * temporary worktree with this checkout's node_modules (refused when its package-lock.json differs).
 *
 * `npx tsx bench/webhookVersions.ts [customers] [--ref <commit>]`; also part of `npm run bench`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { startWebhookSenders, WEBHOOK_LOAD } from './lib/webhookSenders.js';
import { poolRuns, type MeasuredRun } from './lib/pooledRuns.js';
import { ChotProcess } from './serverProcess.js';

const git = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The merge that was `main` when issue 16 was filed: its webhook path read and wrote about 10 times per update. */
export const ISSUE_16_BASELINE = 'ab1b8a54441595ba007455e1d49f530e720ab2b3';

const { senders: SENDERS, perSender: PER_SENDER } = WEBHOOK_LOAD;

export interface VersionFigures {
  perSecond: number;
  p50ms: number;
  p99ms: number;
  /** chot's own CPU time per update (its process only). */
  cpuMsPerUpdate: number;
  errors: number;
}

export interface WebhookVersionsResult {
  customers: number;
  baselineRef: string;
  senders: number;
  updatesPerRun: number;
  /** Runs taken in turns, counted ones only: today, old, old, today, today, old. */
  current: VersionFigures;
  baseline: VersionFigures;
  speedup: number;
  cpuSpeedup: number;
  runs: { version: 'current' | 'baseline'; perSecond: number; cpuMsPerUpdate: number }[];
}

async function loadOn(chot: ChotProcess, chatBase: number): Promise<MeasuredRun> {
  const cpuBefore = await chot.cpuMs();
  const outcome = await startWebhookSenders({ base: chot.base, secret: chot.webhookSecret, senders: SENDERS, perSender: PER_SENDER, chatBase, firstUpdateId: chatBase * 100 }).done;
  return { ...outcome, cpuMs: (await chot.cpuMs()) - cpuBefore };
}

function figures(runs: MeasuredRun[]): VersionFigures {
  const { perSecond, p50ms, p99ms, cpuMsPerUpdate, errors } = poolRuns(runs);
  return { perSecond, p50ms, p99ms, cpuMsPerUpdate, errors };
}

/** A worktree of `ref` sharing this checkout's node_modules; removed by the returned function. */
async function checkout(ref: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const differs = await git('git', ['diff', '--quiet', ref, 'HEAD', '--', 'package-lock.json'], { cwd: ROOT }).then(() => false, () => true);
  if (differs) throw new Error(`${ref} locks other dependencies than this checkout: install them there and compare by hand`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'chot-baseline-'));
  await git('git', ['worktree', 'add', '--detach', '--force', dir, ref], { cwd: ROOT });
  await symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return {
    dir,
    async remove() {
      await git('git', ['worktree', 'remove', '--force', dir], { cwd: ROOT }).catch(() => rm(dir, { recursive: true, force: true }));
      await git('git', ['worktree', 'prune'], { cwd: ROOT }).catch(() => undefined);
    },
  };
}

export async function compareWebhookVersions(customers: number, ref = ISSUE_16_BASELINE): Promise<WebhookVersionsResult> {
  const old = await checkout(ref);
  const current = new ChotProcess();
  const baseline = new ChotProcess(old.dir);
  try {
    // One after the other: seeding is the heaviest part, and each takes the whole machine.
    await current.start(customers);
    await baseline.start(customers);
    const chats = { current: 6_000_000, baseline: 6_500_000 };
    const take = async (version: 'current' | 'baseline') => {
      const run = await loadOn(version === 'current' ? current : baseline, chats[version]);
      chats[version] += SENDERS;
      return { version, run };
    };
    // A started process's first updates cost more (JIT, caches, index builds): one uncounted run each.
    await take('current');
    await take('baseline');
    const order = ['current', 'baseline', 'baseline', 'current', 'current', 'baseline'] as const;
    const taken: Awaited<ReturnType<typeof take>>[] = [];
    for (const version of order) taken.push(await take(version));
    const of = (v: 'current' | 'baseline') => taken.filter((t) => t.version === v).map((t) => t.run);
    const now = figures(of('current'));
    const before = figures(of('baseline'));
    return {
      customers,
      baselineRef: ref,
      senders: SENDERS,
      updatesPerRun: SENDERS * PER_SENDER,
      current: now,
      baseline: before,
      speedup: round(now.perSecond / before.perSecond),
      cpuSpeedup: round(before.cpuMsPerUpdate / now.cpuMsPerUpdate),
      runs: taken.map(({ version, run }) => {
        const { perSecond, cpuMsPerUpdate } = poolRuns([run]);
        return { version, perSecond, cpuMsPerUpdate };
      }),
    };
  } finally {
    await current.stop().catch(() => undefined);
    await baseline.stop().catch(() => undefined);
    await old.remove();
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--ref');
  const ref = at >= 0 ? args[at + 1] : undefined;
  const sizes = args.filter((a, i) => /^\d+$/.test(a) && (at < 0 || i !== at + 1)).map(Number);
  (async () => {
    for (const n of sizes.length ? sizes : [10_000]) console.log(JSON.stringify(await compareWebhookVersions(n, ref), null, 1));
  })()
    .then(() => process.exit(0))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
