/**
 * Two web processes (`npm run web` ×2) behind a load balancer that spreads one chat's quick
 * messages over both: the chat's updates must still run one at a time, in the order they came, so
 * neither answer's session change overwrites the other's.
 */
import { jest } from '@jest/globals';
import { ChatSession } from '../../models/chatSession.js';
import { Customer } from '../../models/customer.js';
import { User } from '../../models/user.js';
import { createUser } from '../../crm/users/users.js';
import { SYSTEM } from '../../crm/users/actor.js';
import { AppProcess, eventually, killAll } from './helpers/appProcess.js';
import { FakePlatforms } from './helpers/channels.js';
import { postTelegramUpdate, telegramText } from './helpers/fakeTelegram.js';
import { useSharedDatabase } from './helpers/sharedDatabase.js';

jest.setTimeout(120_000);

const db = useSharedDatabase();
const platforms = new FakePlatforms();
let webA: AppProcess;
let webB: AppProcess;

beforeAll(async () => {
  await platforms.start();
  [webA, webB] = await Promise.all([AppProcess.start('web A', 'web', platforms.env(db.uri)), AppProcess.start('web B', 'web', platforms.env(db.uri))]);
  const sales = await createUser(SYSTEM, { name: 'Lan Sales', email: 'sales@chot.test', role: 'sales', password: 'mat-khau-12345' });
  await User.updateOne({ _id: sales._id }, { $set: { 'chatIds.telegram': '6000' } });
}, 120_000);

afterAll(async () => {
  await killAll();
  await platforms.stop();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until some process holds the chat, or the request already came back (nothing left to overlap). */
async function heldOrAnswered(lead: number, request: Promise<unknown>): Promise<void> {
  let answered = false;
  void request.then(() => (answered = true), () => (answered = true));
  while (!answered && !(await ChatSession.exists({ chatId: String(lead), leaseHolder: { $exists: true } }))) await pause(2);
}

it('a name sent to one process and a phone sent to the other a moment later are both kept, in that order', async () => {
  // Several chats at once, so the two processes are busy as under real traffic.
  const leads = [8201, 8202, 8203, 8204, 8205, 8206];
  const names = ['Lan', 'Minh', 'Hoa', 'Tuấn', 'Hương', 'Nam'];
  await Promise.all(
    leads.map(async (lead, i) => {
      expect((await postTelegramUpdate(webA.base, telegramText(lead, '/start'))).status).toBe(200);
      const name = names[i]!;
      const phone = `091234${String(5600 + i)}`;
      // The name reaches web A; the phone reaches web B while A is still handling the name.
      const first = postTelegramUpdate(webA.base, telegramText(lead, name, name));
      // "A moment later" means once A has the chat: on a loaded machine a fixed pause can let B's
      // request in first, and then the phone is, rightly, handled first.
      await heldOrAnswered(lead, first);
      const second = postTelegramUpdate(webB.base, telegramText(lead, phone, name));
      expect((await Promise.all([first, second])).map((r) => r.status)).toEqual([200, 200]);
      expect((await postTelegramUpdate(webA.base, telegramText(lead, 'Căn hộ 2 phòng ngủ', name))).status).toBe(200);
    }),
  );
  for (const [i, lead] of leads.entries()) {
    const texts = platforms.telegram.texts(lead);
    // In order: the name was answered by the phone question, the phone by the need question.
    expect(texts.filter((t) => t.includes('Bạn tên là gì'))).toHaveLength(1);
    expect(texts.slice(-3, -1)).toEqual([expect.stringContaining('Số điện thoại'), expect.stringContaining('tư vấn về điều gì')]);
    expect(texts.at(-1)).toContain(`Cảm ơn ${names[i]}`);
    const customer = await eventually(() => Customer.findOne({ phones: `+8491234${String(5600 + i)}` }).lean(), `lead ${lead} stored`);
    expect(customer).toMatchObject({ name: names[i], need: 'Căn hộ 2 phòng ngủ' });
  }
  // Every chat is free again for its next update.
  expect(await ChatSession.countDocuments({ chatId: { $in: leads.map(String) }, leaseHolder: { $exists: true } })).toBe(0);
});

it('a chat held by a process that died is free again once the reservation lapses', async () => {
  const lead = 8301;
  // What a process killed mid-update leaves behind: the chat reserved, with a deadline just past.
  await ChatSession.collection.insertOne({ channel: 'telegram', chatId: String(lead), data: {}, lastChoices: [], relays: [], leaseHolder: 'dead-process', leaseUntil: new Date(Date.now() + 1500) });
  const started = Date.now();
  expect((await postTelegramUpdate(webB.base, telegramText(lead, '/start'))).status).toBe(200);
  expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  expect(platforms.telegram.texts(lead)[0]).toContain('Xin chào');
});
