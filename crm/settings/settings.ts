import { Settings, type SettingsFields } from '../../models/settings.js';
import { assertRole, type Actor } from '../users/actor.js';
import { CrmError } from '../shared/errors.js';

export type CompanySettings = Pick<
  SettingsFields,
  'dontForgetDays' | 'staleOpportunityDays' | 'digestHour' | 'timezone' | 'companyName' | 'defaultLanguage' | 'roundRobin'
>;

/**
 * The company settings, created with defaults on first read (atomic upsert: never two documents).
 * Every chat update reads them, so the usual case is a plain read; only a missing document is upserted.
 */
export async function getSettings(): Promise<CompanySettings> {
  const existing = await Settings.findOne({ key: 'global' }).select('-companyLogo').lean();
  if (existing) return existing as CompanySettings;
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
  await getSettings();
  const doc = await Settings.findOneAndUpdate({ key: 'global' }, { $set }, { returnDocument: 'after', runValidators: true, lean: true });
  return doc as CompanySettings;
}
