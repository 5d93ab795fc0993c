import mongoose from 'mongoose';
import { openBenchDatabase } from './lib/benchDatabase.js';
import { seedDemo } from '../crm/demo/seedDemo.js';
import { getSettings } from '../crm/settings/settings.js';
import { User } from '../models/user.js';
import { computeDashboard, periodFrom } from '../admin/dashboard.js';
import { reconcileRollups } from '../crm/rollups/rebuild.js';

/**
 * The dashboard computed without its cache, as an admin (the team) and as one salesperson (their
 * own customers), after seeding N demo customers: `npx tsx bench/dashboardBench.ts 10000 100000`.
 * Prints JSON: the first computation and the median of the next ones, per role, and the time a full
 * recount of the rollups takes.
 */
async function time(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return Math.round((performance.now() - started) * 10) / 10;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runDashboardBench(customers: number, samples = 5) {
  const db = await openBenchDatabase(`dashboard_${customers}`);
  try {
    const seedMs = await time(() => seedDemo({ customers }));
    const { timezone } = await getSettings();
    const period = periodFrom({}, timezone);
    const [admin, sales] = await Promise.all([User.findOne({ role: { $in: ['admin', 'manager'] } }).lean(), User.findOne({ role: 'sales' }).lean()]);
    const as = (u: { _id: unknown; role: string; name: string }) => ({ currentAdmin: { id: String(u._id), role: u.role, name: u.name, email: '' } }) as never;
    const figures: Record<string, { firstMs: number; medianMs: number; commands: number; waits: number }> = {};
    for (const [role, user] of [['team', admin], ['sales', sales]] as const) {
      if (!user) continue;
      const firstMs = await time(() => computeDashboard(as(user), period, timezone));
      const runs: { ms: number; commands: number; waits: number }[] = [];
      for (let i = 0; i < samples; i++) runs.push(await db.counter.measure(() => computeDashboard(as(user), period, timezone)));
      figures[role] = { firstMs, medianMs: Math.round(median(runs.map((r) => r.ms)) * 10) / 10, commands: runs[0]!.commands, waits: runs[0]!.waits };
    }
    // What the verification job (and the first build after an upgrade) costs at this size.
    const verify = await reconcileRollups({ fix: false });
    return { customers, seedMs, dashboard: figures, rollups: { documents: verify.documents, differences: verify.differences.length, recountMs: verify.ms } };
  } finally {
    await db.close();
  }
}

if (process.argv[1]?.endsWith('dashboardBench.ts')) {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  for (const n of sizes.length ? sizes : [10_000]) console.log(JSON.stringify(await runDashboardBench(n)));
  await mongoose.disconnect().catch(() => {});
}
