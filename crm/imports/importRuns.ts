import crypto from 'node:crypto';
import type { Types } from 'mongoose';
import { ImportRun } from '../../models/importRun.js';
import { Customer } from '../../models/customer.js';
import { isDuplicateKey } from '../shared/errors.js';
import { actorUserId, type Actor } from '../users/actor.js';

/**
 * The record of a CSV commit, so an import cut short is visibly resumable rather than silently
 * half done. No multi-document transaction is assumed (the embedded database has none): instead
 * the run is written before the first customer, each created customer carries the run and its
 * file line (unique together), and the run is marked done last. Committing the same file while
 * its run is unfinished picks that run up; the lines it already wrote are left alone.
 */

export interface UnfinishedImport {
  startedAt: Date;
  /** Customers the run has written so far, out of `total` planned. */
  created: number;
  total: number;
}

export interface RunTotals {
  created: number;
  merged: number;
  refused: number;
}

export function fileHashOf(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

async function runningOf(fileHash: string) {
  return ImportRun.findOne({ fileHash, status: 'running' }).lean();
}

/** What the preview says about a file whose commit did not finish; undefined when there is none. */
export async function unfinishedImportOf(text: string): Promise<UnfinishedImport | undefined> {
  const run = await runningOf(fileHashOf(text));
  if (!run) return undefined;
  return { startedAt: run.startedAt, created: await Customer.countDocuments({ importRun: run._id }), total: run.total };
}

/**
 * The run this commit writes under: the file's unfinished one (resumed, with the lines it already
 * wrote), or a new one. Two commits of one file at once meet on the unique running-run index.
 */
export async function openImportRun(actor: Actor, text: string, total: number, now: Date): Promise<{ runId: Types.ObjectId; resumed: boolean; writtenLines: Set<number> }> {
  const fileHash = fileHashOf(text);
  for (;;) {
    const running = await ImportRun.findOneAndUpdate({ fileHash, status: 'running' }, { $inc: { attempts: 1 } }, { returnDocument: 'after', lean: true });
    if (running) {
      const written = await Customer.find({ importRun: running._id }).select('importLine').lean();
      return { runId: running._id, resumed: true, writtenLines: new Set(written.map((c) => c.importLine!)) };
    }
    try {
      const run = await ImportRun.create({
        fileHash,
        status: 'running',
        user: actorUserId(actor),
        userName: actor.kind === 'user' ? actor.name : 'system',
        total,
        startedAt: now,
      });
      return { runId: run._id, resumed: false, writtenLines: new Set() };
    } catch (e) {
      // Another commit of the same file started its run first: resume that one.
      if (!isDuplicateKey(e)) throw e;
    }
  }
}

export async function finishImportRun(runId: Types.ObjectId, totals: RunTotals, now: Date): Promise<void> {
  await ImportRun.updateOne({ _id: runId }, { $set: { status: 'done', ...totals, finishedAt: now } });
}
