import { Types } from 'mongoose';
import { Customer } from '../../models/customer.js';
import { User } from '../../models/user.js';
import { CrmError } from '../shared/errors.js';
import { tryNormalizePhone } from './phone.js';
import { foldVietnamese } from './searchText.js';
import { byPhone } from './phoneFilter.js';
import { staffName } from '../users/users.js';

/**
 * The referrer ("người giới thiệu"): a customer or a staff member who brought the customer in.
 * Typed the way people know them — a customer's phone or KH code, a staff member's name or email —
 * and resolved here once, for the chat, the panel and CSV import alike.
 */

export type ReferrerKind = 'customer' | 'user';

export interface ReferrerRef {
  kind: ReferrerKind;
  id: Types.ObjectId;
}

export interface ReferrerView extends ReferrerRef {
  /** The customer's `KH… · name`, or the staff member's name. */
  name: string;
}

/** `KH12`, `kh 000012` → `KH000012`; anything else is not a customer code. */
export function customerCodeOf(text: string): string | undefined {
  const m = /^kh0*(\d{1,6})$/i.exec(String(text ?? '').replace(/\s/g, ''));
  return m ? `KH${m[1].padStart(6, '0')}` : undefined;
}

/** Finds who a typed referrer means, or refuses with what was typed so the person can correct it. */
export async function findReferrer(typed: string): Promise<ReferrerView> {
  const text = String(typed ?? '').trim().slice(0, 120);
  const unknown = () => new CrmError('referrer.unknown', { input: text.slice(0, 60) });
  if (!text) throw unknown();
  // "KH000012 · Lan" (how the card and the panel show a customer referrer) means KH000012.
  const code = customerCodeOf(text.split('·')[0]);
  const phone = code ? undefined : tryNormalizePhone(text);
  if (code || phone) {
    const filter = code ? { code } : byPhone(phone);
    const customer = await Customer.findOne({ ...filter, deletedAt: null }).select('code name').lean();
    if (!customer) throw unknown();
    return { kind: 'customer', id: customer._id, name: `${customer.code} · ${customer.name}` };
  }
  const wanted = foldVietnamese(text);
  // Staff are few: compare folded names and emails here rather than trusting a regex on raw text.
  const staff = await User.find({ active: true }).select('name email').lean();
  const matches = staff.filter((u) => foldVietnamese(u.name ?? '') === wanted || foldVietnamese(u.email ?? '') === wanted);
  if (matches.length !== 1) throw matches.length ? new CrmError('referrer.ambiguous', { input: text.slice(0, 60) }) : unknown();
  return { kind: 'user', id: matches[0]._id, name: matches[0].name };
}

/**
 * Checks a referrer given by id (the panel, an API) and refuses a customer referring themselves:
 * by id when the customer exists, by a shared phone when it is being created.
 */
export async function checkReferrer(ref: { kind: string; id: unknown }, self: { id?: Types.ObjectId; phones?: string[] }): Promise<ReferrerView> {
  if ((ref.kind !== 'customer' && ref.kind !== 'user') || !Types.ObjectId.isValid(String(ref.id))) {
    throw new CrmError('referrer.unknown', { input: String(ref.id ?? '').slice(0, 60) });
  }
  const view = await describeReferrer({ kind: ref.kind, id: new Types.ObjectId(String(ref.id)) });
  if (!view) throw new CrmError('referrer.unknown', { input: String(ref.id).slice(0, 60) });
  if (view.kind === 'customer') {
    if (self.id && String(self.id) === String(view.id)) throw new CrmError('referrer.self');
    if (self.phones?.length) {
      const holder = await Customer.findOne({ _id: view.id, ...byPhone({ $in: self.phones }) }).select('_id').lean();
      if (holder) throw new CrmError('referrer.self');
    }
  }
  return view;
}

/** The referrer as people read it, or null when it no longer exists. */
export async function describeReferrer(ref: ReferrerRef | null | undefined): Promise<ReferrerView | null> {
  if (!ref?.id) return null;
  if (ref.kind === 'customer') {
    const c = await Customer.findOne({ _id: ref.id, deletedAt: null }).select('code name').lean();
    return c ? { kind: 'customer', id: c._id, name: `${c.code} · ${c.name}` } : null;
  }
  const u = await staffName(ref.id);
  return u ? { kind: 'user', id: u._id, name: u.name } : null;
}
