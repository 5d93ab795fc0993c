import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { captureLead } from '../../crm/customers/captureLead.js';
import { Customer } from '../../models/customer.js';
import { Interaction } from '../../models/interaction.js';
import { createTelegramTestBot, textUpdate, type TgUser } from './telegramHarness.js';
import { newClientId, newVisitorId, startWebChat, type WebChatHarness } from './webHarness.js';

useTestDatabase();

const ownerTg: TgUser = { id: 6301, first_name: 'Chủ' };
const prospectTg: TgUser = { id: 7301, first_name: 'Lan' };

/** A person already on record goes through the intake again: nothing they say now is dropped. */
describe('a known phone coming through the chat intake again', () => {
  it('on Telegram: keeps the name, adds the need to the history, logs what they said, and the owner\'s card shows both needs', async () => {
    await makeStaff('sales', { name: 'Chủ Khách', chatIds: { telegram: String(ownerTg.id) } });
    const { customer } = await captureLead({ channel: 'web', chatId: 'v-old', name: 'Nguyễn Thị Lan', phone: '0912 345 678', need: 'Căn hộ 2 phòng ngủ' });
    const { bot, tg } = createTelegramTestBot();

    await bot.handleUpdate(textUpdate(prospectTg, '/start'));
    await bot.handleUpdate(textUpdate(prospectTg, 'Lan Nguyễn'));
    await bot.handleUpdate(textUpdate(prospectTg, '0912 345 678'));
    await bot.handleUpdate(textUpdate(prospectTg, 'Nhà phố quận 7'));
    expect(tg.lastText(prospectTg.id)).toContain('Cảm ơn Lan Nguyễn!');

    const stored = (await Customer.findById(customer._id).lean())!;
    expect(stored).toMatchObject({ name: 'Nguyễn Thị Lan', need: 'Nhà phố quận 7' });
    expect(stored.needs!.map((n) => n.text)).toEqual(['Căn hộ 2 phòng ngủ', 'Nhà phố quận 7']);
    const said = await Interaction.findOne({ customer: customer._id, channel: 'telegram' }).lean();
    expect(said).toMatchObject({ type: 'message_in', text: 'Khách xưng tên: Lan Nguyễn\nNhà phố quận 7' });

    const alert = tg.lastText(ownerTg.id);
    expect(alert).toContain('🔁 Khách cũ nhắn lại từ Telegram');
    expect(alert).toContain('Nhu cầu: Nhà phố quận 7');
    expect(alert).toMatch(/Các nhu cầu đã nêu:\n• \d\d\/\d\d\/\d{4} Căn hộ 2 phòng ngủ\n• \d\d\/\d\d\/\d{4} Nhà phố quận 7/);
  });

  describe('on the web chat', () => {
    let web: WebChatHarness;
    beforeAll(async () => {
      web = await startWebChat();
    });
    afterAll(async () => {
      await web.stop();
    });

    it('keeps the name and both needs, and logs what they said on the web channel', async () => {
      await makeStaff('sales');
      const { customer } = await captureLead({ channel: 'telegram', chatId: '999', name: 'Phạm Văn Tùng', phone: '0903 222 111', need: 'Đất nền' });
      const visitorId = newVisitorId();
      const send = (fields: Record<string, unknown>) => web.post('/chat/api/messages', { visitorId, clientMessageId: newClientId(), after: 0, ...fields });
      await send({ start: true });
      await send({ text: 'Anh Tùng' });
      await send({ text: '0903222111' });
      await send({ text: 'Căn hộ cho thuê' });

      const stored = (await Customer.findById(customer._id).lean())!;
      expect(stored.name).toBe('Phạm Văn Tùng');
      expect(stored.needs!.map((n) => [n.text, n.channel])).toEqual([
        ['Đất nền', 'telegram'],
        ['Căn hộ cho thuê', 'web'],
      ]);
      const said = await Interaction.findOne({ customer: customer._id, channel: 'web' }).lean();
      expect(said?.text).toBe('Khách xưng tên: Anh Tùng\nCăn hộ cho thuê');
    });
  });
});
