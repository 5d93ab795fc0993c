import { Settings, type SettingsFields } from '../../models/settings.js';
import { assertRole, type Actor } from '../users/actor.js';
import { CrmError } from '../shared/errors.js';
import { VersionedCache } from '../shared/versionedCache.js';

export type CompanySettings = Pick<
  SettingsFields,
  'dontForgetDays' | 'staleOpportunityDays' | 'digestHour' | 'timezone' | 'companyName' | 'defaultLanguage' | 'roundRobin'
>;

/**
 * The company settings, created with defaults on first read (atomic upsert: never two documents).
 * Every chat update reads them, so they are kept in memory; any write of the settings document
 * bumps the `settings` cache version (models/settings.ts), which every process checks at most a
 * second later.
 */
export async function getSettings(): Promise<CompanySettings> {
  return { ...(await settingsCache.get()) };
}

const settingsCache = new VersionedCache<CompanySettings>('settings', readSettings);

/** The settings as stored, the document created on first need. */
async function readSettings(): Promise<CompanySettings> {
  const existing = await Settings.findOne({ key: 'global' }).select('-companyLogo').lean();
  if (existing) return existing as CompanySettings;
  return ensureSettings();
}

/** Creates the settings document with defaults when missing (seed, first start). */
export async function ensureSettings(): Promise<CompanySettings> {
  const doc = await Settings.findOneAndUpdate(
    { key: 'global' },
    { $setOnInsert: { key: 'global' } },
    { upsert: true, returnDocument: 'after', setDefaultsOnInsert: true, lean: true },
  );
  return doc as CompanySettings;
}

export async function updateSettings(actor: Actor, patch: Partial<CompanySettings>): Promise<CompanySettings> {
  assertRole(actor, 'admin');
  const allowed: (keyof CompanySettings)[] = ['dontForgetDays', 'staleOpportunityDays', 'digestHour', 'timezone', 'companyName', 'defaultLanguage', 'roundRobin'];
  const $set = Object.fromEntries(Object.entries(patch).filter(([k, v]) => allowed.includes(k as keyof CompanySettings) && v !== undefined));
  if ($set.timezone !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: String($set.timezone) });
    } catch {
      throw new CrmError('invalid', { field: 'timezone' });
    }
  }
  await ensureSettings();
  const doc = await Settings.findOneAndUpdate({ key: 'global' }, { $set }, { returnDocument: 'after', runValidators: true, lean: true });
  return doc as CompanySettings;
}
