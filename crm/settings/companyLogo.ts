import { Settings } from '../../models/settings.js';
import { assertRole, type Actor } from '../users/actor.js';
import { CrmError } from '../shared/errors.js';
import { getSettings } from './settings.js';
import { sniffContentType } from '../attachments/sniff.js';

/** Big enough for a crisp logo on an A4 header, small enough to sit in the settings document. */
export const MAX_LOGO_BYTES = 200 * 1024;

/** The image types a logo may be (what a PDF can embed): PNG or JPEG, told by the bytes as every upload is. */
const LOGO_TYPES = ['image/png', 'image/jpeg'];

function logoContentType(bytes: Buffer): string | undefined {
  const type = sniffContentType(bytes)?.contentType;
  return type && LOGO_TYPES.includes(type) ? type : undefined;
}

/** Sets (or with `null` removes) the company logo printed on quotes. Admins only. */
export async function setCompanyLogo(actor: Actor, bytes: Buffer | null): Promise<void> {
  assertRole(actor, 'admin');
  if (bytes && (bytes.length > MAX_LOGO_BYTES || !logoContentType(bytes))) throw new CrmError('invalid', { field: 'companyLogo' });
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
  const type = bytes && logoContentType(bytes);
  return type ? `data:${type};base64,${bytes.toString('base64')}` : null;
}
