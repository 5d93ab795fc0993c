import type { PanelTexts } from './merge.js';

/** The panel texts of the customerPage pages, merged over admin/locale.ts. */
export const customerPageTexts: PanelTexts = { vi: {}, en: {} };
