import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { tinyPng } from '../helpers/images.js';
import { companyLogoDataUrl, readCompanyLogo, setCompanyLogo } from '../../crm/settings/companyLogo.js';
import { updateSettings } from '../../crm/settings/settings.js';
import { CacheVersion } from '../../models/cacheVersion.js';

/**
 * The company logo: a PNG or JPEG told by its bytes (the attachments' sniffer decides), kept on the
 * settings document but outside the settings every process caches, so saving it invalidates nothing.
 */
useTestDatabase();

const settingsVersion = async () => (await CacheVersion.findOne({ name: 'settings' }).lean())?.version ?? 0;
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);

describe('the company logo', () => {
  it('takes a PNG or a JPEG, told by the bytes, and refuses other images and text', async () => {
    const { actor } = await makeStaff('admin');
    await setCompanyLogo(actor, JPEG);
    expect(await companyLogoDataUrl(actor)).toBe(`data:image/jpeg;base64,${JPEG.toString('base64')}`);
    await setCompanyLogo(actor, tinyPng());
    expect(await companyLogoDataUrl(actor)).toMatch(/^data:image\/png;base64,/);
    for (const refused of [Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), Buffer.from('logo công ty')]) {
      await expect(setCompanyLogo(actor, refused)).rejects.toMatchObject({ code: 'invalid' });
    }
    expect(await readCompanyLogo()).toEqual(tinyPng());
  });

  it('saving or removing it leaves the cached settings valid; a settings change does not', async () => {
    const { actor } = await makeStaff('admin');
    await updateSettings(actor, { companyName: 'Công ty TNHH Hoa Sen' });
    const before = await settingsVersion();
    await setCompanyLogo(actor, tinyPng());
    await setCompanyLogo(actor, null);
    expect(await settingsVersion()).toBe(before);
    await updateSettings(actor, { companyName: 'Công ty TNHH Hoa Sen Việt' });
    expect(await settingsVersion()).toBeGreaterThan(before);
  });
});
