/**
 * The database goes away while the platforms keep posting webhooks (a failover, a restart, a
 * network cut). A webhook that cannot be recorded must fail with a 5xx, so the platform delivers
 * it again, and leave nothing half-written; the process stays up, /readyz says it is not ready,
 * and once the database is back the redelivery is handled as if nothing had happened.
 */
import { jest } from '@jest/globals';
import mongoose from 'mongoose';
import { JOBS_COLLECTION } from '../../jobs/scheduler.js';
import { ZaloInbox } from '../../models/zaloInbox.js';
import { ChatSession } from '../../models/chatSession.js';
import { OaWebhookSender } from '../zalo/helpers/oaWebhookClient.js';
import { botText, postBotUpdate } from '../zalo/helpers/botUpdates.js';
import { AppProcess, eventually, killAll, settle } from './helpers/appProcess.js';
import { FakePlatforms, ZALO_BOT, ZALO_OA } from './helpers/channels.js';
import { postTelegramUpdate, telegramText } from './helpers/fakeTelegram.js';
import { useSharedDatabase } from './helpers/sharedDatabase.js';

jest.setTimeout(90_000);

const db = useSharedDatabase();
const platforms = new FakePlatforms();
let web: AppProcess;
let worker: AppProcess;

beforeAll(async () => {
  await platforms.start();
  [web, worker] = await Promise.all([AppProcess.start('web', 'web', platforms.env(db.uri)), AppProcess.start('worker', 'worker', platforms.env(db.uri))]);
}, 60_000);

/** When the worker last finished its 5-second campaign job: it moves on while the worker works. */
async function campaignJobFinishedAt(): Promise<number> {
  const job = await mongoose.connection.db!.collection(JOBS_COLLECTION).findOne({ name: 'campaign sending' });
  return job?.lastFinishedAt ? new Date(job.lastFinishedAt).getTime() : 0;
}

afterAll(async () => {
  await killAll();
  await platforms.stop();
});

const readiness = async () => (await fetch(`${web.base}/readyz`)).status;

// An external MONGODB_URI cannot be stopped and started from here: said out loud, not skipped silently.
const onEmbeddedDatabase = process.env.MONGODB_URI ? it.skip : it;
if (process.env.MONGODB_URI) console.warn('databaseOutage.test.ts: skipped with MONGODB_URI set (the outage is simulated by stopping the embedded server)');

onEmbeddedDatabase('webhooks during a database outage get a 5xx and leave nothing behind; redelivered after it, they are handled once', async () => {
  expect(await readiness()).toBe(200);
  const lead = 8301;
  const telegramUpdate = telegramText(lead, 'Tôi cần thuê văn phòng');
  const oa = new OaWebhookSender(web.base, ZALO_OA.appId, ZALO_OA.secretKey);
  const oaEvent = oa.text('zalo-outage-1', 'Chào shop');
  const botUpdate = botText('zbot-outage-1', 'Chào bạn');

  await db.stopServer();
  const started = Date.now();
  expect(worker.running).toBe(true);
  const [tg, zoa, zbot] = await Promise.all([postTelegramUpdate(web.base, telegramUpdate), oa.post(oaEvent), postBotUpdate(web.base, botUpdate, ZALO_BOT.secret)]);
  const took = Date.now() - started;
  expect({ telegram: tg.status, zaloOa: zoa.status, zaloBot: zbot.status }).toEqual({ telegram: 503, zaloOa: 503, zaloBot: 503 });
  // Within the platforms' patience (Telegram waits about a minute, Zalo a few seconds more than it asks).
  expect(took).toBeLessThan(15_000);
  expect(await eventually(async () => (await readiness()) === 503 && 503, '/readyz to report the outage')).toBe(503);
  expect(platforms.telegram.texts(lead)).toEqual([]);
  expect(web.running).toBe(true);
  // Long enough for the worker to run into the outage, not just the webhooks.
  const errorsBefore = worker.errors().length;
  await eventually(() => worker.errors().length > errorsBefore, 'the worker to notice the outage', 15_000, worker);
  expect(worker.running).toBe(true);

  await db.startServer();
  await eventually(async () => (await readiness()) === 200, '/readyz to report recovery', 30_000);
  // Nothing of the failed deliveries was written: no claim (it lives in the chat's session) that
  // would make the redelivery a "duplicate".
  expect(await ChatSession.countDocuments({ chatId: String(lead) })).toBe(0);
  expect(await ZaloInbox.countDocuments({})).toBe(0);

  // The platforms deliver again: handled now, once.
  expect((await postTelegramUpdate(web.base, telegramUpdate)).status).toBe(200);
  expect((await oa.post(oaEvent)).status).toBe(200);
  expect((await postBotUpdate(web.base, botUpdate, ZALO_BOT.secret)).status).toBe(200);
  await eventually(() => platforms.telegram.texts(lead).some((t) => t.includes('Xin chào')), 'the Telegram greeting');
  await eventually(() => platforms.zaloOa.sent.some((s) => s.userId === 'zalo-outage-1'), 'the Zalo OA greeting');
  await eventually(() => platforms.zaloBot.sent.some((s) => s.chatId === 'zbot-outage-1'), 'the Zalo Bot greeting');
  expect(platforms.telegram.texts(lead).filter((t) => t.includes('Xin chào'))).toHaveLength(1);
  expect(web.running).toBe(true);
  expect(web.lines.filter((l) => /uncaught|unhandled/i.test(String(l.msg)))).toEqual([]);

  // The worker lived through the outage too, and its jobs run again.
  const backAt = Date.now();
  await eventually(async () => (await campaignJobFinishedAt()) > backAt, 'a job run by the worker after the outage', 20_000, worker);
  expect(worker.running).toBe(true);
});

onEmbeddedDatabase('with long polling, an update that arrives during the outage is handled once the database is back, not skipped', async () => {
  // No PUBLIC_URL: Telegram (and the Zalo bot) are polled instead of calling webhooks.
  const { PUBLIC_URL: _webhooks, ...env } = platforms.env(db.uri);
  const poller = await AppProcess.start('polling web', 'web', env);
  await eventually(() => platforms.telegram.methods.includes('getUpdates'), 'polling to start');
  const lead = 8302;

  await db.stopServer();
  platforms.telegram.updates.push(telegramText(lead, 'Tôi muốn xem nhà mẫu') as { update_id: number });
  await poller.waitForLog((l) => l.msg === 'telegram update failed', 15_000);
  await db.startServer();

  await eventually(() => platforms.telegram.texts(lead).some((t) => t.includes('Xin chào')), 'the greeting after the outage', 20_000, poller);
  await settle();
  expect(platforms.telegram.texts(lead).filter((t) => t.includes('Xin chào'))).toHaveLength(1);
  expect(poller.running).toBe(true);
});
