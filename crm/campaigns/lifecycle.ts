import type { Types } from 'mongoose';
import { Campaign, type CampaignFields, type CampaignStatus } from '../../models/campaign.js';
import { CampaignDelivery } from '../../models/campaignDelivery.js';
import { CrmError } from '../shared/errors.js';
import { toObjectId } from '../shared/ids.js';
import { assertRole, type Actor } from '../users/actor.js';
import { validChannels } from './segment.js';
import { recomputeCounters } from './deliveries.js';

export type CampaignRecord = CampaignFields & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

/**
 * The allowed moves of a campaign. Each is one conditional update on the current status, so two
 * admins pressing different buttons at once cannot leave it in a state neither chose.
 */
export const CAMPAIGN_TRANSITIONS = {
  schedule: { from: ['draft', 'scheduled'], to: 'scheduled' },
  start: { from: ['draft', 'scheduled'], to: 'running' },
  pause: { from: ['running'], to: 'paused' },
  resume: { from: ['paused'], to: 'running' },
  cancel: { from: ['draft', 'scheduled', 'running', 'paused'], to: 'cancelled' },
  complete: { from: ['running'], to: 'completed' },
} as const satisfies Record<string, { from: readonly CampaignStatus[]; to: CampaignStatus }>;

export type CampaignAction = keyof typeof CAMPAIGN_TRANSITIONS;

/** What the admin panel may offer for a campaign in this status. */
export function allowedActions(status: CampaignStatus): CampaignAction[] {
  return (Object.keys(CAMPAIGN_TRANSITIONS) as CampaignAction[]).filter(
    (action) => action !== 'complete' && (CAMPAIGN_TRANSITIONS[action].from as readonly CampaignStatus[]).includes(status),
  );
}

function campaignId(id: unknown): Types.ObjectId {
  try {
    return toObjectId(id, 'invalid');
  } catch {
    throw new CrmError('invalid', { field: 'campaign' });
  }
}

async function transition(actor: Actor, id: unknown, action: CampaignAction, set: Record<string, unknown> = {}): Promise<CampaignRecord> {
  // Campaigns write to many customers at once: only admins and managers decide that.
  assertRole(actor, 'admin', 'manager');
  const _id = campaignId(id);
  const { from, to } = CAMPAIGN_TRANSITIONS[action];
  const updated = (await Campaign.findOneAndUpdate(
    { _id, status: { $in: from } },
    { $set: { status: to, ...set } },
    { returnDocument: 'after', lean: true },
  )) as CampaignRecord | null;
  if (updated) return updated;
  const current = await Campaign.findById(_id).select('status').lean();
  if (!current) throw new CrmError('invalid', { field: 'campaign' });
  throw new CrmError('invalid', { field: 'status', status: current.status, action });
}

async function assertSendable(id: unknown): Promise<void> {
  const campaign = await Campaign.findById(campaignId(id)).select('template channels').lean();
  if (!campaign) throw new CrmError('invalid', { field: 'campaign' });
  if (!campaign.template?.trim()) throw new CrmError('invalid', { field: 'template' });
  validChannels(campaign.channels);
}

/** Starts sending now: the worker resolves the recipients and begins within seconds. */
export async function startCampaign(actor: Actor, id: unknown, now = new Date()): Promise<CampaignRecord> {
  await assertSendable(id);
  return transition(actor, id, 'start', { startedAt: now });
}

/** Starts sending at `at` (the worker promotes it to running when the time comes). */
export async function scheduleCampaign(actor: Actor, id: unknown, at: Date, now = new Date()): Promise<CampaignRecord> {
  if (!(at instanceof Date) || Number.isNaN(at.getTime()) || at.getTime() <= now.getTime()) throw new CrmError('invalid', { field: 'scheduledAt' });
  await assertSendable(id);
  return transition(actor, id, 'schedule', { scheduledAt: at });
}

/** Stops sending after the message in flight; nothing is lost, resume continues with the rest. */
export async function pauseCampaign(actor: Actor, id: unknown): Promise<CampaignRecord> {
  return transition(actor, id, 'pause');
}

export async function resumeCampaign(actor: Actor, id: unknown): Promise<CampaignRecord> {
  return transition(actor, id, 'resume');
}

/** Stops for good: recipients not yet messaged are recorded as skipped ("cancelled"). */
export async function cancelCampaign(actor: Actor, id: unknown, now = new Date()): Promise<CampaignRecord> {
  const cancelled = await transition(actor, id, 'cancel', { completedAt: now });
  await CampaignDelivery.updateMany({ campaign: cancelled._id, status: 'pending' }, { $set: { status: 'skipped', reason: 'cancelled' } });
  const counters = await recomputeCounters(cancelled._id);
  return { ...cancelled, counters };
}

/** Done by the worker when no recipient is left to send to. */
export async function completeCampaign(id: Types.ObjectId, now = new Date()): Promise<CampaignRecord | null> {
  return (await Campaign.findOneAndUpdate(
    { _id: id, status: { $in: CAMPAIGN_TRANSITIONS.complete.from } },
    { $set: { status: 'completed', completedAt: now } },
    { returnDocument: 'after', lean: true },
  )) as CampaignRecord | null;
}

/** Scheduled campaigns whose time has come become running (one conditional update each, safe with two workers). */
export async function startDueCampaigns(now = new Date()): Promise<Types.ObjectId[]> {
  const due = await Campaign.find({ status: 'scheduled', scheduledAt: { $lte: now } }).select('_id').lean();
  const started: Types.ObjectId[] = [];
  for (const { _id } of due) {
    const res = await Campaign.updateOne({ _id, status: 'scheduled', scheduledAt: { $lte: now } }, { $set: { status: 'running', startedAt: now } });
    if (res.modifiedCount) started.push(_id);
  }
  return started;
}
