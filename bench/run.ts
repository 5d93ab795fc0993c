import os from 'node:os';
import path from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { runDataBench, type DataBenchResult } from './dataBench.js';
import { runChatBench, type ChatBenchResult } from './chatBench.js';
import { runCampaignBench, type CampaignBenchResult } from './campaignBench.js';
import { printJournal, runJournalBenchChecked, type JournalBenchResult } from './journalBench.js';
import { measureServerRss, soak, type ServerRss } from './serverProcess.js';
import { compareWebhookVersions, type WebhookVersionsResult } from './webhookVersions.js';
import { explainHotQueries, printExplained, type ExplainedQuery } from './explain.js';

/**
 * `npm run bench`: seeds demo data at 10,000 and 100,000 customers (with their organizations and
 * opportunities) and measures the chat commands, /pipeline included (latency and database round trips), webhook throughput, the don't-forget sweep, campaign pacing
 * and the admin panel, and the embedded database's journal (write throughput with and without it,
 * start-up time at the largest size), then prints a table and writes the figures to bench/results/.
 * Sizes can be given: `npm run bench -- 10000`; `--chat` stops after the chat commands (a quicker
 * run while working on them); `--soak 600` only runs chot for that many seconds under webhook
 * traffic and prints its RSS over time. chot's own RSS (as `npm start` runs it, apart from the
 * bench) is measured at each size; with MONGODB_URI the hot queries' plans are printed.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const soakAt = args.indexOf('--soak');
  const sizes = args.filter((_, i) => soakAt < 0 || i !== soakAt + 1).map(Number).filter((n) => Number.isInteger(n) && n > 0);
  if (soakAt >= 0) {
    await soak(Number(args[soakAt + 1]) || 600, sizes[0] ?? 10_000);
    return;
  }
  const runs = sizes.length ? sizes : [10_000, 100_000];
  const machine = { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, database: process.env.MONGODB_URI ? 'MongoDB (MONGODB_URI)' : 'embedded (CongoDB)' };
  console.log(`chot bench: ${machine.cores} cores, ${machine.cpu}, ${machine.memoryGb} GB, node ${machine.node}, database ${machine.database}`);
  const data: DataBenchResult[] = [];
  const chat: ChatBenchResult[] = [];
  const chotRss: ServerRss[] = [];
  const webhookVersions: WebhookVersionsResult[] = [];
  for (const n of runs) {
    console.log(`\n== ${n.toLocaleString('en')} customers ==`);
    data.push(await runDataBench(n));
    printData(data.at(-1)!);
    chat.push(await runChatBench(n, { samples: n >= 50_000 ? 20 : 60, campaignUnderLoad: n === runs[0] }));
    printChat(chat.at(-1)!);
    chotRss.push(await measureServerRss(n));
    console.log(`chot's own process (npm start on this data): RSS ${chotRss.at(-1)!.rssMb} MB, peak ${chotRss.at(-1)!.peakRssMb} MB`);
    if (!process.env.MONGODB_URI && !process.argv.includes('--chat')) {
      // Each version runs as npm start runs it, on its own embedded database.
      webhookVersions.push(await compareWebhookVersions(n));
      printVersions(webhookVersions.at(-1)!);
    }
  }
  let explain: ExplainedQuery[] | null = null;
  if (process.env.MONGODB_URI) {
    console.log('\n== winning plans of the hot queries on MongoDB ==');
    explain = await explainHotQueries();
    printExplained(explain);
  }
  if (process.argv.includes('--chat')) return;
  console.log('\n== campaign of 3,000 recipients against a rate-limited fake Bot API ==');
  const campaign: CampaignBenchResult = await runCampaignBench({ recipients: 3000 });
  printCampaign(campaign);
  const journalSize = Math.max(...runs);
  console.log(`\n== embedded database journal: writes with and without it, start-up at ${journalSize.toLocaleString('en')} customers ==`);
  const journal: JournalBenchResult = await runJournalBenchChecked(journalSize);
  printJournal(journal);
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`\npeak memory (RSS) of the bench process: ${peakRssMb} MB; cores: ${machine.cores}`);
  const dir = path.resolve('bench/results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, JSON.stringify({ at: new Date().toISOString(), machine, data, chat, campaign, journal, peakRssMb, chotRss, explain, webhookVersions }, null, 2));
  console.log(`written to ${path.relative(process.cwd(), file)}`);
}

function printData(r: DataBenchResult): void {
  console.log(
    `seed:demo ${r.customers.toLocaleString('en')} customers: ${r.seedSeconds.toFixed(1)} s (${r.organizations.toLocaleString('en')} organizations, ${r.contacts.toLocaleString('en')} of the customers their contacts, ${r.opportunities.toLocaleString('en')} opportunities)`,
  );
  console.log(`don't-forget sweep: ${r.sweep.moved} of ${r.sweep.due} due moved in ${r.sweep.seconds.toFixed(2)} s with ${r.sweep.commands} database commands ${JSON.stringify(r.sweep.byName)}`);
}

function printChat(r: ChatBenchResult): void {
  console.log(`chat commands among ${r.customers.toLocaleString('en')} customers and ${r.opportunities.toLocaleString('en')} opportunities:`);
  console.table(r.commands.map((c) => ({ command: c.command, 'p50 ms': c.p50ms, 'p99 ms': c.p99ms, 'db round trips': c.dbRoundTrips, 'max round trips': c.dbRoundTripsMax, updates: c.updates, 'per update': c.dbRoundTripsPerUpdate, 'max per update': c.dbRoundTripsPerUpdateMax, 'waits per update': c.dbWaitsPerUpdate, 'max waits': c.dbWaitsPerUpdateMax, samples: c.samples })));
  const w = r.webhookThroughput;
  console.log(`webhook: ${w.updates} updates from ${w.senders} concurrent senders in ${w.seconds} s = ${w.perSecond} updates/s, ${w.errors} errors`);
  if (w.p50ms !== undefined) console.log(`webhook latency under that load: p50 ${w.p50ms} ms, p99 ${w.p99ms} ms; ${w.dbRoundTripsPerUpdate} database round trips per update`);
  if (r.webhookBaseline) {
    const b = r.webhookBaseline;
    console.log(
      `webhook baseline, the same load with the embedded indexes and the caches off, taking turns with today's path (today ×2, old ×4, today ×2): ` +
        `${b.perSecond} updates/s (p50 ${b.p50ms} ms, p99 ${b.p99ms} ms, ${b.dbRoundTripsPerUpdate} round trips per update, ${b.errors} errors) against ${b.currentPerSecond} (p50 ${b.currentP50ms} ms, p99 ${b.currentP99ms} ms, ${b.currentDbRoundTripsPerUpdate}): ${r.speedup}×`,
    );
    if (b.cpuMsPerUpdate !== undefined) console.log(`  in CPU time per update (steadier on a shared machine): ${b.cpuMsPerUpdate} ms against ${b.currentCpuMsPerUpdate} ms: ${r.cpuSpeedup}×; runs: ${b.runs.map((x) => `${x.path} ${x.perSecond}/s ${x.cpuMsPerUpdate} ms`).join(', ')}`);
  }
  if (r.campaignUnderLoad) {
    const c = r.campaignUnderLoad;
    console.log(`campaign under webhook load (${c.webhookPerSecond} updates/s, ${c.webhookErrors} errors): ${(c.shareOfLimit * 100).toFixed(0)}% of Telegram's 30/s, ${c.duplicates} duplicates, ${c.missing} missing, ${c.rateLimited429} × 429, ${c.pausesOver500ms ?? 0} pauses over 0.5 s (${c.pausedSeconds ?? 0} s)`);
  }
  if (r.admin) {
    console.log(`admin customer list: p50 ${r.admin.customerListP50ms} ms, p99 ${r.admin.customerListP99ms} ms; dashboard: p50 ${r.admin.dashboardP50ms} ms, p99 ${r.admin.dashboardP99ms} ms (${r.admin.samples} samples)`);
  }
}

function printVersions(r: WebhookVersionsResult): void {
  const line = (f: WebhookVersionsResult['current']) => `${f.perSecond} updates/s (p50 ${f.p50ms} ms, p99 ${f.p99ms} ms, ${f.cpuMsPerUpdate} ms of chot's CPU per update, ${f.errors} errors)`;
  console.log(`webhook, chot as npm start runs it, against ${r.baselineRef.slice(0, 7)} (when issue 16 was filed), ${r.senders} senders, turns of ${r.updatesPerRun} updates:`);
  console.log(`  today ${line(r.current)}\n  then  ${line(r.baseline)}\n  ${r.speedup}× the updates/s, ${r.cpuSpeedup}× less CPU per update`);
}

function printCampaign(r: CampaignBenchResult): void {
  console.log(
    `sustained ${r.sustainedRate} msg/s = ${(r.shareOfLimit * 100).toFixed(0)}% of Telegram's 30/s, peak ${r.peakPerSecond} in a second, ${r.rateLimited429} × 429, ${r.duplicates} duplicates, ${r.missing} missing, ${r.seconds} s`,
  );
}

main()
  .then(() => process.exit(0))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
