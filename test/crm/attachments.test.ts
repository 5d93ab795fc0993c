import mongoose from 'mongoose';
import { EMBEDDED_CLIENT_OPTIONS, syncIndexes } from '../../app/database.js';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../app/embedded/server.js';
import { attachFileForStaff, deleteAttachment, listAttachments, openAttachment } from '../../crm/attachments/attachments.js';
import { MAX_CUSTOMER_BYTES, MAX_FILE_BYTES } from '../../crm/attachments/limits.js';
import { sniffContentType } from '../../crm/attachments/sniff.js';
import { createCustomer } from '../../crm/customers/customers.js';
import { seedDefaults } from '../../crm/seed/defaults.js';
import { Attachment } from '../../models/attachment.js';
import '../../models/index.js';
import { crashCopy, removeDirs, tempDir } from '../embedded/helpers.js';
import { clearDatabase } from '../helpers/database.js';
import { makeStaff } from '../helpers/factories.js';
import { EXE_BYTES, HTML_BYTES, PDF_BYTES, jpegOfSize, makePng, officeLikeZip } from '../helpers/files.js';

/**
 * Attachments in GridFS, on the embedded database with a data directory (as `npm start` runs it),
 * so the same file can be stopped, crashed and restarted. With MONGODB_URI the restart test is
 * skipped (there is no server of ours to restart) and the rest runs against real MongoDB.
 */
const realMongo = process.env.MONGODB_URI;
const dbName = `chot_test_att_${Date.now()}`;
let server: EmbeddedMongo | undefined;
let dataDir = '';
const dirs: string[] = [];

async function connect(uri: string) {
  await mongoose.connect(uri, { dbName, ...(realMongo ? {} : EMBEDDED_CLIENT_OPTIONS) });
  await syncIndexes();
}

async function startServer(dir: string) {
  server = await startEmbeddedMongo({ persistDir: dir });
  await connect(server.uri);
}

async function stopServer() {
  await mongoose.disconnect();
  await server?.stop();
  server = undefined;
}

beforeAll(async () => {
  if (realMongo) return connect(realMongo);
  dataDir = await tempDir('chot-attachments-');
  dirs.push(dataDir);
  await startServer(dataDir);
});

beforeEach(async () => {
  await clearDatabase();
  await seedDefaults();
});

afterAll(async () => {
  if (realMongo) await mongoose.connection.db?.dropDatabase();
  if (realMongo) await mongoose.disconnect();
  else await stopServer();
  await removeDirs(...dirs);
});

