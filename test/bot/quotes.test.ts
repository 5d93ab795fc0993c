import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { pdfText } from '../helpers/pdfText.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { createOpportunity } from '../../crm/opportunities/opportunities.js';
import { createProduct } from '../../crm/products/products.js';
import { updateSettings } from '../../crm/settings/settings.js';
import { Customer } from '../../models/customer.js';
import { Deal } from '../../models/deal.js';
import { Interaction } from '../../models/interaction.js';
import { Opportunity } from '../../models/opportunity.js';
import { Quote } from '../../models/quote.js';
import { buttonUpdate, createTelegramTestBot, textUpdate, type TgUser } from './telegramHarness.js';
import { newClientId, newVisitorId, startWebChat, TEST_ADMIN_HEADER } from './webHarness.js';

useTestDatabase();

const NOW = new Date('2026-12-02T03:00:00Z');
const salesTg: TgUser = { id: 7001, first_name: 'Hà' };
const otherTg: TgUser = { id: 7002, first_name: 'Tú' };
const customerTg: TgUser = { id: 7100, first_name: 'Đức' };

async function setUp() {
  const manager = await makeStaff('manager', { name: 'Quân', takesNewLeads: false });
  const sales = await makeStaff('sales', { chatIds: { telegram: String(salesTg.id) }, name: 'Hà Sales' });
  const other = await makeStaff('sales', { chatIds: { telegram: String(otherTg.id) }, name: 'Tú Sales' });
  await updateSettings(manager.actor.kind === 'user' ? (await makeStaff('admin')).actor : manager.actor, { companyName: 'Công ty Ánh Dương' });
  // Eight products: more than one page of buttons.
  const names = ['Bộ lưu điện', 'Camera quan sát ngoài trời', 'Chuông cửa có hình', 'Đầu ghi hình 8 kênh', 'Ổ cứng 2TB', 'Switch mạng', 'Tủ rack', 'Ăng ten'];
  for (const [i, name] of names.entries()) await createProduct(manager.actor, { name, unit: 'chiếc', price: 1_000_000 + i * 250_000 });
  const customer = await createCustomer(sales.actor, { name: 'Nguyễn Văn Đức', phones: ['0912345678'] });
  await Customer.updateOne({ _id: customer._id }, { $set: { 'chatIds.telegram': String(customerTg.id) } });
  return { manager, sales, other, customer };
}

