import type { PanelTexts } from './merge.js';

/** The panel texts of the dashboard pages, merged over admin/locale.ts. */
export const dashboardTexts: PanelTexts = { vi: {}, en: {} };
