import { Types } from 'mongoose';
import { CrmError } from '../shared/errors.js';
import { fileBucket } from '../attachments/fileStore.js';

/** Quote PDFs: GridFS like attachments, in a bucket of their own (`quotePdfs`). */
const pdfs = fileBucket('quotePdfs');

export async function storeQuotePdf(filename: string, bytes: Buffer, metadata: Record<string, unknown> = {}): Promise<Types.ObjectId> {
  const id = await pdfs.store(filename, bytes, { contentType: 'application/pdf', ...metadata });
  return new Types.ObjectId(String(id));
}

export async function readQuotePdf(id: Types.ObjectId): Promise<Buffer> {
  try {
    return await pdfs.read(id as never);
  } catch (e) {
    if (String(e).includes('FileNotFound')) throw new CrmError('notFound.quote');
    throw e;
  }
}
