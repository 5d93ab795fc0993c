/**
 * Every process keeps the company settings and the staff list in memory (crm/shared/versionedCache.ts).
 * With two web processes and a third writer on one database, a change made by any of them must
 * reach the others within about a second: a staff account linked in one chat process, new company
 * settings, a deactivated salesperson.
 */
import { jest } from '@jest/globals';
import { issueLinkCode, createUser, useLinkCodeSecret } from '../../crm/users/users.js';
import { updateStaff } from '../../crm/catalog/staff.js';
import { updateSettings } from '../../crm/settings/settings.js';
import { SYSTEM } from '../../crm/users/actor.js';
import { AppProcess, eventually, killAll } from '../reliability/helpers/appProcess.js';
import { FakePlatforms } from '../reliability/helpers/channels.js';
import { postTelegramUpdate, telegramText } from '../reliability/helpers/fakeTelegram.js';
import { useSharedDatabase } from '../reliability/helpers/sharedDatabase.js';

jest.setTimeout(120_000);

const db = useSharedDatabase();
const platforms = new FakePlatforms();
let webA: AppProcess;
let webB: AppProcess;
/** A second is the promise; the rest is slack for a loaded test machine. */
const SEEN_WITHIN_MS = 4000;
/** What a stranger typing a staff command is told. */
const STAFF_ONLY = 'dành cho nhân viên';

beforeAll(async () => {
  await platforms.start();
  // Codes issued here are checked by the app processes: the same secret they were given.
  useLinkCodeSecret(platforms.env(db.uri).SESSION_SECRET!);
  [webA, webB] = await Promise.all([AppProcess.start('web A', 'web', platforms.env(db.uri)), AppProcess.start('web B', 'web', platforms.env(db.uri))]);
}, 120_000);

afterAll(async () => {
  await killAll();
  await platforms.stop();
});

/** Sends one text to a process and returns what the chat was answered. */
async function say(app: AppProcess, chat: number, text: string): Promise<string> {
  const before = platforms.telegram.texts(chat).length;
  expect((await postTelegramUpdate(app.base, telegramText(chat, text))).status).toBe(200);
  return platforms.telegram.texts(chat).slice(before).join('\n');
}

it('a chat account linked on one process is staff on the other at once; deactivated from a third, it is staff nowhere', async () => {
  const chat = 9101;
  const user = await createUser(SYSTEM, { name: 'Mai Sales', email: 'mai@chot.test', role: 'sales', password: 'mat-khau-12345' });
  // Both processes have loaded their staff list: this chat is a stranger to each.
  expect(await say(webA, chat, '/find lan')).toContain(STAFF_ONLY);
  expect(await say(webB, chat, '/find lan')).toContain(STAFF_ONLY);

  const { code } = await issueLinkCode(SYSTEM, user._id);
  expect(await say(webA, chat, `/link ${code}`)).toContain('Mai Sales');
  // The link was written by web A; web B answers the same person as staff right after.
  const started = Date.now();
  await eventually(async () => (await say(webB, chat, '/find lan')).includes('Không tìm thấy'), 'web B to see the new link', SEEN_WITHIN_MS);
  expect(Date.now() - started).toBeLessThan(SEEN_WITHIN_MS);

  // Deactivated by another process (the panel's own crm call): neither process takes their commands.
  await updateStaff(SYSTEM, user._id, { active: false });
  for (const web of [webA, webB]) {
    await eventually(async () => (await say(web, chat, '/find lan')).includes(STAFF_ONLY), `${web.name} to refuse the deactivated account`, SEEN_WITHIN_MS);
  }
});

it('new company settings written by one process show in both chat processes', async () => {
  const [visitorA, visitorB] = [9201, 9202];
  expect(await say(webA, visitorA, '/start')).toContain('Xin chào! Đây là chot');
  expect(await say(webB, visitorB, '/start')).toContain('Xin chào! Đây là chot');
  await updateSettings(SYSTEM, { companyName: 'Nhà Đất Phú Mỹ' });
  for (const [web, visitor] of [[webA, visitorA], [webB, visitorB]] as const) {
    await eventually(async () => (await say(web, visitor, '/start')).includes('Đây là Nhà Đất Phú Mỹ'), `${web.name} to greet with the new name`, SEEN_WITHIN_MS);
  }
});
