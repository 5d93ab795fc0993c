import type { PanelTexts } from './merge.js';

/** The panel texts of the campaigns pages, merged over admin/locale.ts. */
export const campaignsTexts: PanelTexts = { vi: {}, en: {} };
