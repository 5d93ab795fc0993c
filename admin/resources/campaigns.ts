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
  scheduleCampaignAt,
  startCampaign,
  unknownPlaceholders,
  campaignReport,
  campaignBuilderOptions,
  campaignForm,
  previewCampaign,
  saveCampaign,
  companyTimeText,
  type CampaignSegment,
  type OutreachContent,
} from '../../crm/campaigns/index.js';
import type { ZnsParamField } from '../../models/campaign.js';
import { deleteCampaignDraft } from '../../crm/campaigns/drafts.js';
import { getSettings } from '../../crm/settings/settings.js';
import { recordAudit } from '../../crm/audit/audit.js';
import { isCrmError } from '../../crm/shared/errors.js';
import { toObjectId } from '../../crm/shared/ids.js';
import { actorOf, isManagerOrAdmin } from '../access.js';
import { crmNotice, deleteThrough, list, optional, payloadOf } from '../respond.js';
import { Components } from '../components/index.js';
import { campaignProblemKey } from '../locales/campaigns.js';

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
  return { name: optional(p.name), channels: list(p.channels), segment, template: typeof p.template === 'string' ? p.template : undefined, outreach: outreachInput(p.outreach) };
}

/** The email, SMS and ZNS fields as typed; their rules are crm's (checkedOutreachContent). */
function outreachInput(value: unknown): OutreachContent | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const o = value as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const params = Array.isArray(o.znsParams) ? o.znsParams : o.znsParams && typeof o.znsParams === 'object' ? Object.values(o.znsParams) : [];
  return {
    emailSubject: text(o.emailSubject),
    smsText: text(o.smsText),
    znsTemplateId: text(o.znsTemplateId),
    znsParams: params
      .filter((x): x is Record<string, unknown> => !!x && typeof x === 'object')
      .map((x) => ({ key: String(x.key ?? ''), field: String(x.field ?? '') as ZnsParamField })),
  };
}

/** A refusal as a notice: the campaign page's own words when it has them, else the shared crm text. */
function problemNotice(e: unknown) {
  const notice = crmNotice(e);
  const key = isCrmError(e, 'invalid') ? campaignProblemKey(String(e.params.field ?? '')) : null;
  return key ? { ...notice, message: key } : notice;
}

/**
 * The campaign page for new and edit (the CampaignBuilder component). GET gives the choices and
 * the saved fields; POST `op: preview` answers the recipient count and the sample message as the
 * admin chooses; any other POST saves (and schedules, with `sendAt` on the company clock) through
 * crm/campaigns/builder.ts, then opens the launch page.
 */
async function builderHandler(request: ActionRequest, _res: unknown, context: ActionContext) {
  const { record, resource, currentAdmin, h } = context;
  const actor = actorOf(context);
  const id = record ? String(record.id()) : null;
  const recordJson = record?.toJSON(currentAdmin) ?? {};
  try {
    if (request.method !== 'post') {
      return { record: recordJson, builder: { options: await campaignBuilderOptions(actor), form: id ? await campaignForm(actor, id) : null } };
    }
    const p = payloadOf(request);
    const input = draftInput(p);
    if (p.op === 'preview') return { record: recordJson, preview: await previewCampaign(actor, input) };
    const saved = await saveCampaign(actor, id, { ...input, sendAt: optional(p.sendAt) });
    const savedId = String(saved._id);
    if (saved.status === 'scheduled') await recordAudit(actor, { subject: 'campaign', action: 'schedule', recordId: saved._id });
    return {
      record: (await resource.findOne(savedId))?.toJSON(currentAdmin) ?? {},
      redirectUrl: h.recordActionUrl({ resourceId: resource._decorated?.id() ?? resource.id(), recordId: savedId, actionName: 'launch' }),
      notice: { message: id ? 'successfullyUpdated' : 'successfullyCreated', type: 'success' },
    };
  } catch (e) {
    return { record: recordJson, notice: problemNotice(e) };
  }
}

const OPERATIONS = {
  start: (context: ActionContext, id: string) => startCampaign(actorOf(context), id),
  schedule: (context: ActionContext, id: string, at?: string) => scheduleCampaignAt(actorOf(context), id, at),
  pause: (context: ActionContext, id: string) => pauseCampaign(actorOf(context), id),
  resume: (context: ActionContext, id: string) => resumeCampaign(actorOf(context), id),
  cancel: (context: ActionContext, id: string) => cancelCampaign(actorOf(context), id),
};

/**
 * The launch page of a campaign: live recipient count, the message filled in for a sample
 * customer, progress and reasons, and the buttons its status allows (start, schedule, pause,
 * resume, cancel). The page asks again every few seconds while the campaign is scheduled or
 * sending. The lifecycle rules are the campaign services'; this only calls them.
 */
async function launchHandler(request: ActionRequest, _res: unknown, context: ActionContext) {
  const { record, currentAdmin } = context;
  const id = String(record!.id());
  const view = async (notice?: unknown) => {
    const campaign = await Campaign.findById(toObjectId(id, 'invalid')).lean();
    const status = campaign!.status as CampaignStatus;
    const segment = (campaign!.segment ?? {}) as CampaignSegment;
    let count, sample, problem;
    // Who would get it matters until sending starts; after that the page polls, and only progress counts.
    if (status === 'draft' || status === 'scheduled') {
      try {
        [count, sample] = await Promise.all([countRecipients(segment, campaign!.channels), sampleRecipient(segment, campaign!.channels, { template: campaign!.template })]);
      } catch (e) {
        problem = problemNotice(e);
      }
    }
    const report = await campaignReport(campaign!._id);
    const { timezone } = await getSettings();
    const fresh = await context.resource.findOne(id);
    return {
      record: fresh!.toJSON(currentAdmin),
      launch: {
        status,
        allowed: allowedActions(status),
        count,
        sample,
        unknownPlaceholders: unknownPlaceholders(campaign!.template),
        report,
        // Started, but the worker has not listed the recipients yet: not "0 of 0".
        resolving: status === 'running' && report.counters.targeted === 0,
        timezone,
        scheduledAt: campaign!.scheduledAt ? companyTimeText(campaign!.scheduledAt, timezone ?? 'Asia/Ho_Chi_Minh') : null,
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
    return view(problemNotice(e));
  }
}

export function campaignResources() {
  return [
    {
      resource: Campaign,
      options: {
        navigation: { name: 'marketing', icon: 'Send' },
        listProperties: ['name', 'status', 'channels', 'progress', 'scheduledAt', 'createdAt'],
        editProperties: ['name', 'channels', 'segment', 'template'],
        showProperties: ['name', 'status', 'channels', 'progress', 'template', 'scheduledAt', 'startedAt', 'completedAt', 'createdBy', 'createdAt'],
        properties: {
          template: { type: 'textarea' },
          channels: { components: { list: Components.CampaignProgress, show: Components.CampaignProgress } },
          // Computed from the counters: "Đã gửi 2/2" instead of four "Counters …" columns.
          progress: { type: 'string', components: { list: Components.CampaignProgress, show: Components.CampaignProgress }, isVisible: { list: true, show: true, edit: false, filter: false } },
        },
        actions: {
          list: managersOnly,
          show: managersOnly,
          search: managersOnly,
          bulkDelete: { isAccessible: false, isVisible: false },
          new: { ...managersOnly, component: Components.CampaignBuilder, handler: builderHandler },
          edit: { isAccessible: draftOnly, component: Components.CampaignBuilder, handler: builderHandler },
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
        // The claim token only tells a sender which deliveries it won: nothing for a manager to read.
        properties: { claim: { isVisible: false } },
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
