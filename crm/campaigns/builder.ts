import type { Types } from 'mongoose';
import { Campaign } from '../../models/campaign.js';
import { Source } from '../../models/source.js';
import { Group } from '../../models/group.js';
import { listStages } from '../stages/stages.js';
import { listActiveStaff } from '../users/users.js';
import { getSettings } from '../settings/settings.js';
import { CrmError } from '../shared/errors.js';
import { toObjectId } from '../shared/ids.js';
import { assertRole, type Actor } from '../users/actor.js';
import { campaignChannelChoices, assertCampaignChannels, type CampaignChannelChoice } from './channelChoices.js';
import { countRecipients, sampleRecipient, validChannels, segmentConditions, type CampaignSegment, type RecipientCount, type SampleRecipient } from './segment.js';
import { unknownPlaceholders } from './template.js';
import { createCampaignDraft, updateCampaignDraft, type CampaignDraftInput } from './drafts.js';
import { scheduleCampaign, type CampaignRecord } from './lifecycle.js';
import { parseCompanyTime, companyTimeInput } from './scheduleTime.js';
import { estimateCost, type CostEstimate } from './cost.js';
import { renderSms, type OutreachContent } from './outreachContent.js';
import { smsSegments, type SmsSegments } from '../outreach/sms/segments.js';
import { ZNS_PARAM_FIELDS } from '../../models/campaign.js';

/** The placeholders the builder offers to insert, in the team's words. */
export const BUILDER_PLACEHOLDERS = ['{ten}', '{ma}', '{nguoi_phu_trach}'] as const;

export interface Option {
  value: string;
  label: string;
  color?: string;
}

export interface BuilderOptions {
  channels: CampaignChannelChoice[];
  stages: Option[];
  sources: Option[];
  groups: Option[];
  owners: Option[];
  placeholders: readonly string[];
  /** Customer fields a ZNS template parameter can take its value from. */
  znsFields: readonly string[];
  timezone: string;
}

/** Everything the campaign page offers to pick from: running channels, and the segment's lists by name. */
export async function campaignBuilderOptions(actor: Actor, now = new Date()): Promise<BuilderOptions> {
  assertRole(actor, 'admin', 'manager');
  const [channels, stages, sources, groups, owners, settings] = await Promise.all([
    campaignChannelChoices(now),
    listStages(),
    Source.find({ active: true }).select('name').sort({ name: 1 }).lean(),
    Group.find().select('name').sort({ name: 1 }).lean(),
    listActiveStaff(),
    getSettings(),
  ]);
  const option = (d: { _id: Types.ObjectId; name: string }) => ({ value: String(d._id), label: d.name });
  return {
    channels,
    stages: stages.map((s) => ({ ...option(s), color: s.color ?? undefined })),
    sources: sources.map(option),
    groups: groups.map(option),
    owners: owners.map(option),
    placeholders: BUILDER_PLACEHOLDERS,
    znsFields: ZNS_PARAM_FIELDS,
    timezone: settings.timezone ?? 'Asia/Ho_Chi_Minh',
  };
}

export interface CampaignPreview {
  /** Null until a channel is chosen. */
  count: RecipientCount | null;
  sample: SampleRecipient | null;
  unknownPlaceholders: string[];
  /** The SMS as the sample customer would get it (without marks), with its length in segments. */
  sms: { text: string; size: SmsSegments } | null;
  /** What the paid channels (SMS, ZNS) would cost for the recipients counted. */
  cost: CostEstimate | null;
}

