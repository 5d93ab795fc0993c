import { Campaign } from '../../models/campaign.js';
import { CrmError } from '../shared/errors.js';
import { toObjectId } from '../shared/ids.js';
import { assertRole, actorUserId, type Actor } from '../users/actor.js';
import { validChannels, segmentConditions, type CampaignSegment } from './segment.js';
import { CAMPAIGN_TEXT_MAX, assertKnownPlaceholders } from './template.js';
import { recordAudit, changedFields } from '../audit/audit.js';
import { checkedOutreachContent, type OutreachContent } from './outreachContent.js';
import type { CampaignChannel } from '../../models/campaign.js';

export interface CampaignDraftInput {
  name?: string;
  channels?: string[];
  segment?: CampaignSegment;
  template?: string;
  /** Email subject, SMS text, ZNS template: needed only for the channels that use them. */
  outreach?: OutreachContent;
}

/**
 * Checks a draft the way sending will read it: channels known, segment ids and day counts valid,
 * and what each chosen channel needs (read from `stored` for the parts the input leaves out).
 */
function checked(input: CampaignDraftInput, stored: { channels?: string[]; outreach?: OutreachContent | null } = {}): Record<string, unknown> {
  const $set: Record<string, unknown> = {};
  if (input.name !== undefined) {
    if (!input.name.trim()) throw new CrmError('invalid', { field: 'name' });
    $set.name = input.name.trim().slice(0, 120);
  }
  if (input.channels !== undefined) $set.channels = validChannels(input.channels);
  if (input.segment !== undefined) {
    segmentConditions(input.segment, new Date());
    $set.segment = input.segment;
  }
  if (input.template !== undefined) {
    if (!input.template.trim() || Array.from(input.template).length > CAMPAIGN_TEXT_MAX) throw new CrmError('invalid', { field: 'template' });
    assertKnownPlaceholders(input.template);
    $set.template = input.template;
  }
  if (input.outreach !== undefined || input.channels !== undefined) {
    const channels = ($set.channels as CampaignChannel[] | undefined) ?? validChannels(stored.channels ?? ['telegram']);
    $set.outreach = checkedOutreachContent(input.outreach ?? stored.outreach ?? {}, channels);
  }
  return $set;
}

/**
 * Campaign drafts from the admin panel (managers and admins). Only a draft is edited: once a
 * campaign is scheduled or sending, what it says and to whom is history.
 */
export async function createCampaignDraft(actor: Actor, input: CampaignDraftInput) {
  assertRole(actor, 'admin', 'manager');
  const fields = checked({ channels: ['telegram'], ...input });
  if (!fields.name || !fields.template) throw new CrmError('invalid', { field: fields.name ? 'template' : 'name' });
  const doc = await Campaign.create({ ...fields, status: 'draft', createdBy: actorUserId(actor) });
  await recordAudit(actor, { subject: 'campaign', action: 'create', recordId: doc._id, details: String(fields.name) });
  return doc.toObject();
}

export async function updateCampaignDraft(actor: Actor, id: unknown, patch: CampaignDraftInput) {
  assertRole(actor, 'admin', 'manager');
  const _id = toObjectId(id, 'invalid');
  const stored = await Campaign.findById(_id).select('channels outreach').lean();
  const $set = checked(patch, { channels: stored?.channels as string[] | undefined, outreach: stored?.outreach as OutreachContent | undefined });
  const updated = await Campaign.findOneAndUpdate({ _id, status: 'draft' }, { $set }, { returnDocument: 'after', lean: true, runValidators: true });
  if (!updated) throw new CrmError('invalid', { field: 'status' });
  await recordAudit(actor, { subject: 'campaign', action: 'edit', recordId: _id, details: changedFields($set) });
  return updated;
}

export async function deleteCampaignDraft(actor: Actor, id: unknown): Promise<void> {
  assertRole(actor, 'admin', 'manager');
  const _id = toObjectId(id, 'invalid');
  const res = await Campaign.deleteOne({ _id, status: 'draft' });
  if (!res.deletedCount) throw new CrmError('invalid', { field: 'status' });
  await recordAudit(actor, { subject: 'campaign', action: 'delete', recordId: _id });
}
