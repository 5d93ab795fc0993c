import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ComponentLoader } from 'adminjs';

/**
 * The panel's own React components. Each one is bundled when the panel starts, so they are few:
 * a dashboard, the customer card, the stage reorder list, the CSV import, and two generic ones
 * (a picker for bulk actions and a small form for record actions).
 */
export const componentLoader = new ComponentLoader();
const here = path.dirname(fileURLToPath(import.meta.url));
const add = (name: string) => componentLoader.add(name, path.join(here, name));

export const Components = {
  Dashboard: add('Dashboard'),
  CustomerCard: add('CustomerCard'),
  StageReorder: add('StageReorder'),
  CustomerImport: add('CustomerImport'),
  BulkPick: add('BulkPick'),
  ActionForm: add('ActionForm'),
  ColorBadge: add('ColorBadge'),
  CampaignLaunch: add('CampaignLaunch'),
  CampaignBuilder: add('CampaignBuilder'),
  CampaignProgress: add('CampaignProgress'),
  PhoneList: add('PhoneList'),
  ColorPicker: add('ColorPicker'),
  SettingsForm: add('SettingsForm'),
  AuditSentence: add('AuditSentence'),
  SelectTexts: add('SelectTexts'),
  FollowUpForm: add('FollowUpForm'),
  OrganizationContacts: add('OrganizationContacts'),
  OpportunityBoard: add('OpportunityBoard'),
  MoneyValue: add('MoneyValue'),
  QuotePdfLink: add('QuotePdfLink'),
  CustomerQuotes: add('CustomerQuotes'),
  QuoteLines: add('QuoteLines'),
  CompanyLogoForm: add('CompanyLogoForm'),
  TargetComments: add('TargetComments'),
};

// AdminJS's own value cells, replaced on every page: dates in the company's zone and format, and
// yes/no in the panel's language (see the components' comments).
componentLoader.override('DefaultDatetimeListProperty', path.join(here, 'LocalDateTime'));
componentLoader.override('DefaultDatetimeShowProperty', path.join(here, 'LocalDateTime'));
componentLoader.override('BooleanPropertyValue', path.join(here, 'BooleanText'));
componentLoader.override('DefaultBooleanFilterProperty', path.join(here, 'BooleanFilter'));
