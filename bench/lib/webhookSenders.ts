/**
 * Prospects writing to the bot at once, as Telegram delivers them: each message a webhook update
 * POSTed to chot, the next one from that chat after chot answered. They run in a process of their
 * own, as Telegram's servers do: in chot's process, building and parsing 400 HTTP requests a
 * second would take a share of the event loop that chot never pays in production, and lower both
 * its throughput and the campaign's pacing beside it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { JsonPoster } from './jsonPoster.js';
import { telegramTextMessage } from './telegramUpdates.js';

/**
 * The load every webhook comparison puts on chot: 50 prospects writing at once, 30 messages each.
 * 1,500 updates a run: 500 took under two seconds, and one slow second of a shared machine swung
 * a ratio by a third.
 */
export const WEBHOOK_LOAD = { senders: 50, perSender: 30 } as const;

export interface SendersPlan {
  /** Where chot listens, e.g. http://127.0.0.1:3000 */
  base: string;
  secret: string;
  senders: number;
  /** Messages per sender; 0: until `stop` is called. */
  perSender: number;
  /** Chat ids from chatBase to chatBase + senders - 1. */
  chatBase: number;
  /** update_id of the first update; each sender numbers its own from there, so ids never repeat. */
  firstUpdateId: number;
}

export interface SendersOutcome {
  updates: number;
  errors: number;
  seconds: number;
  /** Per update, ms from the POST to chot's answer. */
  latencies: number[];
}

const CHILD_FLAG = '--webhook-senders';

/** Starts the senders in a child process; `done` resolves when they finish (or after `stop`). */
export function startWebhookSenders(plan: SendersPlan): { done: Promise<SendersOutcome>; stop(): void } {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [CHILD_FLAG], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const done = new Promise<SendersOutcome>((resolve, reject) => {
    child.once('message', (m) => {
      resolve(m as SendersOutcome);
      child.disconnect();
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`webhook senders exited with ${code} before reporting`)));
  });
  child.send({ plan });
  return { done, stop: () => void child.send('stop') };
}

/** Runs the plan in this process until done or told to stop, then reports to the parent. */
async function sendAll(plan: SendersPlan, stopped: () => boolean): Promise<SendersOutcome> {
  const latencies: number[] = [];
  let errors = 0;
  // Kept-alive node:http connections: fetch costs several times the CPU per request, and this
  // process shares the machine's cores with chot.
  const poster = new JsonPoster();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: plan.senders }, async (_, s) => {
      const chat = plan.chatBase + s;
      for (let k = 0; plan.perSender ? k < plan.perSender : !stopped(); k++) {
        const update = { update_id: plan.firstUpdateId + k * plan.senders + s, message: telegramTextMessage(chat, k === 0 ? '/start' : `Tin nhắn số ${k}`, k + 1) };
        const sent = performance.now();
        try {
          const res = await poster.post(`${plan.base}/webhooks/telegram`, { 'x-telegram-bot-api-secret-token': plan.secret }, JSON.stringify(update));
          if (res.status !== 200) errors += 1;
        } catch {
          errors += 1;
        }
        latencies.push(performance.now() - sent);
      }
    }),
  );
  poster.close();
  return { updates: latencies.length, errors, seconds: (performance.now() - started) / 1000, latencies };
}

if (process.argv[2] === CHILD_FLAG) {
  let stop = false;
  process.on('message', (m) => {
    if (m === 'stop') stop = true;
    else {
      const { plan } = m as { plan: SendersPlan };
      void sendAll(plan, () => stop).then((outcome) => process.send!(outcome, () => process.exit(0)));
    }
  });
}
