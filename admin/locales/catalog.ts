import type { PanelTexts } from './merge.js';

/** The panel texts of the catalog pages, merged over admin/locale.ts. */
export const catalogTexts: PanelTexts = {
  vi: { messages: { colorOther: 'Màu khác' } },
  en: { messages: { colorOther: 'Other colour' } },
};
