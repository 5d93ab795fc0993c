import type { Feature } from './context.js';
import { adminFeature } from '../admin/feature.js';
import { chatCoreFeature } from '../bot/core/feature.js';
import { jobsFeature } from '../jobs/feature.js';
import { webChatFeature } from '../bot/web/feature.js';
import { zaloOaFeature } from '../bot/zalo/oa/feature.js';
import { zaloBotFeature } from '../bot/zalo/bot/feature.js';
import { telegramFeature } from '../bot/telegram/feature.js';
import { outreachFeature } from './outreach.js';

/**
 * The parts of the product, started in this order. Each is one line: adding a channel or a panel
 * is adding a feature here, not editing the others.
 */
export const FEATURES: Feature[] = [
  adminFeature,
  chatCoreFeature,
  telegramFeature,
  webChatFeature,
  zaloOaFeature,
  zaloBotFeature,
  outreachFeature,
  jobsFeature,
];
