import crypto from 'node:crypto';
import { Stage, type StageKind } from '../../models/stage.js';
import { Source } from '../../models/source.js';
import { Group } from '../../models/group.js';
import { OpportunityStage, type OpportunityStageKind } from '../../models/opportunityStage.js';
import { User } from '../../models/user.js';
import { bumpCacheVersion } from '../../models/cacheVersion.js';
import type { SourceChannel } from '../../models/channels.js';
import { ensureSettings } from '../settings/settings.js';
import { hashPassword } from '../users/users.js';
import { isDuplicateKey } from '../shared/errors.js';

/** Getfly's order, which Vietnamese sales teams know: won last, so the chat menus end with it. */
export const DEFAULT_STAGES: { code: string; name: string; color: string; order: number; kind: StageKind; isDefault?: boolean }[] = [
  { code: 'moi', name: 'Mới', color: '#3b82f6', order: 10, kind: 'open', isDefault: true },
  { code: 'tiep_can', name: 'Tiếp cận', color: '#06b6d4', order: 20, kind: 'open' },
  { code: 'nong', name: 'Nóng', color: '#f97316', order: 30, kind: 'open' },
  { code: 'tiem_nang', name: 'Tiềm năng', color: '#8b5cf6', order: 40, kind: 'open' },
  { code: 'dung_quen', name: 'Đừng quên', color: '#eab308', order: 50, kind: 'dormant' },
  { code: 'mat', name: 'Mất', color: '#6b7280', order: 60, kind: 'lost' },
  { code: 'chot', name: 'Chốt', color: '#22c55e', order: 70, kind: 'won' },
];

/** MISA AMIS's opportunity pipeline, each step with the probability a deal there usually has. */
export const DEFAULT_OPPORTUNITY_STAGES: { code: string; name: string; color: string; order: number; kind: OpportunityStageKind; probability: number }[] = [
  { code: 'tiep_can', name: 'Tiếp cận', color: '#06b6d4', order: 10, kind: 'open', probability: 10 },
  { code: 'danh_gia_nhu_cau', name: 'Đánh giá nhu cầu', color: '#3b82f6', order: 20, kind: 'open', probability: 30 },
  { code: 'gui_bao_gia', name: 'Gửi báo giá', color: '#8b5cf6', order: 30, kind: 'open', probability: 50 },
  { code: 'thuong_luong', name: 'Thương lượng', color: '#f97316', order: 40, kind: 'open', probability: 75 },
  { code: 'thang', name: 'Thắng', color: '#22c55e', order: 50, kind: 'won', probability: 100 },
  { code: 'thua', name: 'Thua', color: '#6b7280', order: 60, kind: 'lost', probability: 0 },
];

export const DEFAULT_SOURCES: { code: string; name: string; channel: SourceChannel }[] = [
  { code: 'telegram', name: 'Telegram', channel: 'telegram' },
  { code: 'zalo_oa', name: 'Zalo OA', channel: 'zalo_oa' },
  { code: 'zalo_bot', name: 'Zalo Bot', channel: 'zalo_bot' },
  { code: 'website', name: 'Website', channel: 'web' },
  { code: 'facebook', name: 'Facebook', channel: 'manual' },
  { code: 'gioi_thieu', name: 'Giới thiệu', channel: 'manual' },
  { code: 'khac', name: 'Khác', channel: 'manual' },
];

export const DEFAULT_GROUPS = [
  { name: 'Khách lẻ', description: 'Khách hàng cá nhân' },
  { name: 'Doanh nghiệp', description: 'Khách hàng là công ty' },
  { name: 'VIP', description: 'Khách hàng quan trọng' },
];

/**
 * Inserts the default stages, sources, groups and settings that are missing, keyed by code (or
 * name). Idempotent, and it never overwrites what an admin has edited since.
 */
export async function seedDefaults(): Promise<void> {
  await Stage.bulkWrite(
    DEFAULT_STAGES.map((s) => ({ updateOne: { filter: { code: s.code }, update: { $setOnInsert: { ...s, isDefault: s.isDefault ?? false, active: true } }, upsert: true } })),
  );
  await Source.bulkWrite(DEFAULT_SOURCES.map((s) => ({ updateOne: { filter: { code: s.code }, update: { $setOnInsert: { ...s, active: true } }, upsert: true } })));
  await OpportunityStage.bulkWrite(
    DEFAULT_OPPORTUNITY_STAGES.map((s) => ({ updateOne: { filter: { code: s.code }, update: { $setOnInsert: { ...s, active: true } }, upsert: true } })),
  );
  await Group.bulkWrite(DEFAULT_GROUPS.map((g) => ({ updateOne: { filter: { name: g.name }, update: { $setOnInsert: { ...g, active: true } }, upsert: true } })));
  await ensureSettings();
}

export interface FirstAdminResult {
  created: boolean;
  email?: string;
  /** Set only when chot generated the password: it is shown once, in the start-up log. */
  generatedPassword?: string;
}

/**
 * Makes sure someone can log in to the admin panel: the admin from ADMIN_EMAIL/ADMIN_PASSWORD, or,
 * on a database with no admin at all, admin@chot.local with a generated password.
 */
export async function ensureFirstAdmin(opts: { email?: string; password?: string }): Promise<FirstAdminResult> {
  // Several processes start together on a new database: one atomic upsert each, so they agree on one
  // admin (an exists-then-create let both create one; the embedded server does not enforce unique emails).
  if (opts.email && opts.password) {
    const email = opts.email.trim().toLowerCase();
    if (await User.exists({ email })) return { created: false, email };
    const created = await insertAdminOnce({ email }, { email, passwordHash: await hashPassword(opts.password) });
    return { created, email };
  }
  if (await User.exists({ role: 'admin' })) return { created: false };
  const generatedPassword = crypto.randomBytes(9).toString('base64url');
  const email = 'admin@chot.local';
  const created = await insertAdminOnce({ role: 'admin' }, { email, passwordHash: await hashPassword(generatedPassword) });
  return created ? { created, email, generatedPassword } : { created: false };
}

async function insertAdminOnce(key: Record<string, string>, fields: { email: string; passwordHash: string }): Promise<boolean> {
  const now = new Date();
  try {
    const res = await User.collection.findOneAndUpdate(
      key,
      { $setOnInsert: { name: 'Admin', role: 'admin', active: true, language: 'vi', takesNewLeads: false, lastLeadAssignedAt: new Date(0), createdAt: now, updatedAt: now, ...fields } },
      { upsert: true, includeResultMetadata: true },
    );
    // Written past mongoose, so the staff caches are told here.
    await bumpCacheVersion('users');
    return !res.lastErrorObject?.updatedExisting;
  } catch (e) {
    // The key is `{ role: 'admin' }` while the unique index is on the email, so MongoDB does not retry
    // the upsert when another process inserted the same admin a moment earlier: its E11000 means the
    // admin is already created.
    if (isDuplicateKey(e)) return false;
    throw e;
  }
}