/** What the page shows while the admin chooses: who would get it, and the message for one of them. */
export async function previewCampaign(actor: Actor, input: CampaignDraftInput, now = new Date()): Promise<CampaignPreview> {
  assertRole(actor, 'admin', 'manager');
  const segment = input.segment ?? {};
  // A malformed segment is refused here too, so the page says why before anything is saved.
  segmentConditions(segment, now);
  const outreach: OutreachContent = input.outreach ?? {};
  const unknown = [...new Set([...unknownPlaceholders(input.template ?? ''), ...unknownPlaceholders(outreach.smsText ?? '')])];
  if (!input.channels?.length) return { count: null, sample: null, unknownPlaceholders: unknown, sms: null, cost: null };
  const channels = validChannels(input.channels);
  const [count, sample] = await Promise.all([
    countRecipients(segment, channels, now),
    sampleRecipient(segment, channels, { template: input.template ?? '', now }),
  ]);
  // Segments follow the filled-in text: estimated on the sample customer (or with the placeholders empty).
  const smsText = renderSms(input.template ?? '', outreach, sample?.customer ?? {}, sample?.ownerName ?? '');
  const sms = channels.includes('sms') ? { text: smsText, size: smsSegments(smsText) } : null;
  return { count, sample, unknownPlaceholders: unknown, sms, cost: estimateCost(count.byChannel, smsText) };
}

export interface CampaignForm {
  name: string;
  channels: string[];
  segment: { stages: string[]; sources: string[]; groups: string[]; owners: string[]; contactedWithinDays: number | null; notContactedForDays: number | null };
  template: string;
  outreach: Required<{ [K in keyof OutreachContent]: NonNullable<OutreachContent[K]> }>;
  /** The scheduled time on the company's clock (the picker's value), or '' when not scheduled. */
  sendAt: string;
}

/** A saved campaign as the builder's fields. */
export async function campaignForm(actor: Actor, id: unknown): Promise<CampaignForm> {
  assertRole(actor, 'admin', 'manager');
  const campaign = await Campaign.findById(toObjectId(id, 'invalid')).lean();
  if (!campaign) throw new CrmError('invalid', { field: 'campaign' });
  const s = (campaign.segment ?? {}) as Record<string, unknown>;
  const ids = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const { timezone } = await getSettings();
  return {
    name: campaign.name,
    channels: [...(campaign.channels ?? [])],
    segment: {
      stages: ids(s.stages),
      sources: ids(s.sources),
      groups: ids(s.groups),
      owners: ids(s.owners),
      contactedWithinDays: (s.contactedWithinDays as number | null) ?? null,
      notContactedForDays: (s.notContactedForDays as number | null) ?? null,
    },
    template: campaign.template,
    outreach: {
      emailSubject: campaign.outreach?.emailSubject ?? '',
      smsText: campaign.outreach?.smsText ?? '',
      znsTemplateId: campaign.outreach?.znsTemplateId ?? '',
      znsParams: (campaign.outreach?.znsParams ?? []).map((p) => ({ key: p.key, field: p.field as (typeof ZNS_PARAM_FIELDS)[number] })),
    },
    sendAt: campaign.scheduledAt ? companyTimeInput(campaign.scheduledAt, timezone ?? 'Asia/Ho_Chi_Minh') : '',
  };
}

/**
 * Saves what the builder holds: a new draft or changes to one, with the channels checked against
 * those running. With `sendAt` (company clock) it is scheduled as well; the time is checked before
 * anything is written, so a bad date leaves nothing half-saved.
 */
export async function saveCampaign(actor: Actor, id: unknown | null, input: CampaignDraftInput & { sendAt?: string }, now = new Date()): Promise<CampaignRecord> {
  assertRole(actor, 'admin', 'manager');
  if (input.channels !== undefined || id === null) await assertCampaignChannels(input.channels, now);
  const at = input.sendAt ? await companyTimeToDate(input.sendAt) : null;
  if (at && at.getTime() <= now.getTime()) throw new CrmError('invalid', { field: 'scheduledAt' });
  const { sendAt: _ignored, ...draft } = input;
  const saved = (id === null ? await createCampaignDraft(actor, draft) : await updateCampaignDraft(actor, id, draft)) as CampaignRecord;
  return at ? scheduleCampaign(actor, saved._id, at, now) : saved;
}

/** Schedules a saved campaign at a time picked on the company's clock. */
export async function scheduleCampaignAt(actor: Actor, id: unknown, sendAt: unknown, now = new Date()): Promise<CampaignRecord> {
  return scheduleCampaign(actor, id, await companyTimeToDate(sendAt), now);
}

async function companyTimeToDate(text: unknown): Promise<Date> {
  const { timezone } = await getSettings();
  return parseCompanyTime(text, timezone ?? 'Asia/Ho_Chi_Minh');
}
