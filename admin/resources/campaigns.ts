import { Campaign } from '../../models/campaign.js';
import { CampaignDelivery } from '../../models/campaignDelivery.js';
import { isManagerOrAdmin } from '../access.js';

const managersOnly = { isAccessible: isManagerOrAdmin };

/**
 * Campaigns as plain records for managers and admins. The launch controls (recipient count,
 * preview, start/pause/resume/cancel) belong to the campaign services being written in
 * crm/campaigns; until they exist, only drafts are edited here and nothing is sent from the panel.
 */
export function campaignResources() {
  return [
    {
      resource: Campaign,
      options: {
        navigation: { name: 'marketing', icon: 'Send' },
        listProperties: ['name', 'status', 'channels', 'scheduledAt', 'counters.sent', 'counters.failed', 'createdAt'],
        editProperties: ['name', 'channels', 'segment', 'template', 'scheduledAt'],
        properties: { template: { type: 'textarea' } },
        actions: {
          list: managersOnly,
          show: managersOnly,
          search: managersOnly,
          new: managersOnly,
          // A campaign that started is history: only drafts change.
          edit: { isAccessible: (context: Parameters<typeof isManagerOrAdmin>[0] & { record?: { param(n: string): unknown } }) => isManagerOrAdmin(context) && (!context.record || context.record.param('status') === 'draft') },
          delete: { isAccessible: (context: Parameters<typeof isManagerOrAdmin>[0] & { record?: { param(n: string): unknown } }) => isManagerOrAdmin(context) && (!context.record || context.record.param('status') === 'draft') },
          bulkDelete: { isAccessible: false, isVisible: false },
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