async function bytesOf(actor: Parameters<typeof openAttachment>[0], id: unknown): Promise<Buffer> {
  const { stream } = await openAttachment(actor, id);
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

const chunkCount = () => mongoose.connection.db!.collection('attachments.chunks').countDocuments();
const fileCount = () => mongoose.connection.db!.collection('attachments.files').countDocuments();

describe('attachments in GridFS', () => {
  (realMongo ? it.skip : it)('keeps a file across a clean restart and a crash of the embedded database, and a deleted file leaves no chunk behind', async () => {
    const { actor } = await makeStaff('sales');
    const customer = await createCustomer(actor, { name: 'Lê Thị Hoa', phones: ['0903111222'] });
    const photo = makePng(900, 700, undefined, true); // ~1.9 MB of noise: several GridFS chunks
    const stored = await attachFileForStaff(actor, customer._id, { bytes: photo, name: 'cong-trinh.png', channel: 'telegram' });
    expect(await chunkCount()).toBeGreaterThan(4);

    await stopServer();
    await startServer(dataDir);
    expect((await bytesOf(actor, stored.id)).equals(photo)).toBe(true);

    // Written after the restart, then the process "dies": only the journal has it.
    const contract = jpegOfSize(600_000);
    const second = await attachFileForStaff(actor, customer._id, { bytes: contract, name: 'hop-dong.jpg' });
    const crashed = await crashCopy(dataDir);
    dirs.push(crashed);
    await stopServer();
    await startServer(crashed);
    expect((await bytesOf(actor, second.id)).equals(contract)).toBe(true);
    expect((await bytesOf(actor, stored.id)).equals(photo)).toBe(true);

    await deleteAttachment(actor, stored.id);
    await deleteAttachment(actor, second.id);
    await stopServer();
    await startServer(crashed);
    expect(await chunkCount()).toBe(0);
    expect(await fileCount()).toBe(0);
    expect(await Attachment.countDocuments()).toBe(0);
    await stopServer();
    await startServer(dataDir);
  });

  it('stores a file of exactly 10 MB and refuses one byte more before anything is written', async () => {
    const { actor } = await makeStaff('sales');
    const customer = await createCustomer(actor, { name: 'Phạm Minh', phones: ['0903111333'] });
    const tenMegabytes = jpegOfSize(MAX_FILE_BYTES);
    const started = Date.now();
    const big = await attachFileForStaff(actor, customer._id, { bytes: tenMegabytes, name: 'ban-ve.jpg' });
    // Recorded for the report (never asserted): the time to store 10 MB on this machine.
    process.stdout.write(`[attachments] stored ${MAX_FILE_BYTES} bytes in ${Date.now() - started} ms\n`);
    expect(big.size).toBe(MAX_FILE_BYTES);
    expect((await bytesOf(actor, big.id)).equals(tenMegabytes)).toBe(true);

    const files = await fileCount();
    await expect(attachFileForStaff(actor, customer._id, { bytes: jpegOfSize(MAX_FILE_BYTES + 1), name: 'qua-lon.jpg' })).rejects.toMatchObject({ code: 'attachment.tooLarge' });
    expect(await fileCount()).toBe(files);
    expect(await Attachment.countDocuments()).toBe(1);
  });

  it("refuses a file that would take a customer past 200 MB, and counts only that customer's files", async () => {
    const { actor } = await makeStaff('sales');
    const full = await createCustomer(actor, { name: 'Khách Nhiều Tệp', phones: ['0903111444'] });
    const other = await createCustomer(actor, { name: 'Khách Khác', phones: ['0903111555'] });
    // What the allowance counts is the metadata's sizes: 199 MB already kept, without storing them.
    await Attachment.create({ customer: full._id, kind: 'document', fileId: new mongoose.Types.ObjectId(), originalName: 'cu.pdf', contentType: 'application/pdf', size: MAX_CUSTOMER_BYTES - 1024 * 1024, from: 'staff' });
    const files = await fileCount();
    await expect(attachFileForStaff(actor, full._id, { bytes: jpegOfSize(2 * 1024 * 1024), name: 'moi.jpg' })).rejects.toMatchObject({ code: 'attachment.customerFull' });
    expect(await fileCount()).toBe(files);
    // A smaller one still fits, and the other customer is not affected by the first one's files.
    await attachFileForStaff(actor, full._id, { bytes: jpegOfSize(512 * 1024), name: 'nho.jpg' });
    await attachFileForStaff(actor, other._id, { bytes: jpegOfSize(2 * 1024 * 1024), name: 'moi.jpg' });
  });

  it('judges the type from the bytes: a .jpg that is an exe or HTML is refused, a PDF named .jpg is kept as a PDF', async () => {
    const { actor } = await makeStaff('sales');
    const customer = await createCustomer(actor, { name: 'Đỗ Văn An', phones: ['0903111666'] });
    for (const [bytes, name] of [[EXE_BYTES, 'anh-the.jpg'], [HTML_BYTES, 'anh.jpg'], [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'logo.png']] as const) {
      await expect(attachFileForStaff(actor, customer._id, { bytes, name })).rejects.toMatchObject({ code: 'attachment.typeRefused' });
    }
    expect(await fileCount()).toBe(0);
    const pdf = await attachFileForStaff(actor, customer._id, { bytes: PDF_BYTES, name: 'bao-gia.jpg' });
    expect(pdf).toMatchObject({ kind: 'document', contentType: 'application/pdf', name: 'bao-gia.jpg.pdf' });
    const list = await listAttachments(actor, customer._id);
    expect(list.map((a) => a.contentType)).toEqual(['application/pdf']);
  });

  it('knows the kept types by their magic numbers and nothing else', () => {
    expect(sniffContentType(makePng(2, 2))?.contentType).toBe('image/png');
    expect(sniffContentType(jpegOfSize(100))?.contentType).toBe('image/jpeg');
    expect(sniffContentType(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'))?.contentType).toBe('image/gif');
    expect(sniffContentType(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]))?.contentType).toBe('image/webp');
    expect(sniffContentType(PDF_BYTES)?.kind).toBe('document');
    expect(sniffContentType(officeLikeZip('word/document.xml'))?.extension).toBe('docx');
    expect(sniffContentType(officeLikeZip('xl/workbook.xml'))?.extension).toBe('xlsx');
    expect(sniffContentType(Buffer.from('Họ tên;SĐT\nNguyễn Văn Đức;0912345678\n'))?.contentType).toBe('text/plain; charset=utf-8');
    // A plain zip, an executable, HTML, binary noise, an empty file: refused.
    expect(sniffContentType(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('virus.exe')]))).toBeUndefined();
    expect(sniffContentType(EXE_BYTES)).toBeUndefined();
    expect(sniffContentType(HTML_BYTES)).toBeUndefined();
    expect(sniffContentType(Buffer.from([0x00, 0x01, 0x02, 0xfe]))).toBeUndefined();
    expect(sniffContentType(Buffer.alloc(0))).toBeUndefined();
  });

  it("lets only those who may see the customer attach, list or open: another salesperson's file is simply not found", async () => {
    const owner = await makeStaff('sales');
    const other = await makeStaff('sales');
    const manager = await makeStaff('manager');
    const customer = await createCustomer(owner.actor, { name: 'Vũ Thu', phones: ['0903111777'] });
    const stored = await attachFileForStaff(owner.actor, customer._id, { bytes: PDF_BYTES, name: 'hd.pdf' });
    await expect(attachFileForStaff(other.actor, customer._id, { bytes: PDF_BYTES })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(listAttachments(other.actor, customer._id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(openAttachment(other.actor, stored.id)).rejects.toMatchObject({ code: 'notFound.attachment' });
    await expect(openAttachment(other.actor, '{"$gt":""}')).rejects.toMatchObject({ code: 'notFound.attachment' });
    expect((await bytesOf(manager.actor, stored.id)).equals(PDF_BYTES)).toBe(true);
  });
});
