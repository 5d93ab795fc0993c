import './mongooseCompat.js';
import AdminJS, { type AdminJSOptions, type ResourceWithOptions } from 'adminjs';
import AdminJSExpress from '@adminjs/express';
import * as AdminJSMongoose from '@adminjs/mongoose';
import { Components, componentLoader } from './components/index.js';
import { locale } from './locale.js';
import { dashboardHandler } from './dashboard.js';
import { accountHandler } from './account.js';
import { customerResource } from './resources/customers.js';
import { organizationResource } from './resources/organizations.js';
import { stageResource, sourceResource, groupResource } from './resources/catalog.js';
import { interactionResource, followUpResource, dealResource } from './resources/activity.js';
import { userResource, settingsResource, auditLogResource } from './resources/staff.js';
import { campaignResources } from './resources/campaigns.js';
import { opportunityStageResource } from './resources/opportunityStages.js';
import { opportunityResource } from './resources/opportunities.js';
import { careTemplateResource } from './resources/careTemplates.js';
import { productResource } from './resources/products.js';
import { quoteResource } from './resources/quotes.js';
import { secretsFiltered, secretsFilteredHandler } from './secrets.js';
import { PANEL_ASSETS_PATH, SYSTEM_FONTS } from './panelAssets.js';
import type { ReplyDeps } from '../bot/core/relay.js';

AdminJS.registerAdapter({ Resource: AdminJSMongoose.Resource, Database: AdminJSMongoose.Database });

export const ROOT_PATH = '/admin';

/**
 * The AdminJS instance: resources, dashboard and texts. Importing this module loads adminjs.
 * `reply` is the running notifier, through which the customer page answers a customer on their channel.
 */
export function createAdmin(opts: { companyName: string; botUsername: () => string | undefined; reply: ReplyDeps }): AdminJS {
  const options: AdminJSOptions = {
    rootPath: ROOT_PATH,
    loginPath: `${ROOT_PATH}/login`,
    logoutPath: `${ROOT_PATH}/logout`,
    componentLoader,
    branding: {
      companyName: opts.companyName,
      withMadeWithLove: false,
      logo: false,
      // AdminJS writes a shortcut-icon link as image/x-icon unless the name ends in .png; browsers read the SVG anyway.
      favicon: `${PANEL_ASSETS_PATH}/favicon.svg`,
      // The design system's theme type declares no `font`, though its styles read `theme.font`.
      theme: { font: SYSTEM_FONTS } as never,
    },
    assets: { styles: [`${PANEL_ASSETS_PATH}/panel.css`] },
    locale: locale as AdminJSOptions['locale'],
    settings: { defaultPerPage: 20 },
    dashboard: { component: Components.Dashboard, handler: secretsFilteredHandler(dashboardHandler) as never },
    pages: { account: { component: Components.ActionForm, icon: 'User', handler: secretsFilteredHandler(accountHandler) as never } },
    resources: secretsFiltered([
      customerResource({ reply: opts.reply }),
      organizationResource({ reply: opts.reply }),
      interactionResource(),
      followUpResource(),
      dealResource(),
      opportunityResource({ reply: opts.reply }),
      quoteResource(),
      productResource(),
      ...campaignResources(),
      careTemplateResource(),
      stageResource(),
      opportunityStageResource(),
      sourceResource(),
      groupResource(),
      userResource({ botUsername: opts.botUsername }),
      settingsResource(),
      auditLogResource(),
    ] as ResourceWithOptions[]),
  };
  return new AdminJS(options);
}

export { AdminJSExpress };
