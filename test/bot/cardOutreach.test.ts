import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { startSmtpServer } from '../outreach/helpers.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { EmailSender } from '../../crm/outreach/email/emailSender.js';
import { SmsSender } from '../../crm/outreach/sms/smsSender.js';
import { ConsoleSmsProvider } from '../../crm/outreach/sms/providers.js';
import { createLogger } from '../../app/logger.js';
import { actionData } from '../../bot/core/actions.js';
import { Customer } from '../../models/customer.js';
import { Interaction } from '../../models/interaction.js';
import { buttonUpdate, createTelegramTestBot, textUpdate, type TgUser } from './telegramHarness.js';

useTestDatabase();

const salesTg: TgUser = { id: 5101, first_name: 'Hà' };
const otherTg: TgUser = { id: 5102, first_name: 'Tú' };

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
const senders: EmailSender[] = [];
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(async () => {
  for (const sender of senders) sender.close();
  await smtp.stop();
});
beforeEach(() => {
  smtp.received.length = 0;
});

async function setUp(opts: { email?: boolean; sms?: boolean } = {}) {
  const sales = await makeStaff('sales', { chatIds: { telegram: String(salesTg.id) }, name: 'Hà Sales' });
  const other = await makeStaff('sales', { chatIds: { telegram: String(otherTg.id) }, name: 'Tú Sales' });
  const { bot, tg, notifier } = createTelegramTestBot();
  if (opts.email !== false) {
    const email = new EmailSender({ smtpUrl: smtp.url, from: 'Công ty ABC <sales@abc.vn>', unsubscribeDays: 180, openTracking: false });
    senders.push(email);
    notifier.registerOutreach(email);
  }
  if (opts.sms) notifier.registerOutreach(new SmsSender({ provider: new ConsoleSmsProvider(createLogger('silent'), 'CONGTYABC'), pricePerSegmentVnd: 800 }));
  return { sales, other, bot, tg };
}

