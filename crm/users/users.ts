import crypto from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { Types } from 'mongoose';
import { User, type Role, type Language } from '../../models/user.js';
import type { ChatChannel } from '../../models/channels.js';
import { CrmError, isDuplicateKey } from '../shared/errors.js';
import { assertRole, type Actor } from './actor.js';
import { cleanName } from '../customers/customers.js';
import { VersionedCache } from '../shared/versionedCache.js';

const LINK_CODE_TTL_MS = 24 * 60 * 60 * 1000;
const BCRYPT_ROUNDS = 10;

export interface StaffUser {
  _id: Types.ObjectId;
  name: string;
  email: string;
  role: Role;
  active: boolean;
  language: Language;
  takesNewLeads: boolean;
  chatIds?: Partial<Record<ChatChannel, string | null>>;
  /** Changes with the password, role or active flag; sessions opened before the change end. */
  sessionVersion?: number;
}

const PUBLIC_FIELDS = '-passwordHash -linkCodeHash';

export async function hashPassword(password: string): Promise<string> {
  if (typeof password !== 'string' || password.length < 8 || password.length > 200) throw new CrmError('invalid', { field: 'password' });
  return bcrypt.hash(password, BCRYPT_ROUNDS);
}

export async function createUser(
  actor: Actor,
  input: { name: string; email: string; role: Role; password?: string; language?: Language; takesNewLeads?: boolean },
): Promise<StaffUser> {
  assertRole(actor, 'admin');
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  const { password: _password, ...fields } = input;
  // Staff names are shown on cards and to customers: the same cleaning as customers' names.
  const user = await User.create({ ...fields, name: cleanName(fields.name), passwordHash });
  return (await User.findById(user._id).select(PUBLIC_FIELDS).lean()) as StaffUser;
}

let dummyHash: Promise<string> | undefined;
/** A bcrypt hash of a random string, at the same cost: what an unknown email is compared against. */
function hashOfNobody(): Promise<string> {
  dummyHash ??= bcrypt.hash(crypto.randomBytes(18).toString('base64'), BCRYPT_ROUNDS);
  return dummyHash;
}

/**
 * Email and password check for the admin panel; inactive users cannot log in. Every refusal runs
 * one bcrypt comparison, so an unknown or inactive email takes as long as a wrong password and the
 * answer time does not tell whether an account exists.
 */
export async function verifyLogin(email: string, password: string): Promise<StaffUser | null> {
  const user =
    typeof email === 'string' && typeof password === 'string'
      ? await User.findOne({ email: email.trim().toLowerCase(), active: true }).select('+passwordHash').lean()
      : null;
  const matches = await bcrypt.compare(String(password ?? ''), user?.passwordHash ?? (await hashOfNobody()));
  if (!user?.passwordHash || !matches) return null;
  const { passwordHash: _h, ...rest } = user;
  return rest as StaffUser;
}

/** Sets a password and ends the user's sessions; returns the new session version (see StaffUser). */
export async function setPassword(actor: Actor, userId: Types.ObjectId, password: string): Promise<number> {
  if (actor.kind === 'user' && String(actor.id) !== String(userId)) assertRole(actor, 'admin');
  const passwordHash = await hashPassword(password);
  const updated = await User.findOneAndUpdate(
    { _id: userId },
    { $set: { passwordHash }, $inc: { sessionVersion: 1 } },
    { returnDocument: 'after', projection: 'sessionVersion', lean: true },
  );
  if (!updated) throw new CrmError('notFound.user');
  return updated.sessionVersion ?? 0;
}

export async function getUser(id: Types.ObjectId): Promise<StaffUser | null> {
  return (await User.findById(id).select(PUBLIC_FIELDS).lean()) as StaffUser | null;
}

/**
 * The active staff user linked to this chat account, if any: decides staff menu vs. lead intake.
 * Asked on every chat update, so answered from the active staff kept in memory (a team is tens of
 * people); any write of a user bumps the `users` cache version (models/user.ts), so a deactivated
 * or relinked account is seen by every process within a second.
 */
export async function findStaffByChat(channel: ChatChannel, chatUserId: string): Promise<StaffUser | null> {
  const { byChat } = await staffDirectory.get();
  const user = byChat.get(`${channel}\0${String(chatUserId)}`);
  // A copy, so a caller changing it (e.g. its language) never changes the cached one.
  return user ? { ...user, chatIds: { ...user.chatIds } } : null;
}

/**
 * A staff member's name by id, deactivated ones included (a card still shows its former owner),
 * from the same in-memory staff list: null when there is no such user.
 */
export async function staffName(id: unknown): Promise<{ _id: Types.ObjectId; name: string } | null> {
  if (!id) return null;
  const user = (await staffDirectory.get()).byId.get(String(id));
  return user ? { _id: user._id, name: user.name } : null;
}

/** Every staff account (a team is tens of people): active ones by chat account, all by id. */
const staffDirectory = new VersionedCache<{ byChat: Map<string, StaffUser>; byId: Map<string, StaffUser> }>('users', async () => {
  const all = (await User.find({}).select(PUBLIC_FIELDS).lean()) as StaffUser[];
  const byChat = new Map<string, StaffUser>();
  for (const user of all) {
    if (!user.active) continue;
    for (const [channel, chatId] of Object.entries(user.chatIds ?? {})) {
      const key = `${channel}\0${chatId}`;
      if (chatId && !byChat.has(key)) byChat.set(key, user);
    }
  }
  return { byChat, byId: new Map(all.map((u) => [String(u._id), u])) };
});

