import mongoose from 'mongoose';
import { GridFSBucket, type ObjectId } from 'mongodb';

/**
 * Bytes kept in GridFS in chot's own database, through the driver mongoose already holds: one
 * database to back up, and the embedded database journals the chunks like any other write
 * (verified across a restart and a crash copy in test/crm/attachments.test.ts). Each kind of file
 * has a bucket of its own (`<bucket>.files` and `<bucket>.chunks`).
 */
export function fileBucket(bucketName: string) {
  const bucket = (): GridFSBucket => {
    const db = mongoose.connection.db;
    if (!db) throw new Error('database not connected');
    return new GridFSBucket(db as never, { bucketName });
  };
  const open = (fileId: ObjectId): NodeJS.ReadableStream => bucket().openDownloadStream(fileId);
  return {
    async store(name: string, bytes: Buffer, metadata: Record<string, unknown>): Promise<ObjectId> {
      const upload = bucket().openUploadStream(name, { metadata });
      await new Promise<void>((resolve, reject) => {
        upload.once('finish', () => resolve());
        upload.once('error', reject);
        upload.end(bytes);
      });
      return upload.id as ObjectId;
    },
    open,
    async read(fileId: ObjectId): Promise<Buffer> {
      const parts: Buffer[] = [];
      for await (const part of open(fileId)) parts.push(part as Buffer);
      return Buffer.concat(parts);
    },
    async remove(fileId: ObjectId): Promise<void> {
      await bucket().delete(fileId);
    },
  };
}

/** Customers' photos and files (collections `attachments.files` and `attachments.chunks`). */
export const { store: storeBytes, open: openBytes, read: readBytes, remove: deleteBytes } = fileBucket('attachments');
