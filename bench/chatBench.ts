import os from 'node:os';
import { loadConfig } from '../app/config.js';
import { createLogger } from '../app/logger.js';
import { EMBEDDED_CLIENT_OPTIONS } from '../app/database.js';
import { startApp, type RunningApp } from '../app/start.js';
import { seedDemo } from '../crm/demo/seedDemo.js';
import { Customer } from '../models/customer.js';
import { Stage } from '../models/stage.js';
import { OpportunityStage } from '../models/opportunityStage.js';
import { User } from '../models/user.js';
import mongoose from 'mongoose';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../app/embedded/server.js';
import { benchMongo, CommandCounter, percentile } from './lib/benchDatabase.js';
import { FakeTelegramServer } from './lib/fakeTelegramServer.js';
import { startWebhookSenders, WEBHOOK_LOAD, type SendersOutcome } from './lib/webhookSenders.js';
import { poolRuns, type MeasuredRun } from './lib/pooledRuns.js';
import { telegramTextMessage, telegramUser } from './lib/telegramUpdates.js';
import { JsonPoster } from './lib/jsonPoster.js';
import { runCampaignBench, type CampaignBenchResult } from './campaignBench.js';

const SECRET = 'bench-webhook-secret';
/** Chats of the uncounted runs before each block of counted ones in the webhook comparison (fresh chats on each database). */
const WARM_UP_CHATS = 7_600_000;
const STAFF_CHAT = 900001;
const MANAGER_CHAT = 900002;

export interface CommandFigures {
  command: string;
  samples: number;
  p50ms: number;
  p99ms: number;
  /** Database commands for the whole command (all its steps), median and max over the samples. */
  dbRoundTrips: number;
  dbRoundTripsMax: number;
  /** Webhook updates one run of the command sends (a flow of three steps is three updates). */
  updates: number;
  /** Database commands per update: the worst update-average over the samples, and its median. */
  dbRoundTripsPerUpdate: number;
  dbRoundTripsPerUpdateMax: number;
  /** Database commands by name, averaged over the samples: where the round trips go. */
  dbCommandsByName: Record<string, number>;
  /**
   * Sequential round trips per update (median and worst update-average over the samples): the
   * times an update waited on the database with nothing else in flight. Reads sent together count once.
   */
  dbWaitsPerUpdate: number;
  dbWaitsPerUpdateMax: number;
}

export interface ChatBenchResult {
  customers: number;
  /** The seeded opportunities (open, won and lost) that /pipeline reads among. */
  opportunities: number;
  commands: CommandFigures[];
  webhookThroughput: WebhookLoadFigures;
  /**
   * The same webhook load, in the same run, on the path before the speed work: a second embedded
   * server holding a copy of the seeded data with its in-memory indexes off (as CHOT_BENCH_SCAN=1)
   * and the settings/staff caches off (CHOT_NO_CACHE=1). Absent with MONGODB_URI. The machine is
   * shared, so the two take turns, in an order that cancels a steady drift: today's path twice,
   * the old one four times, today's twice again, each run with fresh chats; `current*` are
   * today's four runs, pooled. Each block of counted runs follows one uncounted run on the same app.
   */
  webhookBaseline?: {
    perSecond: number;
    p50ms: number;
    p99ms: number;
    dbRoundTripsPerUpdate: number;
    errors: number;
    dbCommandsByName: Record<string, number>;
    currentPerSecond: number;
    currentP50ms: number;
    currentP99ms: number;
    currentDbRoundTripsPerUpdate: number;
    /**
     * The process's CPU milliseconds per update, old path and today's: steadier than updates/s on a
     * shared machine, where a run's wall time depends on what the other jobs do meanwhile.
     */
    cpuMsPerUpdate: number;
    currentCpuMsPerUpdate: number;
    /** Each run in the order taken (today ×2, old ×4, today ×2): updates/s and CPU ms per update. */
    runs: { path: 'current' | 'old'; perSecond: number; cpuMsPerUpdate: number }[];
  };
  /** webhookBaseline.currentPerSecond / webhookBaseline.perSecond: throughput now against before, measured side by side. */
  speedup?: number;
  /** webhookBaseline.cpuMsPerUpdate / webhookBaseline.currentCpuMsPerUpdate: the same comparison in CPU time per update. */
  cpuSpeedup?: number;
  admin: { customerListP50ms: number; customerListP99ms: number; dashboardP50ms: number; dashboardP99ms: number; dashboardFirstMs?: number; samples: number } | null;
  peakRssMb: number;
  /** A 3,000-recipient campaign sent by this process while 50 senders keep posting webhook updates. */
  campaignUnderLoad?: CampaignBenchResult & { webhookUpdates: number; webhookPerSecond: number; webhookErrors: number };
}