describe('/quote on Telegram', () => {
  it('builds a quote from a catalogue line and a typed line, confirms the total and sends the PDF to the customer', async () => {
    const { customer } = await setUp();
    const { bot, tg } = createTelegramTestBot({ clock: () => NOW });

    await bot.handleUpdate(textUpdate(salesTg, '/find duc'));
    await bot.handleUpdate(textUpdate(salesTg, '/quote'));
    expect(tg.lastText(salesTg.id)).toContain('📄 Báo giá cho Nguyễn Văn Đức');
    const firstPage = tg.lastButtons(salesTg.id).map((b) => b.text);
    expect(firstPage).toContain('Sau ▶');
    expect(firstPage.filter((l) => l.includes('₫/chiếc'))).toHaveLength(6);

    // Words that are not a whole line search the list, diacritics ignored.
    await bot.handleUpdate(textUpdate(salesTg, 'camera ngoai troi'));
    expect(tg.lastText(salesTg.id)).toContain('Kết quả tìm "camera ngoai troi"');
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Camera quan sát')));
    expect(tg.lastText(salesTg.id)).toContain('Số lượng Camera quan sát ngoài trời');
    await bot.handleUpdate(textUpdate(salesTg, 'bốn'));
    expect(tg.lastText(salesTg.id)).toContain('Số lượng không hợp lệ');
    await bot.handleUpdate(textUpdate(salesTg, '4'));
    expect(tg.lastText(salesTg.id)).toContain('1. Camera quan sát ngoài trời — 4 chiếc × 1.250.000 ₫ = 5.000.000 ₫');

    await bot.handleUpdate(textUpdate(salesTg, 'Lắp đặt và đi dây, 2, 1,5tr'));
    expect(tg.lastText(salesTg.id)).toContain('2. Lắp đặt và đi dây — 2 × 1.500.000 ₫ = 3.000.000 ₫');

    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Xong')));
    expect(tg.lastText(salesTg.id)).toContain('Tạm tính 8.000.000 ₫. Chiết khấu?');
    await bot.handleUpdate(textUpdate(salesTg, '150%'));
    expect(tg.lastText(salesTg.id)).toContain('Chiết khấu không hợp lệ');
    await bot.handleUpdate(textUpdate(salesTg, '500k'));
    const confirm = tg.lastText(salesTg.id);
    expect(confirm).toContain('Chiết khấu: −500.000 ₫');
    expect(confirm).toContain('TỔNG CỘNG: 7.500.000 ₫');
    expect(await Quote.countDocuments()).toBe(0);

    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Gửi cho khách')));
    const [sent] = tg.documents(customerTg.id);
    expect(sent.filename).toBe('BG000001.pdf');
    expect(sent.caption).toContain('Báo giá BG000001 — Công ty Ánh Dương');
    const text = await pdfText(sent.bytes);
    expect(text).toContain('Kính gửi: Nguyễn Văn Đức');
    expect(text).toMatch(/Camera quan sát ngoài trời chiếc 4 1\.250\.000 ₫ 5\.000\.000 ₫/);
    expect(text).toMatch(/Lắp đặt và đi dây 2 1\.500\.000 ₫ 3\.000\.000 ₫/);
    expect(text).toContain('Chiết khấu: −500.000 ₫');
    expect(text).toContain('TỔNG CỘNG: 7.500.000 ₫');
    expect(tg.lastText(salesTg.id)).toContain('✅ Đã gửi báo giá BG000001 (7.500.000 ₫) cho Nguyễn Văn Đức qua Telegram.');

    const quote = await Quote.findOne({ code: 'BG000001' }).lean();
    expect(quote).toMatchObject({ status: 'sent', channel: 'telegram', total: 7_500_000, customer: customer._id });
    expect(await Interaction.findOne({ customer: customer._id, type: 'message_out' }).lean()).toMatchObject({ channel: 'telegram', text: 'Gửi báo giá BG000001: 7.500.000 ₫' });

    const reject = tg.buttonData(salesTg.id, 'Khách từ chối');
    // The confirm button of the old message does not issue a second quote.
    await bot.handleUpdate(buttonUpdate(salesTg, 'qs:customer'));
    expect(await Quote.countDocuments()).toBe(1);

    await bot.handleUpdate(buttonUpdate(salesTg, reject));
    expect(tg.lastText(salesTg.id)).toContain('❌ Báo giá BG000001: khách đã từ chối.');
    expect((await Quote.findOne({ code: 'BG000001' }).lean())?.status).toBe('rejected');
  });

  it('a quote from an opportunity, sent to the salesperson, once accepted wins the opportunity with the quote total', async () => {
    const { sales, customer } = await setUp();
    const opportunity = await createOpportunity(sales.actor, { name: 'Camera cho kho', customer: customer._id, value: 20_000_000 });
    const { bot, tg } = createTelegramTestBot({ clock: () => NOW });

    await bot.handleUpdate(buttonUpdate(salesTg, `op:${opportunity._id}`));
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Báo giá')));
    await bot.handleUpdate(textUpdate(salesTg, 'Trọn gói lắp camera, 1, 12.345.000'));
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Xong')));
    await bot.handleUpdate(textUpdate(salesTg, '10%'));
    expect(tg.lastText(salesTg.id)).toContain('TỔNG CỘNG: 11.110.500 ₫');
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Gửi cho tôi')));

    const [mine] = tg.documents(salesTg.id);
    expect(mine.caption).toContain('chuyển tiếp file này cho khách');
    expect(await pdfText(mine.bytes)).toContain('Về việc: Camera cho kho');
    expect(tg.documents(customerTg.id)).toHaveLength(0);
    expect(await Quote.findOne().lean()).toMatchObject({ status: 'sent', channel: 'staff', opportunity: opportunity._id });

    // The answer comes later: from the customer card, 📄 Báo giá lists the quotes waiting for one.
    await bot.handleUpdate(buttonUpdate(salesTg, `c:${customer._id}`));
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Báo giá')));
    const texts = tg.texts(salesTg.id);
    expect(texts[texts.length - 2]).toContain('• BG000001 — 11.110.500 ₫');
    const accept = tg.buttons(tg.messages(salesTg.id)[texts.length - 2]).find((b) => b.text === '✅ BG000001')!.callback_data!;
    await bot.handleUpdate(buttonUpdate(salesTg, accept));
    expect(tg.lastText(salesTg.id)).toContain('Ghi thắng cơ hội với tổng báo giá 11.110.500 ₫?');
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Thắng')));
    expect(tg.lastText(salesTg.id)).toContain('thắng, hợp đồng 11.110.500 ₫ đã ghi nhận');
    expect(await Opportunity.findById(opportunity._id).lean()).toMatchObject({ status: 'won' });
    const deals = await Deal.find({ opportunity: opportunity._id }).lean();
    expect(deals.map((d) => d.amount)).toEqual([11_110_500]);
  });

  it('a salesperson cannot quote, read or answer for another salesperson’s customer', async () => {
    const { sales, customer } = await setUp();
    const { bot, tg } = createTelegramTestBot({ clock: () => NOW });

    await bot.handleUpdate(textUpdate(otherTg, '/quote'));
    expect(tg.lastText(otherTg.id)).toContain('Mở thẻ khách');
    // A forged button with the other's customer.
    await bot.handleUpdate(buttonUpdate(otherTg, `qn:${customer._id}`));
    expect(tg.lastText(otherTg.id)).toContain('Bạn không có quyền');

    // The owner sends one; the colleague cannot mark it.
    await bot.handleUpdate(buttonUpdate(salesTg, `qn:${customer._id}`));
    await bot.handleUpdate(textUpdate(salesTg, 'Tư vấn, 1, 2 triệu'));
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Xong')));
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Bỏ qua')));
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Gửi cho tôi')));
    const quote = await Quote.findOne().lean();
    await bot.handleUpdate(buttonUpdate(otherTg, `qa:${quote!._id}`));
    expect(tg.lastText(otherTg.id)).toContain('Bạn không có quyền');
    expect((await Quote.findById(quote!._id).lean())?.status).toBe('sent');
    expect(await Quote.countDocuments()).toBe(1);
    expect(sales.user.name).toBe('Hà Sales');
  });
});

