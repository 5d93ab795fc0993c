import { ZaloOaToken } from '../../../models/zaloOaToken.js';

export interface ZaloOaHealth {
  appId: string;
  /** `ok`, `refresh_failed` (admins must act) or `missing` (no token configured yet). */
  status: string;
  accessExpiresAt?: Date;
  lastRefreshAt?: Date;
  lastError?: { at?: Date; code?: string; message?: string };
}

/**
 * What the admin panel shows about Zalo OA: one line per OA app, never the tokens themselves. Works
 * in any process (it only reads the database), so a web-only process can show it too.
 */
export async function zaloOaHealth(): Promise<ZaloOaHealth[]> {
  const docs = await ZaloOaToken.find().select('appId status accessExpiresAt lastRefreshAt lastError').lean();
  return docs.map((d) => ({
    appId: d.appId,
    status: d.status ?? 'ok',
    accessExpiresAt: d.accessExpiresAt ?? undefined,
    lastRefreshAt: d.lastRefreshAt ?? undefined,
    lastError: d.lastError?.at ? { at: d.lastError.at, code: d.lastError.code ?? undefined, message: d.lastError.message ?? undefined } : undefined,
  }));
}
