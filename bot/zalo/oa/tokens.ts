import crypto from 'node:crypto';
import type { Logger } from '../../../app/logger.js';
import { addSecret } from '../../../app/secrets.js';
import { ZaloOaToken } from '../../../models/zaloOaToken.js';
import { ZaloNetworkError } from '../shared/http.js';
import type { ZaloOauthClient } from './oauth.js';

export interface OaTokenManagerOptions {
  appId: string;
  oauth: ZaloOauthClient;
  logger: Logger;
  /** The pair from the environment, used on first start (or when an admin puts a new one there). */
  configured?: { accessToken?: string; refreshToken?: string };
  /** Refresh this long before the access token expires (Zalo gives about 25 h). */
  refreshAheadMs?: number;
  /** How long a refresh lock holds when its holder dies without releasing it. */
  lockMs?: number;
  /** After a failed refresh, wait this long before trying again on its own (no hammering a dead token). */
  failureCooldownMs?: number;
  pollMs?: number;
}

type TokenDoc = {
  accessToken?: string | null;
  refreshToken?: string | null;
  accessExpiresAt?: Date | null;
  version?: number | null;
  status?: string | null;
  lastError?: { at?: Date | null; code?: string | null; message?: string | null } | null;
  lockUntil?: Date | null;
  configFingerprint?: string | null;
};

export interface OaTokenStatus {
  status: string;
  accessExpiresAt?: Date;
  lastRefreshAt?: Date;
  lastError?: { at?: Date; code?: string; message?: string };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fingerprint = (token: string) => crypto.createHash('sha256').update(token).digest('hex').slice(0, 32);

/**
 * Keeps the OA access token usable. Zalo's refresh token is single-use, so across every process
 * exactly one refresh runs at a time: a lock taken with one atomic findOneAndUpdate (with an expiry,
 * so a crash frees it), the new pair written to MongoDB before anyone uses it, and the others wait
 * for that write instead of spending the old refresh token a second time.
 */
export class OaTokenManager {
  private readonly owner = `${process.pid}-${crypto.randomBytes(6).toString('hex')}`;
  private inflight?: Promise<string | null>;
  private readonly refreshAheadMs: number;
  private readonly lockMs: number;
  private readonly cooldownMs: number;
  private readonly pollMs: number;

  constructor(private readonly opts: OaTokenManagerOptions) {
    this.refreshAheadMs = opts.refreshAheadMs ?? 2 * 3600_000;
    this.lockMs = opts.lockMs ?? 60_000;
    this.cooldownMs = opts.failureCooldownMs ?? 5 * 60_000;
    this.pollMs = opts.pollMs ?? 150;
  }

  /** Stores the configured pair on first start, atomically, so two processes starting together agree. */
  async init(): Promise<void> {
    const { appId, configured } = this.opts;
    const hasConfig = Boolean(configured?.refreshToken || configured?.accessToken);
    const seed = {
      appId,
      accessToken: configured?.accessToken,
      refreshToken: configured?.refreshToken,
      status: hasConfig ? 'ok' : 'missing',
      version: 0,
      configFingerprint: configured?.refreshToken ? fingerprint(configured.refreshToken) : undefined,
    };
    const res = await ZaloOaToken.findOneAndUpdate({ appId }, { $setOnInsert: seed }, { upsert: true, includeResultMetadata: true, returnDocument: 'after', lean: true });
    const doc = res.value as TokenDoc | null;
    const inserted = !res.lastErrorObject?.updatedExisting;
    if (inserted || !doc || !configured?.refreshToken) return;
    // The stored pair is newer than the environment's (whose refresh token is spent), unless an admin
    // re-authorized and put a different refresh token in the environment.
    const fp = fingerprint(configured.refreshToken);
    if (doc.configFingerprint === fp) return;
    await ZaloOaToken.updateOne(
      { appId, configFingerprint: doc.configFingerprint ?? null },
      { $set: { accessToken: configured.accessToken, refreshToken: configured.refreshToken, configFingerprint: fp, status: 'ok' }, $unset: { accessExpiresAt: 1, lastError: 1 }, $inc: { version: 1 } },
    );
    this.opts.logger.info('Zalo OA: a new token pair from the configuration replaces the stored one');
  }

  /** A usable access token, refreshed first when it is about to expire; null when there is none. */
  async accessToken(now = new Date()): Promise<string | null> {
    const doc = await this.load();
    if (!doc) return null;
    if (!doc.accessToken || this.isDue(doc, now)) {
      const fresh = this.inCooldown(doc, now) ? null : await this.refresh(doc.accessToken ?? undefined);
      if (fresh) return fresh;
      const stillValid = doc.accessToken && (!doc.accessExpiresAt || doc.accessExpiresAt.getTime() > now.getTime());
      return stillValid ? doc.accessToken! : null;
    }
    return doc.accessToken;
  }

