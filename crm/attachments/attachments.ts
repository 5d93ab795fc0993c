import { Types } from 'mongoose';
import type { ObjectId } from 'mongodb';
import { Attachment, type AttachmentKind } from '../../models/attachment.js';
import type { ChatChannel } from '../../models/channels.js';
import { Customer } from '../../models/customer.js';
import { User } from '../../models/user.js';
import { getCustomerForActor } from '../customers/customers.js';
import { logInteraction } from '../interactions/interactions.js';
import { CrmError } from '../shared/errors.js';
import { toObjectId } from '../shared/ids.js';
import { SYSTEM, actorUserId, type Actor } from '../users/actor.js';
import { deleteBytes, openBytes, storeBytes } from './fileStore.js';
import { formatBytes, MAX_CUSTOMER_BYTES, MAX_FILE_BYTES } from './limits.js';
import { sniffContentType } from './sniff.js';

export interface NewAttachment {
  bytes: Buffer;
  /** The sender's file name (a photo has none: one is made from the type). */
  name?: string;
  channel?: ChatChannel | 'panel';
}

export interface StoredAttachment {
  id: Types.ObjectId;
  customerId: Types.ObjectId;
  customerName: string;
  kind: AttachmentKind;
  name: string;
  contentType: string;
  size: number;
}

/**
 * Refuses before anything is stored: a file over the per-file limit, or a declared size that
 * already says so (the chat adapters check this before downloading a byte).
 */
export function assertFileSize(size: number | undefined): void {
  if (size !== undefined && size > MAX_FILE_BYTES) throw new CrmError('attachment.tooLarge', { max: formatBytes(MAX_FILE_BYTES), size: formatBytes(size) });
}

/** A name safe to store and to send back in a header: no path, no control characters, bounded. */
function cleanName(name: string | undefined, extension: string, kind: AttachmentKind): string {
  const base = String(name ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 200);
  if (!base) return `${kind === 'photo' ? 'anh' : 'tep'}.${extension}`;
  // The stored name ends in what the bytes are: a "photo.jpg" that is really a PDF downloads as .pdf.
  return base.toLowerCase().endsWith(`.${extension}`) ? base : `${base}.${extension}`;
}

async function bytesKeptFor(customerId: Types.ObjectId): Promise<number> {
  const [row] = await Attachment.aggregate<{ total: number }>([{ $match: { customer: customerId } }, { $group: { _id: null, total: { $sum: '$size' } } }]);
  return row?.total ?? 0;
}

/**
 * Stores a file on a customer, checked in this order: the actor may act on the customer, the size
 * fits the file and the customer's allowance, the bytes are a type chot keeps. Then the bytes go
 * to GridFS and, once there, the metadata is written; a crash between the two leaves only an
 * unreferenced GridFS file, never a listed attachment without its bytes.
 */
/** Keeps a file on a customer the caller has read (name and owner are all this needs of it). */
async function store(customer: { _id: Types.ObjectId; name: string; owner?: Types.ObjectId | null }, file: NewAttachment, from: 'staff' | 'customer', actor: Actor): Promise<StoredAttachment & { customerOwner?: Types.ObjectId | null }> {
  const customerId = customer._id;
  if (!file.bytes.length) throw new CrmError('attachment.empty');
  assertFileSize(file.bytes.length);
  const kept = await bytesKeptFor(customerId);
  if (kept + file.bytes.length > MAX_CUSTOMER_BYTES) {
    throw new CrmError('attachment.customerFull', { max: formatBytes(MAX_CUSTOMER_BYTES), name: customer.name });
  }
  const type = sniffContentType(file.bytes);
  if (!type) throw new CrmError('attachment.typeRefused');
  const name = cleanName(file.name, type.extension, type.kind);
  const fileId = await storeBytes(name, file.bytes, { customer: customerId, contentType: type.contentType });
  const doc = await Attachment.create({
    customer: customerId,
    kind: type.kind,
    fileId,
    originalName: name,
    contentType: type.contentType,
    size: file.bytes.length,
    from,
    uploadedBy: actorUserId(actor),
    channel: file.channel,
  });
  return { id: doc._id, customerId, customerName: customer.name, customerOwner: customer.owner as Types.ObjectId | null, kind: type.kind, name, contentType: type.contentType, size: doc.size };
}

