import type { Types } from 'mongoose';
import { foldVietnamese } from '../customers/searchText.js';
import { listActiveStaff, type StaffUser } from '../users/users.js';

/** An @name that fits several colleagues: the person picks one (chat) or writes it longer (panel). */
export interface AmbiguousMention {
  name: string;
  candidates: StaffUser[];
}

export interface ResolvedMentions {
  mentioned: StaffUser[];
  ambiguous: AmbiguousMention[];
  /** @names that fit nobody: said plainly, the comment is saved all the same. */
  unknown: string[];
}

/** Letters (with Vietnamese marks), digits, and `.`/`_`/`-` joining parts of a name: `@lan`, `@tran.lan`. */
const MENTION = /(^|[^\p{L}\p{N}_])@([\p{L}\p{M}\p{N}]+(?:[._-][\p{L}\p{M}\p{N}]+)*)/gu;
/** A comment naming more people than this is a broadcast, not a mention; the rest are ignored. */
export const MAX_MENTIONS = 10;

/** The @names typed in a text, in order, each once. */
export function mentionNames(text: string): string[] {
  const names: string[] = [];
  for (const m of String(text ?? '').normalize('NFC').matchAll(MENTION)) {
    if (!names.includes(m[2]) && names.length < MAX_MENTIONS) names.push(m[2]);
  }
  return names;
}

/**
 * Who an @name means, without diacritics: every part must be a word of the colleague's name
 * (`@lan`, `@tran.lan`, `@Đức` for "Nguyễn Văn Đức"), or the whole name run together, or the
 * part of their email before the @.
 */
export function staffMatching(name: string, staff: StaffUser[]): StaffUser[] {
  const folded = foldVietnamese(name);
  const parts = folded.split(/[._-]/).filter(Boolean);
  return staff.filter((s) => {
    const words = foldVietnamese(s.name ?? '').split(' ');
    const emailName = foldVietnamese(String(s.email ?? '').split('@')[0]);
    return parts.every((p) => words.includes(p)) || words.join('') === folded.replace(/[._-]/g, '') || emailName === folded;
  });
}

/** Reads the @names of a comment against the active staff; the author naming themselves is ignored. */
export async function resolveMentions(text: string, authorId?: Types.ObjectId): Promise<ResolvedMentions> {
  const names = mentionNames(text);
  const out: ResolvedMentions = { mentioned: [], ambiguous: [], unknown: [] };
  if (!names.length) return out;
  const staff = (await listActiveStaff()).filter((s) => !authorId || String(s._id) !== String(authorId));
  for (const name of names) {
    const found = staffMatching(name, staff);
    if (found.length === 1) {
      if (!out.mentioned.some((m) => String(m._id) === String(found[0]._id))) out.mentioned.push(found[0]);
    } else if (found.length > 1) out.ambiguous.push({ name, candidates: found });
    else out.unknown.push(name);
  }
  return out;
}