  /**
   * Gets a new pair. `staleToken` is the access token the caller found not working: if the stored one
   * already differs, someone refreshed meanwhile and that one is returned without spending anything.
   */
  refresh(staleToken?: string): Promise<string | null> {
    // One refresh per process at a time; the lock below makes it one across processes.
    this.inflight ??= this.refreshAcrossProcesses(staleToken).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** For the refresh job: refreshes when the token expires within the look-ahead. */
  async refreshIfDue(now = new Date()): Promise<boolean> {
    const doc = await this.load();
    if (!doc?.refreshToken || !this.isDue(doc, now) || this.inCooldown(doc, now)) return false;
    return Boolean(await this.refresh(doc.accessToken ?? undefined));
  }

  async status(): Promise<OaTokenStatus | null> {
    const doc = await ZaloOaToken.findOne({ appId: this.opts.appId }).select('status accessExpiresAt lastRefreshAt lastError').lean();
    if (!doc) return null;
    return {
      status: doc.status ?? 'ok',
      accessExpiresAt: doc.accessExpiresAt ?? undefined,
      lastRefreshAt: doc.lastRefreshAt ?? undefined,
      lastError: doc.lastError?.at ? { at: doc.lastError.at, code: doc.lastError.code ?? undefined, message: doc.lastError.message ?? undefined } : undefined,
    };
  }

  private async load(): Promise<TokenDoc | null> {
    const doc = (await ZaloOaToken.findOne({ appId: this.opts.appId }).lean()) as TokenDoc | null;
    // Tokens from the database (refreshed since the configuration was written) are secrets too.
    addSecret(doc?.accessToken);
    addSecret(doc?.refreshToken);
    return doc;
  }

  private isDue(doc: TokenDoc, now: Date): boolean {
    // An unknown expiry (a token pasted into the configuration) is used until Zalo says -216.
    return Boolean(doc.accessExpiresAt && doc.accessExpiresAt.getTime() - now.getTime() < this.refreshAheadMs);
  }

  /**
   * After a refused refresh, wait before spending requests on a dead token. Not after a network
   * failure: nothing was refused, and trying again is how the channel comes back by itself.
   */
  private inCooldown(doc: TokenDoc, now: Date): boolean {
    return doc.status === 'refresh_failed' && doc.lastError?.code !== 'network' && Boolean(doc.lastError?.at && now.getTime() - doc.lastError.at.getTime() < this.cooldownMs);
  }

  private async refreshAcrossProcesses(staleToken?: string): Promise<string | null> {
    const { appId } = this.opts;
    const startedAt = new Date();
    const before = await this.load();
    if (!before) return null;
    const giveUpAt = Date.now() + this.lockMs + 10_000;
    for (;;) {
      const now = new Date();
      const locked = (await ZaloOaToken.findOneAndUpdate(
        { appId, $or: [{ lockUntil: null }, { lockUntil: { $lte: now } }] },
        { $set: { lockOwner: this.owner, lockUntil: new Date(now.getTime() + this.lockMs) } },
        { returnDocument: 'after', lean: true },
      )) as TokenDoc | null;
      if (locked) return this.refreshHoldingLock(locked, staleToken, startedAt);

      // Someone else is refreshing: wait for their pair rather than spend the token twice.
      await sleep(this.pollMs);
      const current = await this.load();
      if (!current) return null;
      if ((current.version ?? 0) !== (before.version ?? 0) && current.accessToken) return current.accessToken;
      if (current.lastError?.at && current.lastError.at >= startedAt) return null;
      if (Date.now() > giveUpAt) return null;
    }
  }

  private async refreshHoldingLock(doc: TokenDoc, staleToken: string | undefined, startedAt: Date): Promise<string | null> {
    const { appId, logger } = this.opts;
    const release = { $unset: { lockOwner: 1, lockUntil: 1 } };
    const now = new Date();
    // Refreshed by someone else between our read and our lock: nothing to spend.
    if (doc.accessToken && doc.accessToken !== staleToken && !this.isDue(doc, now)) {
      await ZaloOaToken.updateOne({ appId, lockOwner: this.owner }, release);
      return doc.accessToken;
    }
    if (!doc.refreshToken) {
      await this.recordFailure('missing', 'no refresh token stored: re-authorize the OA app and set ZALO_OA_REFRESH_TOKEN');
      return null;
    }
    let outcome;
    try {
      outcome = await this.opts.oauth.refresh(doc.refreshToken);
    } catch (err) {
      const message = err instanceof ZaloNetworkError ? err.message : String(err);
      await this.recordFailure('network', message);
      return null;
    }
    if (!outcome.ok) {
      await this.recordFailure(outcome.code, outcome.message);
      return null;
    }
    const { pair } = outcome;
    addSecret(pair.accessToken);
    addSecret(pair.refreshToken);
    // Stored before it is used, and stored even if our lock lapsed meanwhile: this pair is the only
    // one that works now (the old refresh token is spent).
    await ZaloOaToken.updateOne(
      { appId },
      {
        $set: {
          accessToken: pair.accessToken,
          refreshToken: pair.refreshToken,
          accessExpiresAt: new Date(Date.now() + pair.expiresIn * 1000),
          lastRefreshAt: new Date(),
          status: 'ok',
        },
        $inc: { version: 1 },
        $unset: { lockOwner: 1, lockUntil: 1, lastError: 1 },
      },
    );
    logger.info({ tookMs: Date.now() - startedAt.getTime() }, 'Zalo OA access token refreshed');
    return pair.accessToken;
  }

  private async recordFailure(code: string, message: string): Promise<void> {
    const { appId, logger } = this.opts;
    await ZaloOaToken.updateOne(
      { appId },
      { $set: { status: 'refresh_failed', lastError: { at: new Date(), code, message: message.slice(0, 500) } }, $unset: { lockOwner: 1, lockUntil: 1 } },
    );
    // An alert for whoever watches the logs; the admin panel shows the same from the stored status.
    logger.error({ alert: 'zalo_oa_token_refresh_failed', code, reason: message }, 'ALERT: Zalo OA token refresh failed; Zalo OA sends will fail until it succeeds');
  }
}
