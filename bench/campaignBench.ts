/**
 * A campaign of 3,000 recipients sent through the real runner to a fake, rate-limited Bot API on
 * 127.0.0.1 (429 with retry_after above 30 messages a second, or above one a second per chat).
 * Reports the sustained rate as a share of Telegram's limit, the 429s, duplicates and missing
 * messages. Runnable alone (`npx tsx bench/campaignBench.ts`) or from bench/run.ts.
 */
import os from 'node:os';
import { fork } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import mongoose from 'mongoose';
import { EMBEDDED_CLIENT_OPTIONS, startEmbeddedMongo, syncIndexes } from '../app/database.js';
import { createLogger } from '../app/logger.js';
import { Notifier } from '../bot/core/notifier.js';
import { seedDefaults } from '../crm/seed/defaults.js';
import { Campaign } from '../models/campaign.js';
import { CampaignDelivery } from '../models/campaignDelivery.js';
import { Customer } from '../models/customer.js';
import { Stage } from '../models/stage.js';
import { User } from '../models/user.js';
import { systemClock } from '../jobs/clock.js';
import { CampaignRunner } from '../jobs/campaigns/runner.js';
import { Pacers, type PacerStats } from '../jobs/campaigns/pacer.js';
import { FakeBotApi, telegramSenderFor, type FakeBotApiOptions, type ReceivedMessage } from '../test/jobs/fakeBotApi.js';

export interface CampaignBenchResult {
  recipients: number;
  /** Accepted messages per second between the first and the last. */
  sustainedRate: number;
  /** sustainedRate / 30 (Telegram's limit across chats). */
  shareOfLimit: number;
  rateLimited429: number;
  duplicates: number;
  missing: number;
  seconds: number;
  peakPerSecond: number;
  cores: number;
  /** Pauses of over half a second between two accepted messages (a 429's retry_after, a stalled process), and their total: where the rate went. */
  pausesOver500ms?: number;
  pausedSeconds?: number;
  /** Where the pacer's time went, per send (ms): late wake-ups, waits for the sliding window, schedule dropped after stalls, and the margin above the base one (start-up, after 429s). */
  pacerLateMsPerSend?: number;
  pacerWindowWaitMsPerSend?: number;
  pacerDroppedMsPerSend?: number;
  pacerExtraMarginMsPerSend?: number;
}

const TELEGRAM_LIMIT = 30;

export async function runCampaignBench(opts: { recipients?: number; print?: boolean; during?: (done: Promise<void>) => Promise<void> } = {}): Promise<CampaignBenchResult> {
  const recipients = opts.recipients ?? 3000;
  const logger = createLogger('silent');
  // Uses the caller's connection when there is one (bench/run.ts), else its own embedded database.
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (mongoose.connection.readyState !== 1) {
    const embedded = await startEmbeddedMongo();
    stopEmbedded = embedded.stop;
    await mongoose.connect(embedded.uri, { dbName: 'chot_bench_campaign', ...EMBEDDED_CLIENT_OPTIONS });
    await syncIndexes();
    await seedDefaults();
  }
  const api = await startFakeApiProcess({ perSecond: TELEGRAM_LIMIT, perChatMs: 1000, retryAfter: 1 });
  const tag = `bench-${Date.now()}`;
  try {
    const stage = await Stage.findOne({ kind: 'open' }).select('_id').lean();
    // The recipients belong to one bench user, and the segment selects that owner: whatever else
    // the database holds (bench/run.ts seeds demo customers first) stays out of the campaign.
    const owner = await User.create({ name: 'Bench', email: `${tag}@bench.local`, role: 'sales', active: false });
    const chatIds = Array.from({ length: recipients }, (_, i) => String(9_000_000 + i));
    for (let i = 0; i < recipients; i += 1000) {
      await Customer.insertMany(
        chatIds.slice(i, i + 1000).map((chat, j) => ({ code: `${tag}-${i + j}`, name: `Khách ${i + j}`, stage: stage!._id, owner: owner._id, chatIds: { telegram: chat }, notes: tag })),
        { lean: true },
      );
    }
    const campaign = await Campaign.create({
      name: tag,
      template: 'Chào {ten}, mã khách hàng của bạn là {ma}.',
      channels: ['telegram'],
      segment: { owners: [owner._id] },
      status: 'running',
      startedAt: new Date(),
    });
    const notifier = new Notifier(logger);
    notifier.register(telegramSenderFor(api.url));
    const pacers = new Pacers();
    const runner = new CampaignRunner({ clock: systemClock, notifier, logger, signal: new AbortController().signal }, { pacers });
    const started = performance.now();
    // The job runs in slices; keep calling it, as Agenda would, until the campaign is done.
    const sending = (async () => {
      for (let i = 0; i < 100; i++) {
        const summaries = await runner.run(campaign._id);
        if (summaries.stoppedBecause !== 'slice') break;
      }
    })();
    // Other work on the same process and database while the campaign runs (bench/chatBench.ts: webhook load).
    await Promise.all([sending, opts.during?.(sending)]);
    const seconds = (performance.now() - started) / 1000;
    const { received, rejected429 } = await api.snapshot();
    const span = received.length > 1 ? (received.at(-1)!.at - received[0]!.at) / 1000 : seconds;
    const unique = new Set(received.map((m) => m.chatId));
    const result: CampaignBenchResult = {
      recipients,
      sustainedRate: round(received.length / span),
      shareOfLimit: round(received.length / span / TELEGRAM_LIMIT),
      rateLimited429: rejected429,
      duplicates: received.length - unique.size,
      missing: chatIds.filter((c) => !unique.has(c)).length,
      seconds: round(seconds),
      peakPerSecond: peakPerSecond(received),
      cores: os.cpus().length,
      ...pauses(received, 500),
      ...pacerFigures(pacers.for('telegram').stats()),
    };
    if (opts.print !== false) {
      console.log(
        `campaign bench: ${recipients} recipients in ${result.seconds} s, sustained ${result.sustainedRate} msg/s = ${Math.round(result.shareOfLimit * 100)}% of ${TELEGRAM_LIMIT}/s ` +
          `(peak ${result.peakPerSecond} in a second), 429s: ${result.rateLimited429}, duplicates: ${result.duplicates}, missing: ${result.missing}, cores: ${result.cores}`,
      );
    }
    await CampaignDelivery.deleteMany({ campaign: campaign._id });
    await Campaign.deleteOne({ _id: campaign._id });
    await Customer.deleteMany({ owner: owner._id });
    await User.deleteOne({ _id: owner._id });
    return result;
  } finally {
    await api.stop();
    if (stopEmbedded) {
      await mongoose.disconnect();
      await stopEmbedded();
    }
  }
}

