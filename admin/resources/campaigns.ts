import type { ActionContext, ActionRequest } from 'adminjs';
import { Campaign, type CampaignStatus } from '../../models/campaign.js';
import { CampaignDelivery } from '../../models/campaignDelivery.js';
import {
  allowedActions,
  cancelCampaign,
  countRecipients,
  pauseCampaign,
  resumeCampaign,
  sampleRecipient,
  scheduleCampaign,
  startCampaign,
  unknownPlaceholders,
  campaignReport,
  type CampaignSegment,
} from '../../crm/campaigns/index.js';
import { createCampaignDraft, updateCampaignDraft, deleteCampaignDraft } from '../../crm/campaigns/drafts.js';
import { recordAudit } from '../../crm/audit/audit.js';
import { toObjectId } from '../../crm/shared/ids.js';
import { actorOf, isManagerOrAdmin } from '../access.js';
import { crmNotice, deleteThrough, list, optional, payloadOf, saveThrough } from '../respond.js';
import { Components } from '../components/index.js';

const managersOnly = { isAccessible: isManagerOrAdmin };
type WithRecord = ActionContext;
const draftOnly = (context: WithRecord) => isManagerOrAdmin(context) && (!context.record || context.record.param('status') === 'draft');

function draftInput(p: Record<string, any>) {
  const s = (p.segment ?? {}) as Record<string, unknown>;
  const days = (v: unknown) => (v === undefined || v === null || v === '' ? null : Number(v));
  const segment: CampaignSegment = {
    stages: list(s.stages),
    groups: list(s.groups),
    sources: list(s.sources),
    owners: list(s.owners),
    contactedWithinDays: days(s.contactedWithinDays),
    notContactedForDays: days(s.notContactedForDays),
  };
  return { name: optional(p.name), channels: list(p.channels).length ? list(p.channels) : undefined, segment, template: optional(p.template) };
}

const OPERATIONS = {
  start: (context: ActionContext, id: string) => startCampaign(actorOf(context), id),
  schedule: (context: ActionContext, id: string, at?: string) => scheduleCampaign(actorOf(context), id, new Date(String(at ?? ''))),
  pause: (context: ActionContext, id: string) => pauseCampaign(actorOf(context), id),
  resume: (context: ActionContext, id: string) => resumeCampaign(actorOf(context), id),
  cancel: (context: ActionContext, id: string) => cancelCampaign(actorOf(context), id),
};

/**
 * The launch page of a campaign: live recipient count, the message filled in for a sample
 * customer, progress and reasons, and the buttons its status allows (start, schedule, pause,
 * resume, cancel). The lifecycle rules are the campaign services'; this only calls them.
 */
async function launchHandler(request: ActionRequest, _res: unknown, context: ActionContext) {
  const { record, currentAdmin } = context;
  const id = String(record!.id());
  const view = async (notice?: unknown) => {
    const campaign = await Campaign.findById(toObjectId(id, 'invalid')).lean();
    const status = campaign!.status as CampaignStatus;
    const segment = (campaign!.segment ?? {}) as CampaignSegment;
    let count, sample, problem;
    try {
      [count, sample] = await Promise.all([countRecipients(segment, campaign!.channels), sampleRecipient(segment, campaign!.channels, { template: campaign!.template })]);
    } catch (e) {
      problem = crmNotice(e);
    }
    const fresh = await context.resource.findOne(id);
    return {
      record: fresh!.toJSON(currentAdmin),
      launch: {
        status,
        allowed: allowedActions(status),
        count,
        sample,
        unknownPlaceholders: unknownPlaceholders(campaign!.template),
        report: await campaignReport(campaign!._id),
      },
      notice: notice ?? problem,
    };
  };
  if (request.method !== 'post') return view();
  const p = payloadOf(request);
  const op = String(p.op ?? '') as keyof typeof OPERATIONS;
  if (!OPERATIONS[op]) return view({ message: 'crmError_invalid', type: 'error', options: { field: 'op' } });
  try {
    await OPERATIONS[op](context, id, optional(p.at));
    await recordAudit(actorOf(context), { subject: 'campaign', action: op, recordId: id });
    return view({ message: 'successfullyUpdated', type: 'success' });
  } catch (e) {
    return view(crmNotice(e));
  }
}

export function campaignResources() {
  return [
    {
      resource: Campaign,
      options: {
        navigation: { name: 'marketing', icon: 'Send' },
        listProperties: ['name', 'status', 'channels', 'scheduledAt', 'counters.sent', 'counters.failed', 'createdAt'],
        editProperties: ['name', 'channels', 'segment', 'template'],
        showProperties: ['name', 'status', 'channels', 'segment', 'template', 'scheduledAt', 'startedAt', 'completedAt', 'counters', 'createdBy', 'createdAt'],
        properties: { template: { type: 'textarea' } },
        actions: {
          list: managersOnly,
          show: managersOnly,
          search: managersOnly,
          bulkDelete: { isAccessible: false, isVisible: false },
          new: {
            ...managersOnly,
            handler: saveThrough(async (request, context) => ({ id: String((await createCampaignDraft(actorOf(context), draftInput(payloadOf(request))))._id) }), 'successfullyCreated'),
          },
          edit: {
            isAccessible: draftOnly,
            handler: saveThrough(async (request, context) => {
              const id = String(context.record!.id());
              await updateCampaignDraft(actorOf(context), id, draftInput(payloadOf(request)));
              return { id };
            }, 'successfullyUpdated'),
          },
          delete: { isAccessible: draftOnly, handler: deleteThrough((id, context) => deleteCampaignDraft(actorOf(context), id)) },
          launch: { actionType: 'record', icon: 'Send', ...managersOnly, component: Components.CampaignLaunch, handler: launchHandler },
        },
      },
    },
    {
      resource: CampaignDelivery,
      options: {
        navigation: { name: 'marketing', icon: 'Send' },
        listProperties: ['campaign', 'customer', 'channel', 'status', 'reason', 'sentAt'],
        filterProperties: ['campaign', 'status', 'channel'],
        actions: {
          list: managersOnly,
          show: managersOnly,
          search: managersOnly,
          new: { isAccessible: false, isVisible: false },
          edit: { isAccessible: false, isVisible: false },
          delete: { isAccessible: false, isVisible: false },
          bulkDelete: { isAccessible: false, isVisible: false },
        },
      },
    },
  ];
}
