import { Settings } from '../../models/settings.js';
import { assertRole, type Actor } from '../users/actor.js';
import { CrmError } from '../shared/errors.js';
import { getSettings } from './settings.js';

/** Big enough for a crisp logo on an A4 header, small enough to sit in the settings document. */
export const MAX_LOGO_BYTES = 200 * 1024;

/** PNG or JPEG, told by the bytes (never by a name or a declared type). */
export function logoType(bytes: Buffer): 'png' | 'jpeg' | undefined {
  if (bytes.length > 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}

/** Sets (or with `null` removes) the company logo printed on quotes. Admins only. */
export async function setCompanyLogo(actor: Actor, bytes: Buffer | null): Promise<void> {
  assertRole(actor, 'admin');
  if (bytes && (bytes.length > MAX_LOGO_BYTES || !logoType(bytes))) throw new CrmError('invalid', { field: 'companyLogo' });
  await getSettings();
  await Settings.updateOne({ key: 'global' }, bytes ? { $set: { companyLogo: bytes.toString('base64') } } : { $unset: { companyLogo: 1 } });
}

/** The logo's bytes for documents, when one is set (kept out of the settings every chat update reads). */
export async function readCompanyLogo(): Promise<Buffer | undefined> {
  const doc = await Settings.findOne({ key: 'global' }).select('companyLogo').lean();
  return doc?.companyLogo ? Buffer.from(doc.companyLogo, 'base64') : undefined;
}

/** The logo as a data URL for the panel's preview, or null when none is set. Admins only. */
export async function companyLogoDataUrl(actor: Actor): Promise<string | null> {
  assertRole(actor, 'admin');
  const bytes = await readCompanyLogo();
  const type = bytes && logoType(bytes);
  return type ? `data:image/${type};base64,${bytes.toString('base64')}` : null;
}