/**
 * The whole product as `npm run web` runs it (webhook mode, every feature but the jobs), with
 * Telegram replaced by a fake Bot API on 127.0.0.1 and N demo customers. Each chat command is a
 * real sequence of webhook updates from a linked salesperson; latency is from the update's POST
 * to its answer (grammY answers the webhook after the reply went out to the Bot API), round trips
 * are the database commands the driver sent meanwhile.
 */
export async function runChatBench(customers: number, opts: { samples?: number; campaignUnderLoad?: boolean; webhookBaseline?: boolean } = {}): Promise<ChatBenchResult> {
  const samples = opts.samples ?? 100;
  const telegram = await new FakeTelegramServer().start();
  const server = await benchMongo();
  const config = loadConfig({
    MONGODB_URI: server.uri,
    PORT: '0',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'https://bench.chot.local',
    // The bench talks as the HTTPS proxy in front would, from 127.0.0.1: without trusting it, the
    // panel's Secure session cookie is never set and the admin figures are missing.
    TRUST_PROXY: 'loopback',
    TELEGRAM_BOT_TOKEN: '123456:BENCH',
    TELEGRAM_API_ROOT: telegram.url,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    SESSION_SECRET: 'bench-session-secret-0123456789',
    ADMIN_EMAIL: 'bench.admin@chot.local',
    ADMIN_PASSWORD: 'bench-password-1',
  });
  const dbName = `chot_bench_chat_${customers}`;
  let app: RunningApp | undefined;
  let stopPoster = () => {};
  try {
    app = await startApp({
      config,
      logger: createLogger('silent'),
      mode: { web: true, worker: false },
      dbName,
      clientOptions: { monitorCommands: true, ...(server.embedded ? EMBEDDED_CLIENT_OPTIONS : {}) },
    });
    const counter = new CommandCounter().watch(mongoose.connection.getClient());
    // Changes once, when the webhook baseline runs on its own copy of the app.
    let base = `http://127.0.0.1:${app.port}`;
    const seeded = await seedDemo({ customers });
    const staff = await User.findOneAndUpdate({ email: 'demo.sales1@chot.local' }, { $set: { 'chatIds.telegram': String(STAFF_CHAT) } }, { returnDocument: 'after' }).lean();
    await User.updateOne({ email: 'demo.manager@chot.local' }, { $set: { 'chatIds.telegram': String(MANAGER_CHAT) } });
    const firstStep = (await OpportunityStage.findOne({ kind: 'open', active: true }).sort({ order: 1 }).lean())!;
    const mine = await Customer.find({ owner: staff!._id, deletedAt: null }).limit(samples).lean();
    const [stageA, stageB] = await Stage.find({ code: { $in: ['tiep_can', 'tiem_nang'] } }).lean();
    // Copied now, before any measurement changes the data, so the baseline gets exactly the same work.
    const baselineDb = opts.webhookBaseline !== false && server.embedded ? await copyToScanningServer(mongoose.connection.getClient(), dbName) : null;

    let updateId = 1;
    let posted = 0;
    const poster = new JsonPoster();
    stopPoster = () => poster.close();
    const post = async (update: Record<string, unknown>) => {
      posted += 1;
      const res = await poster.post(`${base}/webhooks/telegram`, { 'x-telegram-bot-api-secret-token': SECRET }, JSON.stringify({ update_id: updateId++, ...update }));
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    };
    const text = (chat: number, body: string) => post({ message: telegramTextMessage(chat, body, updateId) });
    const press = (chat: number, data: string) =>
      post({
        callback_query: {
          id: String(updateId),
          from: telegramUser(chat),
          chat_instance: 'bench',
          data,
          message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: chat, type: 'private', first_name: 'X' }, text: '…' },
        },
      });
    /** /pipeline as a person reads it: the reply must list the pipeline's steps, or the figure measures something else. */
    const pipeline = async (chat: number) => {
      await text(chat, '/pipeline');
      const reply = telegram.lastTextByChat.get(String(chat)) ?? '';
      if (!reply.includes(firstStep.name)) throw new Error(`/pipeline answered without the pipeline: ${reply.slice(0, 200)}`);
    };
    const pressFirst = async (chat: number, prefix: string) => {
      const button = telegram.buttons(String(chat)).find((b) => b.data?.startsWith(prefix));
      if (button?.data) await press(chat, button.data);
    };

    const stageNow = new Map(mine.map((c) => [String(c._id), String(c.stage)]));
    const nextStage = (c: { _id: unknown }) => {
      const to = String(stageNow.get(String(c._id)) === String(stageA._id) ? stageB._id : stageA._id);
      stageNow.set(String(c._id), to);
      return to;
    };
    const scenarios: { command: string; run: (i: number) => Promise<void> }[] = [
      { command: 'find', run: (i) => text(STAFF_CHAT, `/find ${mine[i % mine.length].name}`) },
      { command: 'open card', run: (i) => press(STAFF_CHAT, `c:${mine[i % mine.length]._id}`) },
      {
        command: 'log interaction',
        run: async (i) => {
          await press(STAFF_CHAT, `l:call:${mine[i % mine.length]._id}`);
          await pressFirst(STAFF_CHAT, 'o:');
          await pressFirst(STAFF_CHAT, 'skip');
        },
      },
      // Every sample a real move (to the one of two stages the customer is not in), not a press that changes nothing.
      { command: 'change stage', run: (i) => press(STAFF_CHAT, `ss:${mine[i % mine.length]._id}:${nextStage(mine[i % mine.length])}`) },
      {
        command: 'schedule follow-up',
        run: async (i) => {
          await press(STAFF_CHAT, `f:${mine[i % mine.length]._id}`);
          await text(STAFF_CHAT, 'mai 9h');
          // The repeat question comes before the note: without answering it the follow-up is never saved.
          await pressFirst(STAFF_CHAT, 'rp:');
          await pressFirst(STAFF_CHAT, 'skip');
        },
      },
      // A salesperson's own open opportunities by step; a manager's are the team's, with a line per owner.
      { command: 'pipeline', run: () => pipeline(STAFF_CHAT) },
      { command: 'pipeline (manager)', run: () => pipeline(MANAGER_CHAT) },
      {
        command: 'intake of a new lead',
        run: async (i) => {
          const chat = 5_000_000 + i;
          await text(chat, '/start');
          await text(chat, 'Nguyễn Thị Bench');
          await text(chat, `0389${String(100000 + i).padStart(6, '0')}`);
          await text(chat, 'Cần tư vấn gói dịch vụ');
        },
      },
    ];

    const figures: CommandFigures[] = [];
    for (const scenario of scenarios) {
      // A few warm-up runs so first-use costs (JIT, connection pool) are not counted.
      for (let i = 0; i < 3; i++) await scenario.run(samples + i);
      const times: number[] = [];
      const trips: number[] = [];
      const tripsPerUpdate: number[] = [];
      const waitsPerUpdate: number[] = [];
      const byName: Record<string, number> = {};
      let updates = 0;
      for (let i = 0; i < samples; i++) {
        const postedBefore = posted;
        const m = await counter.measure(() => scenario.run(i));
        times.push(m.ms);
        trips.push(m.commands);
        updates = Math.max(updates, posted - postedBefore);
        tripsPerUpdate.push(m.commands / Math.max(1, posted - postedBefore));
        waitsPerUpdate.push(m.waits / Math.max(1, posted - postedBefore));
        for (const [name, n] of Object.entries(m.byName)) byName[name] = (byName[name] ?? 0) + n;
      }
      figures.push({
        command: scenario.command,
        samples,
        p50ms: round(percentile(times, 50)),
        p99ms: round(percentile(times, 99)),
        dbRoundTrips: percentile(trips, 50),
        dbRoundTripsMax: Math.max(...trips),
        updates,
        dbRoundTripsPerUpdate: round(percentile(tripsPerUpdate, 50)),
        dbRoundTripsPerUpdateMax: round(Math.max(...tripsPerUpdate)),
        dbCommandsByName: Object.fromEntries(Object.entries(byName).map(([name, n]) => [name, round(n / samples)])),
        dbWaitsPerUpdate: round(percentile(waitsPerUpdate, 50)),
        dbWaitsPerUpdateMax: round(Math.max(...waitsPerUpdate)),
      });
    }

    // 50 prospects writing at once, each message a separate webhook update.
    const { senders, perSender } = WEBHOOK_LOAD;
    const webhookThroughput = pooled([await runWebhookLoad(base, counter, senders, perSender, 7_000_000)]);
    const campaignUnderLoad = opts.campaignUnderLoad ? await campaignWithWebhookLoad(base, senders) : undefined;
    // A broken panel page is reported, and the chat figures measured so far are kept.
    const admin = await measureAdmin(base, config.ADMIN_EMAIL!, config.ADMIN_PASSWORD!, Math.min(samples, 30)).catch((err: Error) => {
      console.error(`admin pages not measured: ${err.message}`);
      return null;
    });
    let webhookBaseline: ChatBenchResult['webhookBaseline'];
    if (baselineDb) {
      // One app per process (mongoose's connection is global): the apps take turns, current ×2, old ×4, current ×2.
      const start = (uri: string) => startApp({ config: { ...config, MONGODB_URI: uri }, logger: createLogger('silent'), mode: { web: true, worker: false }, dbName, clientOptions: { monitorCommands: true, ...EMBEDDED_CLIENT_OPTIONS } });
      const loadOn = async (running: RunningApp, chatBase: number) => {
        base = `http://127.0.0.1:${running.port}`;
        return runWebhookLoad(base, new CommandCounter().watch(mongoose.connection.getClient()), senders, perSender, chatBase);
      };
      const chats = [7_100_000, 7_200_000, 7_300_000, 7_400_000];
      // Every block of counted runs follows an uncounted one on the same app (after the admin pages here).
      await loadOn(app, WARM_UP_CHATS);
      const current = [await loadOn(app, chats[0]!), await loadOn(app, chats[1]!)];
      await app.stop();
      app = undefined;
      const old = await withoutCaches(async () => {
        const oldApp = await start(baselineDb.uri);
        try {
          // A freshly started app is slow for its first thousand or so updates (its first run took
          // twice the CPU per update of its third): that start is not what the comparison is about.
          await loadOn(oldApp, WARM_UP_CHATS);
          const runs = [];
          for (const chatBase of chats) runs.push(await loadOn(oldApp, chatBase));
          return runs;
        } finally {
          await oldApp.stop();
          await baselineDb.stop();
        }
      });
      app = await start(server.uri);
      await loadOn(app, WARM_UP_CHATS + 50_000);
      current.push(await loadOn(app, chats[2]!), await loadOn(app, chats[3]!));
      const before = pooled(old);
      const now = pooled(current);
      webhookBaseline = {
        perSecond: before.perSecond,
        p50ms: before.p50ms,
        p99ms: before.p99ms,
        dbRoundTripsPerUpdate: before.dbRoundTripsPerUpdate,
        errors: before.errors,
        dbCommandsByName: before.dbCommandsByName,
        currentPerSecond: now.perSecond,
        currentP50ms: now.p50ms,
        currentP99ms: now.p99ms,
        currentDbRoundTripsPerUpdate: now.dbRoundTripsPerUpdate,
        cpuMsPerUpdate: poolRuns(old).cpuMsPerUpdate,
        currentCpuMsPerUpdate: poolRuns(current).cpuMsPerUpdate,
        runs: [...current.slice(0, 2).map((r) => runFigures('current', r)), ...old.map((r) => runFigures('old', r)), ...current.slice(2).map((r) => runFigures('current', r))],
      };
    }
    return {
      customers,
      opportunities: seeded.opportunities,
      commands: figures,
      webhookThroughput,
      ...(webhookBaseline ? { webhookBaseline, speedup: round(webhookBaseline.currentPerSecond / webhookBaseline.perSecond), cpuSpeedup: round(webhookBaseline.cpuMsPerUpdate / webhookBaseline.currentCpuMsPerUpdate) } : {}),
      admin,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      ...(campaignUnderLoad ? { campaignUnderLoad } : {}),
    };
  } finally {
    stopPoster();
    await mongoose.connection.db?.dropDatabase().catch(() => {});
    await app?.stop();
    await server.stop();
    await telegram.stop();
  }
}

