import os from 'node:os';
import { Customer } from '../models/customer.js';
import { Stage } from '../models/stage.js';
import { seedDemo } from '../crm/demo/seedDemo.js';
import { sweepDontForget } from '../crm/dontForget/sweepDontForget.js';
import { openBenchDatabase } from './lib/benchDatabase.js';

const DAY = 86_400_000;

export interface DataBenchResult {
  customers: number;
  seedSeconds: number;
  organizations: number;
  contacts: number;
  opportunities: number;
  sweep: { due: number; moved: number; seconds: number; commands: number; byName: Record<string, number> };
}

/**
 * Loads N demo customers, then makes 10% of them (those in open stages move) due for Đừng quên and runs one sweep,
 * reporting its time and the database commands it issued (a constant, not one per customer).
 */
export async function runDataBench(customers: number): Promise<DataBenchResult> {
  const db = await openBenchDatabase(`data_${customers}`);
  try {
    const seeded = await seedDemo({ customers });
    const openStages = (await Stage.find({ kind: 'open' }).select('_id').lean()).map((s) => s._id);
    const now = new Date();
    // Everyone recent, then one customer in ten (codes ending in 0) forgotten, whatever their stage.
    await Customer.updateMany({}, { $set: { lastContactAt: new Date(now.getTime() - DAY) } });
    await Customer.updateMany({ code: { $regex: '0$' } }, { $set: { lastContactAt: new Date(now.getTime() - 40 * DAY) } });
    const due = await Customer.countDocuments({ code: { $regex: '0$' }, stage: { $in: openStages } });
    const sweep = await db.counter.measure(() => sweepDontForget(now));
    return {
      customers,
      seedSeconds: seeded.ms / 1000,
      organizations: seeded.organizations,
      contacts: seeded.contacts,
      opportunities: seeded.opportunities,
      sweep: { due, moved: sweep.result.moved.length, seconds: sweep.ms / 1000, commands: sweep.commands, byName: sweep.byName },
    };
  } finally {
    await db.close();
  }
}

if (process.argv[1]?.endsWith('dataBench.ts')) {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  for (const n of sizes.length ? sizes : [10_000]) {
    const r = await runDataBench(n);
    console.log(JSON.stringify({ cores: os.cpus().length, ...r }));
  }
}
