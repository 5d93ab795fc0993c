import type { PanelTexts } from './merge.js';

/** Panel texts of the opportunities' reminders: the don't-forget setting for stale opportunities. */
export const opportunityRemindersTexts: PanelTexts = {
  vi: {
    properties: { staleOpportunityDays: 'Số ngày cơ hội không hoạt động (nhắc trong bản tin)' },
    resources: { Settings: { properties: { staleOpportunityDays: 'Số ngày cơ hội không hoạt động (nhắc trong bản tin)' } } },
  },
  en: {
    properties: { staleOpportunityDays: 'Days without activity before an opportunity is flagged (digest)' },
    resources: { Settings: { properties: { staleOpportunityDays: 'Days without activity before an opportunity is flagged (digest)' } } },
  },
};
