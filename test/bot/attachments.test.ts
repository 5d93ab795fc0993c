import http from 'node:http';
import mongoose from 'mongoose';
import { createLogger } from '../../app/logger.js';
import { ChatCore } from '../../bot/core/chatCore.js';
import { Notifier } from '../../bot/core/notifier.js';
import { ZaloBotAdapter } from '../../bot/zalo/bot/adapter.js';
import { visitorChatId } from '../../bot/web/identity.js';
import { Customer } from '../../models/customer.js';
import { User } from '../../models/user.js';
import { newClientId, newVisitorId, startWebChat, TEST_ADMIN_HEADER, type WebChatHarness } from './webHarness.js';
import { useTestDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { EXE_BYTES, HTML_BYTES, PDF_BYTES, jpegOfSize, makePng } from '../helpers/files.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { captureLead } from '../../crm/customers/captureLead.js';
import { readBytes } from '../../crm/attachments/fileStore.js';
import { Attachment } from '../../models/attachment.js';
import { CheckIn } from '../../models/checkIn.js';
import { Interaction } from '../../models/interaction.js';
import { buttonUpdate, createTelegramTestBot, mediaUpdate, textUpdate, type TgUser } from './telegramHarness.js';

useTestDatabase();

const salesTg: TgUser = { id: 6101, first_name: 'Hà' };
const otherTg: TgUser = { id: 6102, first_name: 'Tú' };
const customerTg: TgUser = { id: 8101, first_name: 'Đức' };

async function team() {
  const sales = await makeStaff('sales', { chatIds: { telegram: String(salesTg.id) }, name: 'Hà Sales' });
  const other = await makeStaff('sales', { chatIds: { telegram: String(otherTg.id) }, name: 'Tú Sales' });
  return { sales, other };
}

/** Telegram's photo message: the same picture in three sizes, the largest last. */
function photoMessage(fileId: string, size: number, caption?: string) {
  return {
    photo: [
      { file_id: `${fileId}-s`, file_unique_id: 'a', width: 90, height: 60, file_size: 900 },
      { file_id: `${fileId}-m`, file_unique_id: 'b', width: 320, height: 240, file_size: 9000 },
      { file_id: fileId, file_unique_id: 'c', width: 1280, height: 960, file_size: size },
    ],
    ...(caption ? { caption } : {}),
  };
}

const storedBytes = async (customerId: mongoose.Types.ObjectId) => {
  const docs = await Attachment.find({ customer: customerId }).sort({ createdAt: 1 }).lean();
  return Promise.all(docs.map(async (d) => ({ doc: d, bytes: await readBytes(d.fileId as never) })));
};

describe('photos, files and check-ins from Telegram', () => {
  it("keeps a salesperson's photos and documents on the customer whose card is open, byte for byte", async () => {
    const { sales } = await team();
    const duc = await createCustomer(sales.actor, { name: 'Nguyễn Văn Đức', phones: ['0912345678'] });
    await createCustomer(sales.actor, { name: 'Trần Thị Lan', phones: ['0912000111'] });
    const { bot, tg } = createTelegramTestBot();
    const sitePhoto = makePng(640, 480);
    const secondPhoto = jpegOfSize(250_000);
    tg.files.set('site1', sitePhoto);
    tg.files.set('site2', secondPhoto);
    tg.files.set('contract', PDF_BYTES);

    await bot.handleUpdate(textUpdate(salesTg, '/find duc'));
    expect(tg.lastText(salesTg.id)).toContain('Nguyễn Văn Đức');
    await bot.handleUpdate(mediaUpdate(salesTg, photoMessage('site1', sitePhoto.length)));
    expect(tg.lastText(salesTg.id)).toMatch(/📷 Đã lưu ảnh "anh\.png" \(\d+ kB\) vào hồ sơ Nguyễn Văn Đức\./);
    // An album: the next photo comes right after the confirmation and goes to the same customer.
    await bot.handleUpdate(mediaUpdate(salesTg, photoMessage('site2', secondPhoto.length)));
    await bot.handleUpdate(mediaUpdate(salesTg, { document: { file_id: 'contract', file_unique_id: 'd', file_name: 'Hợp đồng.pdf', mime_type: 'application/pdf', file_size: PDF_BYTES.length } }));
    expect(tg.lastText(salesTg.id)).toContain('📎 Đã lưu tệp "Hợp đồng.pdf"');

    const stored = await storedBytes(duc._id);
    expect(stored.map((s) => [s.doc.kind, s.doc.contentType, s.doc.from, String(s.doc.uploadedBy), s.doc.channel])).toEqual([
      ['photo', 'image/png', 'staff', String(sales.user._id), 'telegram'],
      ['photo', 'image/jpeg', 'staff', String(sales.user._id), 'telegram'],
      ['document', 'application/pdf', 'staff', String(sales.user._id), 'telegram'],
    ]);
    expect(stored[0].bytes.equals(sitePhoto)).toBe(true);
    expect(stored[1].bytes.equals(secondPhoto)).toBe(true);
    expect(stored[2].bytes.equals(PDF_BYTES)).toBe(true);
    expect(await Attachment.countDocuments()).toBe(3);
    // The largest size was fetched, never the thumbnails.
    expect(tg.calls.filter((c) => c.method === 'getFile').map((c) => c.body.file_id)).toEqual(['site1', 'site2', 'contract']);
  });

  it('tells a salesperson with no card open to open one first, and fetches nothing', async () => {
    await team();
    const { bot, tg } = createTelegramTestBot();
    tg.files.set('lost', jpegOfSize(1000));
    await bot.handleUpdate(mediaUpdate(salesTg, photoMessage('lost', 1000)));
    expect(tg.lastText(salesTg.id)).toBe('Chưa lưu: chưa có thẻ khách nào đang mở. Mở thẻ khách (gõ tên, SĐT hoặc /find) rồi gửi lại ảnh hoặc tệp, nó sẽ được lưu vào hồ sơ khách đó.');
    await bot.handleUpdate(mediaUpdate(salesTg, { location: { latitude: 10.77, longitude: 106.7 } }));
    expect(tg.lastText(salesTg.id)).toContain('Chưa check-in');
    expect(tg.calls.some((c) => c.method === 'getFile')).toBe(false);
    expect(await Attachment.countDocuments()).toBe(0);
    expect(await CheckIn.countDocuments()).toBe(0);
  });

  it('refuses a ".jpg" that is really a program or a web page, and a file declared over 10 MB, in plain words', async () => {
    const { sales } = await team();
    await createCustomer(sales.actor, { name: 'Nguyễn Văn Đức', phones: ['0912345678'] });
    const { bot, tg } = createTelegramTestBot();
    tg.files.set('exe', EXE_BYTES);
    tg.files.set('html', HTML_BYTES);
    await bot.handleUpdate(textUpdate(salesTg, '/find duc'));
    await bot.handleUpdate(mediaUpdate(salesTg, { document: { file_id: 'exe', file_unique_id: 'e', file_name: 'anh.jpg', mime_type: 'image/jpeg', file_size: EXE_BYTES.length } }));
    expect(tg.lastText(salesTg.id)).toContain('Không nhận loại tệp này');
    await bot.handleUpdate(mediaUpdate(salesTg, { document: { file_id: 'html', file_unique_id: 'h', file_name: 'anh2.jpg', mime_type: 'image/jpeg' } }));
    expect(tg.lastText(salesTg.id)).toContain('Không nhận loại tệp này');
    const downloads = tg.calls.filter((c) => c.method === 'getFile').length;
    await bot.handleUpdate(mediaUpdate(salesTg, { document: { file_id: 'huge', file_unique_id: 'x', file_name: 'video.pdf', file_size: 15 * 1024 * 1024 } }));
    expect(tg.lastText(salesTg.id)).toBe('Tệp quá lớn (15 MB): mỗi tệp tối đa 10 MB. Hãy gửi tệp nhỏ hơn hoặc nén lại.');
    expect(tg.calls.filter((c) => c.method === 'getFile').length).toBe(downloads);
    // A file whose size Telegram did not state is cut off while downloading, not stored.
    tg.files.set('unsized', jpegOfSize(10 * 1024 * 1024 + 10));
    await bot.handleUpdate(mediaUpdate(salesTg, { document: { file_id: 'unsized', file_unique_id: 'y', file_name: 'scan.jpg' } }));
    expect(tg.lastText(salesTg.id)).toContain('mỗi tệp tối đa 10 MB');
    // The refusals keep the card open: a good file right after goes to the customer.
    tg.files.set('good', PDF_BYTES);
    await bot.handleUpdate(mediaUpdate(salesTg, { document: { file_id: 'good', file_unique_id: 'g', file_name: 'bao-gia.pdf' } }));
    expect(tg.lastText(salesTg.id)).toContain('Đã lưu tệp "bao-gia.pdf"');
    expect(await Attachment.countDocuments()).toBe(1);
  });

  it('records a check-in from a location sent while logging a meeting, and any time a card is open', async () => {
    const { sales } = await team();
    const duc = await createCustomer(sales.actor, { name: 'Nguyễn Văn Đức', phones: ['0912345678'] });
    const { bot, tg } = createTelegramTestBot();
    await bot.handleUpdate(textUpdate(salesTg, '/find duc'));
    await bot.handleUpdate(buttonUpdate(salesTg, tg.buttonData(salesTg.id, 'Gặp')));
    await bot.handleUpdate(mediaUpdate(salesTg, { location: { latitude: 10.776889, longitude: 106.700806 } }));
    const reply = tg.lastText(salesTg.id);
    expect(reply).toContain('📍 Đã check-in cho Nguyễn Văn Đức lúc');
    expect(reply).toContain('10.776889, 106.700806');
    expect(reply).toContain('https://www.google.com/maps?q=10.776889,106.700806');
    expect(reply).toContain('Tiếp tục ghi tương tác');
    // The meeting's logging goes on where it was.
    await bot.handleUpdate(textUpdate(salesTg, 'Quan tâm'));
    await bot.handleUpdate(textUpdate(salesTg, 'Gặp tại công trình'));
    expect(await Interaction.findOne({ customer: duc._id, type: 'meeting' }).lean()).toMatchObject({ outcome: 'interested', text: 'Gặp tại công trình' });

    // Later, with the card open again and no flow: a plain check-in.
    await bot.handleUpdate(textUpdate(salesTg, '/find duc'));
    await bot.handleUpdate(mediaUpdate(salesTg, { location: { latitude: 21.028511, longitude: 105.804817 } }));
    const checkIns = await CheckIn.find({ customer: duc._id }).sort({ at: 1 }).lean();
    expect(checkIns.map((c) => [c.latitude, c.longitude, c.during ?? null, String(c.user)])).toEqual([
      [10.776889, 106.700806, 'meeting', String(sales.user._id)],
      [21.028511, 105.804817, null, String(sales.user._id)],
    ]);
  });

  it("keeps a customer's photo on their record and conversation, and tells their salesperson", async () => {
    const { sales } = await team();
    const lead = await captureLead({ channel: 'telegram', chatId: String(customerTg.id), name: 'Đức', phone: '0912345678' });
    expect(String(lead.owner?._id)).toBe(String(sales.user._id));
    const { bot, tg } = createTelegramTestBot();
    const photo = makePng(200, 100);
    tg.files.set('cust1', photo);
    await bot.handleUpdate(mediaUpdate(customerTg, photoMessage('cust1', photo.length, 'Mặt bằng nhà em đây ạ')));
    expect(tg.messages(customerTg.id)).toEqual([]);

    const [stored] = await storedBytes(lead.customer._id);
    expect(stored.doc).toMatchObject({ from: 'customer', kind: 'photo', channel: 'telegram', contentType: 'image/png' });
    expect(stored.doc.uploadedBy).toBeUndefined();
    expect(stored.bytes.equals(photo)).toBe(true);
    const line = await Interaction.findOne({ customer: lead.customer._id, type: 'message_in', text: /📷/ }).lean();
    expect(line?.text).toBe('📷 anh.png\nMặt bằng nhà em đây ạ');
    expect(String(stored.doc.interaction)).toBe(String(line?._id));
    expect(tg.lastText(salesTg.id)).toContain('📷 anh.png');

    // A file the customer may not send is refused to them in plain words; nothing is stored.
    tg.files.set('bad', EXE_BYTES);
    await bot.handleUpdate(mediaUpdate(customerTg, { document: { file_id: 'bad', file_unique_id: 'b', file_name: 'cv.jpg' } }));
    expect(tg.lastText(customerTg.id)).toContain('Xin lỗi, chúng tôi chưa nhận được tệp này. Không nhận loại tệp này');
    expect(await Attachment.countDocuments()).toBe(1);
  });

  it("never puts a file on a customer who was given to a colleague after the card was opened", async () => {
    const { sales, other } = await team();
    const duc = await createCustomer(sales.actor, { name: 'Nguyễn Văn Đức', phones: ['0912345678'] });
    const { bot, tg } = createTelegramTestBot();
    tg.files.set('p', PDF_BYTES);
    await bot.handleUpdate(textUpdate(salesTg, '/find duc'));
    // A manager reassigns the customer meanwhile; the card is still on the salesperson's screen.
    await Customer.updateOne({ _id: duc._id }, { $set: { owner: other.user._id } });
    await bot.handleUpdate(mediaUpdate(salesTg, { document: { file_id: 'p', file_unique_id: 'p', file_name: 'x.pdf' } }));
    expect(tg.lastText(salesTg.id)).toContain('không có quyền');
    await bot.handleUpdate(mediaUpdate(salesTg, { location: { latitude: 10.7, longitude: 106.7 } }));
    expect(tg.lastText(salesTg.id)).toContain('không có quyền');
    expect(await Attachment.countDocuments()).toBe(0);
    expect(await CheckIn.countDocuments()).toBe(0);
    expect(await mongoose.connection.db!.collection('attachments.files').countDocuments()).toBe(0);
  });
});

describe('files from the web chat and the Zalo bot', () => {
  let chat: WebChatHarness | undefined;
  afterEach(async () => {
    await chat?.stop();
    chat = undefined;
  });

  it('takes a file from a salesperson on /chat for the open card, and from a customer for their own record', async () => {
    const { sales } = await team();
    await User.updateOne({ _id: sales.user._id }, { $set: { email: 'ha.sales@test.vn' } });
    const duc = await createCustomer(sales.actor, { name: 'Nguyễn Văn Đức', phones: ['0912345678'] });
    chat = await startWebChat();
    const staff = { [TEST_ADMIN_HEADER]: 'ha.sales@test.vn' };
    const photo = makePng(300, 200);

    const noCard = await chat.post('/chat/api/files', { clientMessageId: newClientId(), name: 'mat-bang.png', data: photo.toString('base64') }, staff);
    expect(noCard.body.messages.at(-1).text).toContain('Chưa lưu: chưa có thẻ khách nào đang mở');
    await chat.post('/chat/api/messages', { clientMessageId: newClientId(), text: '/find duc' }, staff);
    const saved = await chat.post('/chat/api/files', { clientMessageId: newClientId(), name: 'mat-bang.png', data: photo.toString('base64') }, staff);
    expect(saved.status).toBe(200);
    expect(saved.body.messages.map((m: { text: string }) => m.text).slice(-2)).toEqual(['📎 mat-bang.png', expect.stringMatching(/^📷 Đã lưu ảnh "mat-bang.png" .+ Nguyễn Văn Đức\.$/)]);
    const [stored] = await storedBytes(duc._id);
    expect(stored.doc).toMatchObject({ from: 'staff', channel: 'web', contentType: 'image/png' });
    expect(stored.bytes.equals(photo)).toBe(true);

    // A visitor who became a customer sends a PDF: kept on their record, not on the salesperson's card.
    const visitorId = newVisitorId();
    const { customer } = await captureLead({ channel: 'web', chatId: visitorChatId(visitorId), name: 'Mai', phone: '0987654321' });
    const sent = await chat.post('/chat/api/files', { visitorId, clientMessageId: newClientId(), name: 'yeu-cau.pdf', data: PDF_BYTES.toString('base64') });
    expect(sent.body.messages.at(-1).text).toBe('📎 yeu-cau.pdf');
    const [theirs] = await storedBytes(customer._id);
    expect(theirs.doc).toMatchObject({ from: 'customer', channel: 'web', contentType: 'application/pdf' });

    // Over the limit: refused by size before the body is read into memory, in the page's language.
    // The body is never parsed, so the page's language comes from the address.
    const huge = await chat.post('/chat/api/files?lang=en', { visitorId, clientMessageId: newClientId(), name: 'to.pdf', data: jpegOfSize(11 * 1024 * 1024).toString('base64') });
    expect(huge.status).toBe(413);
    expect(huge.body.message).toContain('each file may be at most 10 MB');
    // Hostile bodies: operators as values, unknown fields.
    expect((await chat.post('/chat/api/files', { visitorId, clientMessageId: newClientId(), data: { $gt: '' } })).status).toBe(400);
    expect((await chat.post('/chat/api/files', { visitorId, clientMessageId: newClientId(), data: 'AAAA', owner: 'x' })).status).toBe(400);
    expect(await Attachment.countDocuments()).toBe(2);
  });

  it("keeps a Zalo Bot customer's image, fetched from the update's photo link", async () => {
    const { sales } = await team();
    const lead = await captureLead({ channel: 'zalo_bot', chatId: 'zb-cust-1', name: 'Hùng', phone: '0911222333' });
    expect(String(lead.owner?._id)).toBe(String(sales.user._id));
    const photo = makePng(120, 80);
    const images = http.createServer((req, res) => {
      if (req.url === '/img/a.png') res.end(photo);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(images.address() as { port: number }).port}`;
    try {
      const logger = createLogger('silent');
      const notifier = new Notifier(logger);
      const core = new ChatCore({ notifier, logger });
      const sent: unknown[] = [];
      const sender = { channel: 'zalo_bot' as const, send: async (_chatId: string, replies: unknown[]) => (sent.push(...replies), { ok: true as const, messageIds: [] }) };
      const adapter = new ZaloBotAdapter({ core, sender, logger, apiOrigin: origin });
      const image = (n: number, url: string) => ({
        key: `msg:zimg-${n}`,
        payload: { event_name: 'message.image.received', message: { message_id: `zimg-${n}`, photo_url: url, from: { id: 'zb-cust-1' }, chat: { id: 'zb-cust-1', chat_type: 'PRIVATE' } } },
      });
      await adapter.handle(image(1, `${origin}/img/a.png`) as never);
      const [stored] = await storedBytes(lead.customer._id);
      expect(stored.doc).toMatchObject({ from: 'customer', channel: 'zalo_bot', kind: 'photo' });
      expect(stored.bytes.equals(photo)).toBe(true);
      // A plain-http link elsewhere is not followed: the image stays a "[hình ảnh]" line.
      await adapter.handle(image(2, 'http://10.0.0.1/secret') as never);
      expect(await Attachment.countDocuments()).toBe(1);
      expect(await Interaction.countDocuments({ customer: lead.customer._id, text: '[hình ảnh]' })).toBe(1);
      // A dead link: nothing stored, but the team still sees that an image came.
      await adapter.handle(image(3, `${origin}/img/gone.png`) as never);
      expect(await Attachment.countDocuments()).toBe(1);
      expect(await Interaction.countDocuments({ customer: lead.customer._id, text: /không tải được tệp/ })).toBe(1);
    } finally {
      await new Promise((resolve) => images.close(resolve));
    }
  });
});