export interface WebhookLoadFigures {
  senders: number;
  updates: number;
  seconds: number;
  perSecond: number;
  errors: number;
  p50ms: number;
  p99ms: number;
  dbRoundTripsPerUpdate: number;
  dbCommandsByName: Record<string, number>;
}

interface WebhookLoad extends MeasuredRun {
  senders: number;
  commands: number;
  byName: Record<string, number>;
}

/**
 * `senders` prospects writing at once (chats from `chatBase` on), `perSender` messages each, every
 * message a separate webhook update.
 */
async function runWebhookLoad(base: string, counter: CommandCounter, senders: number, perSender: number, chatBase: number): Promise<WebhookLoad> {
  let outcome: SendersOutcome | undefined;
  const cpuBefore = process.cpuUsage();
  const load = await counter.measure(async () => {
    outcome = await startWebhookSenders({ base, secret: SECRET, senders, perSender, chatBase, firstUpdateId: chatBase * 100 }).done;
  });
  // This process's CPU (chot, its database and the fake Bot API): the senders' process is not this one.
  const cpu = process.cpuUsage(cpuBefore);
  return { ...outcome!, senders, commands: load.commands, byName: load.byName, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function runFigures(path: 'current' | 'old', run: WebhookLoad) {
  const { perSecond, cpuMsPerUpdate } = poolRuns([run]);
  return { path, perSecond, cpuMsPerUpdate };
}

/** Runs of the same load taken together, with the database commands they cost. */
function pooled(runs: WebhookLoad[]): WebhookLoadFigures {
  const { updates, seconds, perSecond, errors, p50ms, p99ms } = poolRuns(runs);
  const byName: Record<string, number> = {};
  for (const r of runs) for (const [name, n] of Object.entries(r.byName)) byName[name] = (byName[name] ?? 0) + n / runs.length;
  return {
    senders: runs[0]!.senders,
    updates,
    seconds,
    perSecond,
    errors,
    p50ms,
    p99ms,
    dbRoundTripsPerUpdate: round(runs.reduce((n, r) => n + r.commands, 0) / updates),
    dbCommandsByName: byName,
  };
}

/**
 * A second embedded server with its in-memory indexes off (every lookup scans, as before they
 * existed), holding a copy of database `dbName`: where the webhook baseline runs.
 */
async function copyToScanningServer(from: MongoClient, dbName: string): Promise<{ uri: string; stop(): Promise<void> }> {
  const scanning = await startEmbeddedMongo({ indexedQueries: false });
  const to = await MongoClient.connect(scanning.uri, EMBEDDED_CLIENT_OPTIONS);
  try {
    for (const { name } of await from.db(dbName).listCollections().toArray()) {
      let batch: Record<string, unknown>[] = [];
      const flush = async () => {
        if (batch.length) await to.db(dbName).collection(name).insertMany(batch, { ordered: false });
        batch = [];
      };
      for await (const doc of from.db(dbName).collection(name).find()) {
        batch.push(doc);
        if (batch.length >= 5000) await flush();
      }
      await flush();
    }
  } finally {
    await to.close();
  }
  return scanning;
}

/** Runs `fn` with the in-process caches of settings and staff off (crm/shared/versionedCache.ts loads every time). */
async function withoutCaches<T>(fn: () => Promise<T>): Promise<T> {
  const before = process.env.CHOT_NO_CACHE;
  process.env.CHOT_NO_CACHE = '1';
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.CHOT_NO_CACHE;
    else process.env.CHOT_NO_CACHE = before;
  }
}

/** The campaign bench, with `senders` prospects writing through the webhook until the campaign is sent. */
async function campaignWithWebhookLoad(base: string, senders: number): Promise<NonNullable<ChatBenchResult['campaignUnderLoad']>> {
  let load: SendersOutcome | undefined;
  const result = await runCampaignBench({
    recipients: 3000,
    print: false,
    during: async (done) => {
      const running = startWebhookSenders({ base, secret: SECRET, senders, perSender: 0, chatBase: 7_500_000, firstUpdateId: 750_000_000 });
      await done.finally(() => running.stop());
      load = await running.done;
    },
  });
  return { ...result, webhookUpdates: load!.updates, webhookPerSecond: round(load!.updates / Math.max(load!.seconds, 0.001)), webhookErrors: load!.errors };
}

/** The admin customer list (first page) and the dashboard, as a logged-in admin sees them. */
async function measureAdmin(base: string, email: string, password: string, samples: number): Promise<ChatBenchResult['admin']> {
  // PUBLIC_URL is https, so session cookies are `secure`: talk as the HTTPS proxy in front would.
  const viaHttps = { 'x-forwarded-proto': 'https' };
  let cookie = '';
  // As a browser does, with the page's origin: the panel refuses a login without one.
  const login = await fetch(`${base}/admin/login`, { method: 'POST', redirect: 'manual', headers: { ...viaHttps, origin: base }, body: new URLSearchParams({ email, password }) });
  cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  if (login.status !== 302 || !cookie) {
    console.error(`admin login answered ${login.status}: ${(await login.text()).slice(0, 300)}`);
    return null;
  }
  const timeGet = async (url: string) => {
    const started = performance.now();
    const res = await fetch(`${base}${url}`, { headers: { ...viaHttps, cookie } });
    const body = await res.text();
    // The panel's own message says which page broke, and why.
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${body.slice(0, 300)}`);
    return performance.now() - started;
  };
  const list: number[] = [];
  const dashboard: number[] = [];
  // The first request cannot come from the dashboard's cache of slow answers: the uncached figure.
  const dashboardFirstMs = await timeGet('/admin/api/dashboard');
  for (let i = 0; i < samples; i++) {
    list.push(await timeGet('/admin/api/resources/Customer/actions/list?page=1'));
    dashboard.push(await timeGet('/admin/api/dashboard'));
  }
  return {
    samples,
    customerListP50ms: round(percentile(list, 50)),
    customerListP99ms: round(percentile(list, 99)),
    dashboardP50ms: round(percentile(dashboard, 50)),
    dashboardP99ms: round(percentile(dashboard, 99)),
    dashboardFirstMs: round(dashboardFirstMs),
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

if (process.argv[1]?.endsWith('chatBench.ts')) {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  // `--campaign` adds the 3,000-recipient campaign sent under the webhook load (as `npm run bench` does at its first size).
  const campaignUnderLoad = process.argv.includes('--campaign');
  for (const n of sizes.length ? sizes : [10_000]) {
    console.log(JSON.stringify({ cores: os.cpus().length, ...(await runChatBench(n, { samples: Number(process.env.BENCH_SAMPLES) || 30, campaignUnderLoad })) }, null, 1));
  }
}
