import type { Types } from 'mongoose';
import { ScheduledMessage } from '../../models/scheduledMessage.js';
import { CareTemplate, CARE_KINDS, type CareKind, type CareTemplateRecord } from '../../models/careTemplate.js';
import { assertKnownPlaceholders } from '../campaigns/template.js';
import { CrmError, refusalFromValidation } from '../shared/errors.js';
import { toObjectId } from '../shared/ids.js';
import { assertRole, type Actor } from '../users/actor.js';

export interface CareTemplateInput {
  name?: string;
  kind?: string;
  days?: number | null;
  text?: string;
  hour?: number | null;
  active?: boolean;
}

/** The whole template as it would be saved, checked: kind, N days for "after won", hour 0–23, known placeholders. */
function validated(input: CareTemplateInput, current?: CareTemplateRecord): Record<string, unknown> {
  const next = { ...(current ?? {}), ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) } as CareTemplateInput;
  if (!next.name?.trim()) throw new CrmError('invalid', { field: 'name' });
  if (!CARE_KINDS.includes(next.kind as CareKind)) throw new CrmError('invalid', { field: 'kind' });
  if (!next.text?.trim()) throw new CrmError('invalid', { field: 'text' });
  assertKnownPlaceholders(next.text);
  const hour = next.hour ?? 9;
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new CrmError('invalid', { field: 'hour' });
  const days = next.kind === 'days_after_won' ? next.days : undefined;
  if (next.kind === 'days_after_won' && (!Number.isInteger(days) || days! < 1 || days! > 3650)) throw new CrmError('invalid', { field: 'days' });
  return { name: next.name.trim(), kind: next.kind, days: days ?? null, text: next.text.trim(), hour, active: next.active ?? true };
}

/** Care templates are the company's voice: admins and managers write them. */
export async function createCareTemplate(actor: Actor, input: CareTemplateInput): Promise<CareTemplateRecord> {
  assertRole(actor, 'admin', 'manager');
  try {
    return (await CareTemplate.create(validated(input))).toObject() as CareTemplateRecord;
  } catch (e) {
    throw refusalFromValidation(e) ?? e;
  }
}

export async function updateCareTemplate(actor: Actor, id: string, input: CareTemplateInput): Promise<CareTemplateRecord> {
  assertRole(actor, 'admin', 'manager');
  const current = (await CareTemplate.findById(toObjectId(id, 'invalid')).lean()) as CareTemplateRecord | null;
  if (!current) throw new CrmError('invalid', { field: 'id' });
  let updated: CareTemplateRecord;
  try {
    updated = (await CareTemplate.findOneAndUpdate({ _id: current._id }, { $set: validated(input, current) }, { returnDocument: 'after', runValidators: true, lean: true })) as CareTemplateRecord;
  } catch (e) {
    throw refusalFromValidation(e) ?? e;
  }
  // Switched off: nothing it queued goes out after that.
  if (!updated.active) await cancelQueued(updated._id);
  return updated;
}

/** Deleting keeps what was sent; what it queued and not yet sent is cancelled with it. */
export async function deleteCareTemplate(actor: Actor, id: string): Promise<void> {
  assertRole(actor, 'admin', 'manager');
  const _id = toObjectId(id, 'invalid');
  await CareTemplate.deleteOne({ _id });
  await cancelQueued(_id);
}

async function cancelQueued(templateId: Types.ObjectId): Promise<void> {
  await ScheduledMessage.updateMany({ careTemplate: templateId, status: 'scheduled' }, { $set: { status: 'cancelled' } });
}
