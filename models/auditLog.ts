import { Schema, model, type InferSchemaType } from 'mongoose';

export const AUDIT_SUBJECTS = ['customer', 'stage', 'source', 'group', 'settings', 'user', 'followUp', 'import', 'campaign', 'opportunityStage', 'organization', 'opportunity'] as const;
export type AuditSubject = (typeof AUDIT_SUBJECTS)[number];

/** One admin panel action: who did what to which record, and when. Never edited afterwards. */
const auditLogSchema = new Schema({
  user: { type: Schema.Types.ObjectId, ref: 'User' },
  /** Copied so the log still reads right after the user is renamed or removed. */
  userName: { type: String, maxlength: 100 },
  subject: { type: String, enum: AUDIT_SUBJECTS, required: true },
  recordId: { type: Schema.Types.ObjectId },
  action: { type: String, required: true, maxlength: 60 },
  /** A short human-readable description: changed fields, counts. Never passwords or codes. */
  details: { type: String, maxlength: 2000 },
  at: { type: Date, required: true, default: () => new Date() },
});
auditLogSchema.index({ at: -1 });
auditLogSchema.index({ subject: 1, recordId: 1, at: -1 });

export type AuditLogFields = InferSchemaType<typeof auditLogSchema>;
export const AuditLog = model('AuditLog', auditLogSchema);