describe("the card's ✉ Email and 💬 SMS send for real when the channel is configured", () => {
  it('a salesperson writes an email from the card, sees a preview, sends it, and the interaction records it as sent', async () => {
    const { sales, bot, tg } = await setUp();
    const customer = await createCustomer(sales.actor, { name: 'Lê Thị Mai', phones: ['0912345678'], email: 'mai@example.vn' });
    await bot.handleUpdate(textUpdate(salesTg, '/find mai'));
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Email')));
    expect(tg.lastText(salesTg.id)).toBe('✉️ Gửi email cho Lê Thị Mai (mai@example.vn). Tiêu đề email?');
    expect(tg.lastButtons(salesTg.id).map((b) => b.text)).toEqual(['📝 Chỉ ghi nhận', 'Huỷ']);
    await bot.handleUpdate(textUpdate(salesTg, 'Báo giá căn hộ 2PN'));
    await bot.handleUpdate(textUpdate(salesTg, 'Chào chị Mai,\nEm gửi chị báo giá <căn góc> như đã hẹn.'));
    expect(tg.lastText(salesTg.id)).toBe('Xem trước — email tới mai@example.vn\nTiêu đề: Báo giá căn hộ 2PN\n\nChào chị Mai,\nEm gửi chị báo giá <căn góc> như đã hẹn.');
    expect(smtp.received).toHaveLength(0);

    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Gửi')));
    expect(tg.lastText(salesTg.id)).toContain('✅ Đã gửi email cho Lê Thị Mai.');
    expect(tg.lastText(salesTg.id)).toContain('email — đã gửi: Báo giá căn hộ 2PN');
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.to).toEqual(['mai@example.vn']);
    expect(smtp.received[0]!.parsed.subject).toBe('Báo giá căn hộ 2PN');
    expect(smtp.received[0]!.parsed.text).toContain('Em gửi chị báo giá <căn góc> như đã hẹn.');
    expect(String(smtp.received[0]!.parsed.html)).toContain('báo giá &lt;căn góc&gt;');

    const logged = await Interaction.findOne({ customer: customer._id, type: 'email' }).lean();
    expect(logged).toMatchObject({ outcome: 'sent', channel: 'email', countsAsContact: true, delivery: { status: 'sent' } });
    expect(logged!.text).toBe('Báo giá căn hộ 2PN\n\nChào chị Mai,\nEm gửi chị báo giá <căn góc> như đã hẹn.');
    expect(logged!.delivery!.providerId).toBeTruthy();
    expect(String(logged!.user)).toBe(String(sales.user._id));
    expect((await Customer.findById(customer._id).lean())!.lastContactAt).toBeInstanceOf(Date);

    // Pressing the old "Gửi" again sends nothing twice.
    await bot.handleUpdate(buttonUpdate(salesTg, actionData.outreachSend));
    expect(smtp.received).toHaveLength(1);
    expect(await Interaction.countDocuments({ customer: customer._id, type: 'email' })).toBe(1);
  });

  it('a refused email (550) is logged with the refusal and the code, not as contact', async () => {
    const { sales, bot, tg } = await setUp();
    const customer = await createCustomer(sales.actor, { name: 'Trần Văn Nam', phones: ['0912000111'], email: 'nobody@example.vn' });
    await bot.handleUpdate(textUpdate(salesTg, '/find nam'));
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Email')));
    await bot.handleUpdate(textUpdate(salesTg, 'Hẹn gặp'));
    await bot.handleUpdate(textUpdate(salesTg, 'Thứ 6 anh rảnh không ạ?'));
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Gửi')));
    expect(tg.lastText(salesTg.id)).toContain('❌ Chưa gửi được email cho Trần Văn Nam: địa chỉ/số điện thoại không nhận được tin.');
    const logged = await Interaction.findOne({ customer: customer._id, type: 'email' }).lean();
    expect(logged).toMatchObject({ outcome: 'failed', countsAsContact: false, delivery: { status: 'failed', reason: 'invalid_address', code: '550' } });
    expect(logged!.text).toContain('Thứ 6 anh rảnh không ạ?');
    expect((await Customer.findById(customer._id).lean())!.lastContactAt).toBeUndefined();
  });

  it('SMS: the preview shows the unaccented text with its parts and cost, and the log keeps what was sent', async () => {
    const { sales, bot, tg } = await setUp({ sms: true });
    const customer = await createCustomer(sales.actor, { name: 'Phạm Đức Anh', phones: ['0987654321'] });
    await bot.handleUpdate(textUpdate(salesTg, '/find duc anh'));
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'SMS')));
    expect(tg.lastText(salesTg.id)).toBe('💬 Gửi SMS cho Phạm Đức Anh (0987 654 321). Nội dung tin nhắn? Tin sẽ gửi không dấu.');
    await bot.handleUpdate(textUpdate(salesTg, 'Chào anh Đức, em là Hà bên Công ty ABC. Hẹn anh 9h sáng mai xem nhà mẫu ạ.'));
    expect(tg.lastText(salesTg.id)).toBe(
      'Xem trước — SMS tới 0987 654 321, không dấu: 1 tin, khoảng 800 ₫ (có dấu sẽ là 2 tin, 1.600 ₫):\n\nChao anh Duc, em la Ha ben Cong ty ABC. Hen anh 9h sang mai xem nha mau a.',
    );
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Gửi')));
    expect(tg.lastText(salesTg.id)).toContain('✅ Đã gửi SMS cho Phạm Đức Anh.');
    expect(await Interaction.findOne({ customer: customer._id, type: 'sms' }).lean()).toMatchObject({
      outcome: 'sent',
      channel: 'phone',
      text: 'Chao anh Duc, em la Ha ben Cong ty ABC. Hen anh 9h sang mai xem nha mau a.',
      delivery: { status: 'sent' },
    });
  });

  it('"Chỉ ghi nhận" and an unconfigured channel keep the old log-only flow; nothing is sent', async () => {
    const { sales, bot, tg } = await setUp();
    await createCustomer(sales.actor, { name: 'Lê Thị Mai', phones: ['0912345678'], email: 'mai@example.vn' });
    await bot.handleUpdate(textUpdate(salesTg, '/find mai'));
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Email')));
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Chỉ ghi nhận')));
    expect(tg.lastText(salesTg.id)).toBe('Kết quả email với Lê Thị Mai?');
    // SMS is not configured here: the card's SMS logs as before.
    await bot.handleUpdate(textUpdate(salesTg, '/find mai'));
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'SMS')));
    expect(tg.lastText(salesTg.id)).toBe('Kết quả SMS với Lê Thị Mai?');
    expect(smtp.received).toHaveLength(0);
  });

  it("another salesperson's button on a customer they do not own sends nothing", async () => {
    const { sales, bot, tg } = await setUp();
    const customer = await createCustomer(sales.actor, { name: 'Lê Thị Mai', phones: ['0912345678'], email: 'mai@example.vn' });
    await bot.handleUpdate(buttonUpdate(otherTg, actionData.log('email', customer._id)));
    expect(tg.lastText(otherTg.id)).not.toContain('Tiêu đề email');
    await bot.handleUpdate(textUpdate(otherTg, 'Tiêu đề'));
    await bot.handleUpdate(buttonUpdate(otherTg, actionData.outreachSend));
    expect(smtp.received).toHaveLength(0);
    expect(await Interaction.countDocuments({ customer: customer._id })).toBe(0);
  });
});
