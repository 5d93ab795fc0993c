import { Readable } from 'node:stream';
import mongoose, { Types } from 'mongoose';
import { GridFSBucket } from 'mongodb';
import { CrmError } from '../shared/errors.js';

/**
 * Where quote PDFs are kept: GridFS in the app's own database (one database to back up; it works
 * on the embedded server too). The only place that knows it, so the PDFs can move to the shared
 * attachment store (crm/attachments) by changing these two functions.
 */
const BUCKET = 'quotePdfs';

function bucket(): GridFSBucket {
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  return new GridFSBucket(db as never, { bucketName: BUCKET });
}

export async function storeQuotePdf(filename: string, bytes: Buffer, metadata: Record<string, unknown> = {}): Promise<Types.ObjectId> {
  const upload = bucket().openUploadStream(filename, { metadata: { contentType: 'application/pdf', ...metadata } });
  await new Promise<void>((resolve, reject) => {
    Readable.from([bytes]).pipe(upload).on('finish', () => resolve()).on('error', reject);
  });
  return new Types.ObjectId(String(upload.id));
}

export async function readQuotePdf(id: Types.ObjectId): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of bucket().openDownloadStream(id as never)) chunks.push(chunk as Buffer);
  } catch (e) {
    if (String(e).includes('FileNotFound')) throw new CrmError('notFound.quote');
    throw e;
  }
  return Buffer.concat(chunks);
}