interface FakeApiHandle {
  url: string;
  snapshot(): Promise<{ received: ReceivedMessage[]; rejected429: number }>;
  stop(): Promise<void>;
}

const SERVE_FLAG = '--serve-fake-bot-api';

/**
 * The fake Bot API runs in its own process, as Telegram would: in-process, its timestamps would
 * be taken by the same event loop as the sender's database work, and a pause there would make
 * well-spaced requests look bunched.
 */
async function startFakeApiProcess(options: FakeBotApiOptions): Promise<FakeApiHandle> {
  const child = fork(fileURLToPath(import.meta.url), [SERVE_FLAG, JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T>() => new Promise<T>((resolve, reject) => {
    child.once('message', (m) => resolve(m as T));
    child.once('error', reject);
  });
  const { url } = await next<{ url: string }>();
  return {
    url,
    async snapshot() {
      const answer = next<{ received: ReceivedMessage[]; rejected429: number }>();
      child.send('snapshot');
      return answer;
    },
    async stop() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send('stop');
      await exited;
    },
  };
}

async function serveFakeApi(options: FakeBotApiOptions): Promise<void> {
  const api = await new FakeBotApi(options).start();
  process.on('message', async (m) => {
    if (m === 'snapshot') process.send!({ received: api.received, rejected429: api.rejected429 });
    if (m === 'stop') {
      await api.stop();
      process.exit(0);
    }
  });
  process.send!({ url: api.url });
}

function pauses(received: ReceivedMessage[], overMs: number): { pausesOver500ms: number; pausedSeconds: number } {
  let count = 0;
  let ms = 0;
  for (let i = 1; i < received.length; i++) {
    const gap = received[i]!.at - received[i - 1]!.at;
    if (gap > overMs) {
      count += 1;
      ms += gap;
    }
  }
  return { pausesOver500ms: count, pausedSeconds: round(ms / 1000) };
}

function pacerFigures(stats: PacerStats) {
  const per = (ms: number) => round(ms / Math.max(1, stats.sends));
  return {
    pacerLateMsPerSend: per(stats.lateMs),
    pacerWindowWaitMsPerSend: per(stats.windowWaitMs),
    pacerDroppedMsPerSend: per(stats.droppedMs),
    pacerExtraMarginMsPerSend: per(stats.extraMarginMs),
  };
}

function peakPerSecond(received: ReceivedMessage[]): number {
  let peak = 0;
  let start = 0;
  for (let end = 0; end < received.length; end++) {
    while (received[end]!.at - received[start]!.at >= 1000) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

if (process.argv[2] === SERVE_FLAG) {
  void serveFakeApi(JSON.parse(process.argv[3] ?? '{}') as FakeBotApiOptions);
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runCampaignBench()
    .then(() => process.exit(0))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
