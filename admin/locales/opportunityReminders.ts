import type { PanelTexts } from './merge.js';

/** Panel texts of the opportunities' reminders (the setting for stale ones) and of a deal won from an opportunity. */
export const opportunityRemindersTexts: PanelTexts = {
  vi: {
    properties: { staleOpportunityDays: 'Số ngày cơ hội không hoạt động (nhắc trong bản tin)', opportunity: 'Cơ hội' },
    resources: { Settings: { properties: { staleOpportunityDays: 'Số ngày cơ hội không hoạt động (nhắc trong bản tin)' } } },
  },
  en: {
    properties: { staleOpportunityDays: 'Days without activity before an opportunity is flagged (digest)', opportunity: 'Opportunity' },
    resources: { Settings: { properties: { staleOpportunityDays: 'Days without activity before an opportunity is flagged (digest)' } } },
  },
};
