import type { Types } from 'mongoose';
import { AuditLog, type AuditSubject } from '../../models/auditLog.js';
import type { Actor } from '../users/actor.js';

export interface AuditEntry {
  subject: AuditSubject;
  action: string;
  recordId?: Types.ObjectId | string | null;
  details?: string;
}

/**
 * Records an admin action. A failure to log never undoes or blocks the action itself: the change
 * has already been made, and losing a log line is better than telling the user it failed.
 */
export async function recordAudit(actor: Actor, entry: AuditEntry, now = new Date()): Promise<void> {
  try {
    await AuditLog.create({
      user: actor.kind === 'user' ? actor.id : undefined,
      userName: actor.kind === 'user' ? actor.name : 'system',
      subject: entry.subject,
      action: entry.action,
      recordId: entry.recordId ?? undefined,
      details: entry.details?.slice(0, 2000),
      at: now,
    });
  } catch {
    // Deliberately swallowed, see above.
  }
}

/** "name, phones" from the keys of a patch, for the log's details (values may be personal data). */
export function changedFields(patch: Record<string, unknown>): string {
  return Object.keys(patch)
    .filter((k) => patch[k] !== undefined)
    .join(', ');
}