/** A file a staff member attaches to a customer they may act on (the chat's open card, the panel). */
export async function attachFileForStaff(actor: Actor, customerId: unknown, file: NewAttachment): Promise<StoredAttachment> {
  return store(await getCustomerForActor(actor, customerId), file, 'staff', actor);
}

/**
 * A file the customer sent: kept on the customer and shown in their conversation as a
 * `message_in` line naming the file, so the team sees it where they read the customer's messages.
 */
export async function keepCustomerFile(customerId: Types.ObjectId, file: NewAttachment, caption: string | undefined): Promise<StoredAttachment & { line: string }> {
  const customer = await Customer.findById(customerId).select('name owner').lean();
  if (!customer) throw new CrmError('notFound.customer');
  const stored = await store(customer, file, 'customer', SYSTEM);
  const line = `${stored.kind === 'photo' ? '📷' : '📎'} ${stored.name}${caption ? `\n${caption}` : ''}`;
  const channel = file.channel === 'panel' ? undefined : file.channel;
  const { interactionId } = await logInteraction(SYSTEM, customerId, { type: 'message_in', text: line, channel });
  await Attachment.updateOne({ _id: stored.id }, { $set: { interaction: interactionId } });
  return { ...stored, line };
}

export interface AttachmentListItem {
  id: string;
  kind: AttachmentKind;
  name: string;
  contentType: string;
  size: number;
  from: 'staff' | 'customer';
  by?: string;
  channel?: string;
  createdAt: Date;
}

/** A customer's files, newest first, for someone who may see the customer. */
export async function listAttachments(actor: Actor, customerId: unknown, limit = 100): Promise<AttachmentListItem[]> {
  const customer = await getCustomerForActor(actor, customerId);
  const docs = await Attachment.find({ customer: customer._id }).sort({ createdAt: -1 }).limit(Math.min(Math.max(limit, 1), 500)).lean();
  const userIds = [...new Set(docs.map((d) => d.uploadedBy).filter(Boolean).map(String))];
  const users = userIds.length ? await User.find({ _id: { $in: userIds } }).select('name').lean() : [];
  const names = new Map(users.map((u) => [String(u._id), u.name]));
  return docs.map((d) => ({
    id: String(d._id),
    kind: d.kind as AttachmentKind,
    name: d.originalName,
    contentType: d.contentType,
    size: d.size,
    from: d.from as 'staff' | 'customer',
    ...(d.uploadedBy && names.has(String(d.uploadedBy)) ? { by: names.get(String(d.uploadedBy)) } : {}),
    ...(d.channel ? { channel: d.channel } : {}),
    createdAt: d.createdAt as Date,
  }));
}

/**
 * One attachment's bytes for someone who may see its customer. Another salesperson's customer's
 * file and an unknown id get the same "not found": ids of other people's files reveal nothing.
 */
export async function openAttachment(actor: Actor, attachmentId: unknown): Promise<{ name: string; contentType: string; size: number; kind: AttachmentKind; stream: NodeJS.ReadableStream }> {
  const doc = await Attachment.findById(toObjectId(attachmentId, 'notFound.attachment')).lean();
  if (!doc) throw new CrmError('notFound.attachment');
  try {
    await getCustomerForActor(actor, doc.customer);
  } catch {
    throw new CrmError('notFound.attachment');
  }
  return { name: doc.originalName, contentType: doc.contentType, size: doc.size, kind: doc.kind as AttachmentKind, stream: openBytes(doc.fileId as unknown as ObjectId) };
}

/** Removes an attachment: the metadata first (it disappears from the card), then the bytes. */
export async function deleteAttachment(actor: Actor, attachmentId: unknown): Promise<void> {
  const doc = await Attachment.findById(toObjectId(attachmentId, 'notFound.attachment')).lean();
  if (!doc) throw new CrmError('notFound.attachment');
  await getCustomerForActor(actor, doc.customer);
  await Attachment.deleteOne({ _id: doc._id });
  await deleteBytes(doc.fileId as unknown as ObjectId);
}
