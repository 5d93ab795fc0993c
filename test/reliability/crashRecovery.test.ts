/**
 * The worker process killed outright (SIGKILL: no shutdown code runs) while it is sending a
 * campaign and refreshing the Zalo OA token at the same moment, then started again.
 *
 * The product's rules (jobs/campaigns/runner.ts, crm/campaigns/deliveries.ts): a delivery is claimed
 * before its send, and one left in `sending` by a dead process is failed with reason `interrupted`,
 * never sent again: at most once. The token (bot/zalo/oa/tokens.ts): Zalo's refresh token works once,
 * so one refresh at a time under a lock that expires when its holder dies, and the new pair stored
 * before use.
 *
 * The locks of the dead process (Agenda's on the job, 2 minutes; the campaign's lease, 10 s; the
 * token lock, 1 minute) are let expire by moving their times back rather than by waiting: what runs
 * after is the product's own take-over path.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import { jest } from '@jest/globals';
import mongoose from 'mongoose';
import { seedDefaults } from '../../crm/seed/defaults.js';
import { startCampaign } from '../../crm/campaigns/lifecycle.js';
import { Campaign } from '../../models/campaign.js';
import { CampaignDelivery } from '../../models/campaignDelivery.js';
import { ZaloOaToken } from '../../models/zaloOaToken.js';
import { JOBS_COLLECTION } from '../../jobs/scheduler.js';
import { JobLease } from '../../jobs/campaigns/lease.js';
import { makeStaff } from '../helpers/factories.js';
import { makeCustomers } from '../jobs/fixtures.js';
import { AppProcess, eventually, killAll, settle } from './helpers/appProcess.js';
import { FakePlatforms, ZALO_OA } from './helpers/channels.js';
import { useSharedDatabase } from './helpers/sharedDatabase.js';
import { OaWebhookSender } from '../zalo/helpers/oaWebhookClient.js';
import { closeServer, listenOnLoopback } from '../helpers/loopback.js';

jest.setTimeout(90_000);

const db = useSharedDatabase();
const platforms = new FakePlatforms();

/**
 * Zalo's OAuth endpoint, holding refresh requests until released. A request whose caller dies before
 * the answer is counted as abandoned and spends nothing; an answered one spends the refresh token.
 */
class HeldOauth {
  current = ZALO_OA.refreshToken;
  readonly spent: string[] = [];
  readonly refusedReuse: string[] = [];
  abandoned = 0;
  hold = true;
  private readonly waiting = new Set<() => void>();
  private issued = 0;
  private server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const token = new URLSearchParams(raw).get('refresh_token') ?? '';
      const answer = () => {
        this.waiting.delete(answer);
        if (res.destroyed) {
          this.abandoned += 1;
          return;
        }
        res.setHeader('content-type', 'application/json');
        if (token !== this.current) {
          this.refusedReuse.push(token);
          res.end(JSON.stringify({ error: -14014, error_name: 'Invalid refresh token', error_description: 'Refresh token is invalid or already used' }));
          return;
        }
        this.spent.push(token);
        this.issued += 1;
        this.current = `refresh-new-${this.issued}`;
        res.end(JSON.stringify({ access_token: `access-new-${this.issued}`, refresh_token: this.current, expires_in: '90000' }));
      };
      if (!this.hold) return answer();
      this.waiting.add(answer);
      res.on('close', () => {
        if (this.waiting.has(answer)) answer();
      });
    });
  });
  url = '';

  get held(): number {
    return this.waiting.size;
  }

  async start(): Promise<void> {
    this.url = await listenOnLoopback(this.server);
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }
}

const oauth = new HeldOauth();

beforeAll(async () => {
  await Promise.all([platforms.start(), oauth.start()]);
});

afterAll(async () => {
  await killAll();
  await Promise.all([platforms.stop(), oauth.stop()]);
});

/** What the lock lifetimes would do after a couple of minutes: the dead process's locks lapse. */
async function letDeadLocksExpire(): Promise<void> {
  const longAgo = new Date(Date.now() - 10 * 60_000);
  await mongoose.connection.db!.collection(JOBS_COLLECTION).updateMany({ lockedAt: { $ne: null } }, { $set: { lockedAt: longAgo } });
  await ZaloOaToken.updateMany({ lockUntil: { $ne: null } }, { $set: { lockUntil: longAgo } });
  await JobLease.updateMany({ expiresAt: { $gt: longAgo } }, { $set: { expiresAt: longAgo } });
}