/** Until start-up provides the session secret, a key of this process only (codes then die with it). */
let linkCodeKey: Buffer = crypto.randomBytes(32);

/**
 * The key link codes are hashed with, derived from the session secret. A code has only 40 bits, so
 * a plain hash read from the database could be reversed offline; a keyed one cannot without the
 * secret, which lives in the environment, never in the database.
 */
export function useLinkCodeSecret(secret: string): void {
  linkCodeKey = crypto.createHash('sha256').update(`chot link codes\0${secret}`).digest();
}

function hashCode(code: string): string {
  return crypto.createHmac('sha256', linkCodeKey).update(code.trim().toUpperCase()).digest('hex');
}

/** A new one-time link code for a staff user, valid 24 hours. Only its keyed hash is stored. */
export async function issueLinkCode(actor: Actor, userId: Types.ObjectId, now = new Date()): Promise<{ code: string; expiresAt: Date }> {
  if (actor.kind === 'user' && String(actor.id) !== String(userId)) assertRole(actor, 'admin');
  // No 0/O/1/I: the code is read off a screen and typed into a phone.
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const code = Array.from(crypto.randomBytes(8), (b) => alphabet[b % alphabet.length]).join('');
  const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS);
  const res = await User.updateOne({ _id: userId }, { $set: { linkCodeHash: hashCode(code), linkCodeExpiresAt: expiresAt } });
  if (!res.matchedCount) throw new CrmError('notFound.user');
  return { code, expiresAt };
}

/**
 * Links a chat account to the staff user holding this code, and burns the code.
 * The update is one atomic step, so a code works once even if sent twice at the same moment.
 */
export async function redeemLinkCode(channel: ChatChannel, chatUserId: string, code: string, now = new Date()): Promise<StaffUser> {
  if (typeof code !== 'string' || !/^[A-Za-z0-9]{4,32}$/.test(code.trim())) throw new CrmError('linkCode.invalid');
  const chatId = String(chatUserId);
  const claim = () =>
    User.findOneAndUpdate(
      { linkCodeHash: hashCode(code), linkCodeExpiresAt: { $gt: now }, active: true },
      { $set: { [`chatIds.${channel}`]: chatId }, $unset: { linkCodeHash: 1, linkCodeExpiresAt: 1 } },
      { returnDocument: 'after', projection: PUBLIC_FIELDS, lean: true },
    );
  let user: StaffUser | null;
  try {
    user = (await claim()) as unknown as StaffUser | null;
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    // The chat account belongs to another staff user (active or not): one chat account is one staff
    // user, so it moves. The unique index refused the claim, so the code is still unused and valid:
    // free the account from its old holder, then claim once more. Freeing only after the code was
    // found valid keeps a wrong code from unlinking anyone.
    await User.updateOne({ [`chatIds.${channel}`]: chatId, linkCodeHash: { $ne: hashCode(code) } }, { $unset: { [`chatIds.${channel}`]: 1 } });
    user = (await claim()) as unknown as StaffUser | null;
  }
  if (!user) throw new CrmError('linkCode.invalid');
  // Where unique indexes are not enforced the claim went through with the old holder still linked.
  await User.updateOne({ _id: { $ne: user._id }, [`chatIds.${channel}`]: chatId }, { $unset: { [`chatIds.${channel}`]: 1 } });
  return user;
}

export async function unlinkChat(actor: Actor, userId: Types.ObjectId, channel: ChatChannel): Promise<void> {
  if (actor.kind === 'user' && String(actor.id) !== String(userId)) assertRole(actor, 'admin');
  await User.updateOne({ _id: userId }, { $unset: { [`chatIds.${channel}`]: 1 } });
}

export async function setUserLanguage(userId: Types.ObjectId, language: Language): Promise<void> {
  await User.updateOne({ _id: userId }, { $set: { language } });
}

/**
 * The next owner for a new lead: the active sales user taking leads who got one longest ago.
 * Claimed in one atomic update, so two leads arriving together go to two people.
 * Falls back to a manager, then an admin, so a lead is never left without an owner.
 */
export async function pickNextOwner(now = new Date()): Promise<StaffUser | null> {
  const sales = await User.findOneAndUpdate(
    { role: 'sales', active: true, takesNewLeads: true },
    { $set: { lastLeadAssignedAt: now } },
    { sort: { lastLeadAssignedAt: 1, _id: 1 }, returnDocument: 'after', projection: PUBLIC_FIELDS, lean: true },
  );
  if (sales) return sales as unknown as StaffUser;
  return pickFallbackOwner();
}

export async function pickFallbackOwner(): Promise<StaffUser | null> {
  for (const role of ['manager', 'admin'] as const) {
    const user = await User.findOne({ role, active: true }).sort({ _id: 1 }).select(PUBLIC_FIELDS).lean();
    if (user) return user as StaffUser;
  }
  return null;
}

/** Active staff of the given roles (digests, alerts). */
export async function listActiveStaff(roles: Role[] = ['admin', 'manager', 'sales']): Promise<StaffUser[]> {
  return (await User.find({ active: true, role: { $in: roles } }).select(PUBLIC_FIELDS).sort({ name: 1 }).lean()) as StaffUser[];
}
