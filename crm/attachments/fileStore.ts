import mongoose from 'mongoose';
import { GridFSBucket, type ObjectId } from 'mongodb';

/**
 * The bytes of attachments, in GridFS in chot's own database (bucket `attachments`: collections
 * `attachments.files` and `attachments.chunks`), through the driver mongoose already holds. One
 * database to back up; the embedded database journals the chunks like any other write (verified
 * across a restart and a crash copy in test/crm/attachments.test.ts).
 */
const BUCKET = 'attachments';

function bucket(): GridFSBucket {
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  return new GridFSBucket(db as never, { bucketName: BUCKET });
}

export async function storeBytes(name: string, bytes: Buffer, metadata: Record<string, unknown>): Promise<ObjectId> {
  const upload = bucket().openUploadStream(name, { metadata });
  await new Promise<void>((resolve, reject) => {
    upload.once('finish', () => resolve());
    upload.once('error', reject);
    upload.end(bytes);
  });
  return upload.id as ObjectId;
}

export function openBytes(fileId: ObjectId): NodeJS.ReadableStream {
  return bucket().openDownloadStream(fileId);
}

export async function readBytes(fileId: ObjectId): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of openBytes(fileId)) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

export async function deleteBytes(fileId: ObjectId): Promise<void> {
  await bucket().delete(fileId);
}