it('after a SIGKILL mid-campaign and mid-token-refresh, the restarted process sends nobody twice, accounts for everyone, and keeps a working token pair', async () => {
  await seedDefaults();
  const { user: owner } = await makeStaff('sales');
  const customers = await makeCustomers(24, { owner: owner._id });
  const { actor: admin } = await makeStaff('admin');
  const campaign = await Campaign.create({ name: 'Mở bán dự án mới', template: 'Chào {ten}, dự án mới đã mở bán', channels: ['telegram'] });
  await startCampaign(admin, campaign._id);
  // The stored token pair expires within the refresh job's look-ahead: the worker refreshes it at start.
  await ZaloOaToken.create({
    appId: ZALO_OA.appId,
    accessToken: ZALO_OA.accessToken,
    refreshToken: ZALO_OA.refreshToken,
    accessExpiresAt: new Date(Date.now() + 10 * 60_000),
    status: 'ok',
    version: 0,
    configFingerprint: crypto.createHash('sha256').update(ZALO_OA.refreshToken).digest('hex').slice(0, 32),
  });

  const telegram = platforms.telegram;
  telegram.holdAfter = 6;
  const env = { ...platforms.env(db.uri), ZALO_OAUTH_ROOT: oauth.url };
  const first = await AppProcess.start('worker', 'worker', env);
  await eventually(() => telegram.sent.length >= 6 && telegram.heldCount > 0 && oauth.held > 0, 'sends in flight and a refresh in flight', 30_000, first);
  await first.kill();
  // Telegram had the held messages: they reached their chats although the dead worker never heard back.
  const inFlight = telegram.heldCount;
  telegram.holdAfter = Infinity;
  telegram.release();
  const sendingAtCrash = await CampaignDelivery.countDocuments({ campaign: campaign._id, status: 'sending' });
  expect(sendingAtCrash).toBeGreaterThanOrEqual(inFlight);
  expect(oauth.abandoned).toBe(1);
  expect(oauth.spent).toEqual([]);

  await letDeadLocksExpire();
  oauth.hold = false;
  // Restarted as `npm start` does with MONGODB_URI (web and jobs in one process).
  const second = await AppProcess.start('restarted', 'both', env);
  await eventually(async () => (await Campaign.findById(campaign._id).lean())?.status === 'completed' && true, 'the campaign to complete', 30_000, second).catch(async (err) => {
    const jobs = await mongoose.connection.db!.collection(JOBS_COLLECTION).find({}, { projection: { name: 1, lockedAt: 1, nextRunAt: 1, lastRunAt: 1, lastFinishedAt: 1 } }).toArray();
    throw new Error(`${(err as Error).message}\njobs: ${JSON.stringify(jobs)}\nnow: ${new Date().toISOString()}`);
  });
  // The interrupted refresh job occurrence comes round again in 10 minutes; before that, the first
  // send on Zalo OA finds the token due and refreshes it (the dead process's lock has lapsed).
  platforms.zaloOa.validAccess.add('access-new-1');
  const follower = 'zalo-after-crash';
  const oa = new OaWebhookSender(second.base, ZALO_OA.appId, ZALO_OA.secretKey);
  expect((await oa.post(oa.text(follower, 'Chào shop'))).status).toBe(200);
  await eventually(() => platforms.zaloOa.sent.some((s) => s.userId === follower), 'the Zalo OA reply', 20_000, second);
  expect(platforms.zaloOa.sent.filter((s) => s.userId === follower).every((s) => s.token === 'access-new-1')).toBe(true);
  await settle();

  // Nobody got the campaign twice, and nobody is unaccounted for.
  const perChat = new Map<string, number>();
  for (const m of telegram.sent) perChat.set(m.chatId, (perChat.get(m.chatId) ?? 0) + 1);
  expect([...perChat].filter(([, n]) => n > 1)).toEqual([]);
  const deliveries = await CampaignDelivery.find({ campaign: campaign._id }).lean();
  expect(deliveries).toHaveLength(customers.length);
  const chatOf = new Map(customers.map((c) => [String(c._id), c.chatIds.telegram!]));
  for (const d of deliveries) {
    const chat = chatOf.get(String(d.customer))!;
    if (d.status === 'sent') expect(perChat.get(chat)).toBe(1);
    else expect({ status: d.status, reason: d.reason }).toEqual({ status: 'failed', reason: 'interrupted' });
  }
  const interrupted = deliveries.filter((d) => d.status === 'failed');
  // Exactly the sends that were in flight when the process died, and only those, are written off.
  expect(interrupted.length).toBe(sendingAtCrash);
  expect(deliveries.filter((d) => d.status === 'sent').length + interrupted.length).toBe(customers.length);
  expect((await Campaign.findById(campaign._id).lean())?.counters).toMatchObject({ targeted: 24, sent: 24 - interrupted.length, failed: interrupted.length });

  // The refresh token was spent once, by the restarted worker, and the pair it got is the one stored.
  expect(oauth.spent).toEqual([ZALO_OA.refreshToken]);
  expect(oauth.refusedReuse).toEqual([]);
  const token = await ZaloOaToken.findOne({ appId: ZALO_OA.appId }).lean();
  expect(token).toMatchObject({ accessToken: 'access-new-1', refreshToken: oauth.current, status: 'ok', version: 1 });
  expect(token?.lockUntil ?? null).toBeNull();
  expect(second.running).toBe(true);
});