describe('/quote on the web chat', () => {
  it('is built by typing only, and the PDF comes as a download link that only its token opens', async () => {
    const web = await startWebChat();
    try {
      const { actor } = await makeStaff('sales', { email: 'lan.sales@test.vn', name: 'Lan' });
      await createCustomer(actor, { name: 'Trần Minh Long', phones: ['0905222333'] });
      const visitorId = newVisitorId();
      const headers = { [TEST_ADMIN_HEADER]: 'lan.sales@test.vn' };
      let after = 0;
      let last: { text: string; document?: { filename: string; url: string } }[] = [];
      const send = async (text: string) => {
        const res = await web.post('/chat/api/messages', { visitorId, clientMessageId: newClientId(), after, text }, headers);
        expect(res.status).toBe(200);
        const mine = res.body.messages as { seq: number; from: string; text: string; document?: { filename: string; url: string } }[];
        after = Math.max(after, ...mine.map((m) => m.seq));
        last = mine.filter((m) => m.from === 'chot');
        return last.map((m) => m.text).join('\n');
      };
      await send('/find tran minh long');
      expect(await send('/quote')).toContain('Báo giá cho Trần Minh Long');
      expect(await send('Tư vấn lắp đặt, 1, 2tr')).toContain('1. Tư vấn lắp đặt — 1 × 2.000.000 ₫ = 2.000.000 ₫');
      expect(await send('1')).toContain('Chiết khấu?'); // 1. Xong
      expect(await send('5%')).toContain('TỔNG CỘNG: 1.900.000 ₫');
      expect(await send('1')).toContain('chuyển tiếp file này cho khách'); // 1. Gửi cho tôi (the customer has no chat)
      const file = last.find((m) => m.document)?.document;
      expect(file?.filename).toBe('BG000001.pdf');
      const res = await fetch(web.base + file!.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      const text = await pdfText(new Uint8Array(await res.arrayBuffer()));
      expect(text).toContain('Tư vấn lắp đặt');
      expect(text).toContain('TỔNG CỘNG: 1.900.000 ₫');
      const guessed = await fetch(`${web.base}/chat/api/files/${'0'.repeat(32)}`);
      expect(guessed.status).toBe(404);
    } finally {
      await web.stop();
    }
  });
});
