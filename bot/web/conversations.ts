import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Counter } from '../../models/counter.js';
import { WebMessage } from '../../models/webMessage.js';
import type { Choice, Reply } from '../core/types.js';

/** A bubble as the browser gets it: only what it shows, never database internals. */
export interface WebBubble {
  seq: number;
  from: 'visitor' | 'chot';
  text: string;
  choices?: Choice[];
  requestPhone?: boolean;
  /** A file to download: its name and the link (a random token, see WebConversations.file). */
  document?: { filename: string; url: string };
  at: string;
}

/** Where the page downloads a file bubble from (under the chat's JSON API). */
export const fileUrl = (token: string) => `/chat/api/files/${token}`;

const HISTORY_LIMIT = 200;

/**
 * The stored web conversations, plus an in-process doorbell so a waiting long poll answers as soon
 * as something is added here. A poll served by another process finds the message on its next
 * database re-check instead, so nothing depends on the doorbell for correctness.
 */
export class WebConversations {
  private readonly doorbell = new EventEmitter();

  constructor() {
    // One listener per waiting poll; many visitors may wait at once.
    this.doorbell.setMaxListeners(0);
  }

  /** Stores chot's replies to a chat and returns their sequence numbers. */
  async addReplies(chatId: string, replies: Reply[]): Promise<number[]> {
    if (!replies.length) return [];
    const first = await this.reserve(chatId, replies.length);
    const now = new Date();
    await WebMessage.insertMany(
      replies.map((reply, i) => ({
        chatId,
        seq: first + i,
        from: 'chot',
        text: reply.text,
        choices: reply.choices?.length ? reply.choices.map((c) => ({ label: c.label, data: c.data })) : undefined,
        requestPhone: reply.requestPhone || undefined,
        document: reply.document
          ? { filename: reply.document.filename, mime: reply.document.mime, data: Buffer.from(reply.document.bytes).toString('base64'), token: crypto.randomBytes(16).toString('hex') }
          : undefined,
        createdAt: now,
      })),
    );
    this.doorbell.emit(chatId);
    return replies.map((_, i) => first + i);
  }

  /**
   * Stores what the visitor sent, once per client message id. Returns false when that id was
   * already stored (a retried POST), so the caller does not hand it to the core again.
   */
  async addVisitorMessage(chatId: string, clientMessageId: string, text: string): Promise<boolean> {
    if (await WebMessage.exists({ chatId, clientMessageId })) return false;
    const seq = await this.reserve(chatId, 1);
    // Keyed upsert: of two identical POSTs racing past the check above, one inserts, one finds it.
    const result = await WebMessage.collection.findOneAndUpdate(
      { chatId, clientMessageId },
      { $setOnInsert: { seq, from: 'visitor', text, createdAt: new Date() } },
      { upsert: true, includeResultMetadata: true },
    );
    if (result.lastErrorObject?.updatedExisting) return false;
    this.doorbell.emit(chatId);
    return true;
  }

  /** The bubbles after `after` (all of them, up to the last 200, when `after` is 0). */
  async list(chatId: string, after: number): Promise<WebBubble[]> {
    const docs = await WebMessage.find({ chatId, seq: { $gt: after } })
      .sort({ seq: after > 0 ? 1 : -1 })
      .limit(HISTORY_LIMIT)
      // No exclusion projection for the file's data: the embedded server applies one to its stored copy.
      .lean();
    if (after <= 0) docs.reverse();
    return docs.map((d) => ({
      seq: d.seq,
      from: d.from,
      text: d.text ?? '',
      ...(d.choices?.length ? { choices: d.choices.map((c) => ({ label: c.label, data: c.data })) } : {}),
      ...(d.requestPhone ? { requestPhone: true } : {}),
      ...(d.document?.token ? { document: { filename: d.document.filename ?? 'file', url: fileUrl(d.document.token) } } : {}),
      at: d.createdAt.toISOString(),
    }));
  }

  /** A file bubble's content by its token; undefined for a token that is not one (never a guess's hint). */
  async file(token: string): Promise<{ filename: string; mime: string; bytes: Buffer } | undefined> {
    if (!/^[0-9a-f]{32}$/.test(token)) return undefined;
    const doc = await WebMessage.findOne({ 'document.token': token }).select('document').lean();
    const d = doc?.document;
    if (!d?.data) return undefined;
    return { filename: d.filename ?? 'file', mime: d.mime ?? 'application/octet-stream', bytes: Buffer.from(d.data, 'base64') };
  }

  /** The label of the most recent button with this data, to show the visitor what they pressed. */
  async choiceLabel(chatId: string, data: string): Promise<string | undefined> {
    const doc = await WebMessage.findOne({ chatId, from: 'chot', 'choices.data': data }).sort({ seq: -1 }).select('choices').lean();
    return doc?.choices?.find((c) => c.data === data)?.label;
  }

  /**
   * Waits until the chat has bubbles after `after`, the time is up, or `stillWanted()` says the
   * poll is no longer needed (client gone, server closing). Re-reads the database every
   * `recheckMs` so messages written by another process are found too.
   */
  async waitFor(chatId: string, after: number, opts: { timeoutMs: number; recheckMs: number; stillWanted: () => boolean }): Promise<WebBubble[]> {
    const deadline = Date.now() + opts.timeoutMs;
    for (;;) {
      const bubbles = await this.list(chatId, after);
      const remaining = deadline - Date.now();
      if (bubbles.length || remaining <= 0 || !opts.stillWanted()) return bubbles;
      await this.ring(chatId, Math.min(remaining, opts.recheckMs));
    }
  }

  /** Resolves when something is added to this chat in this process, or after `ms`. */
  private ring(chatId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.doorbell.off(chatId, done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.doorbell.on(chatId, done);
    });
  }

  /** Reserves `count` consecutive sequence numbers of a chat and returns the first. */
  private async reserve(chatId: string, count: number): Promise<number> {
    const counter = await Counter.findOneAndUpdate(
      { name: `web:${chatId}` },
      { $inc: { seq: count } },
      { upsert: true, returnDocument: 'after', lean: true },
    );
    return (counter!.seq as number) - count + 1;
  }
}
