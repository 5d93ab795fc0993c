/**
 * The domain services: everything the chat channels, the admin panel and the jobs do to data goes
 * through these functions, so each business rule lives here once.
 */
export * from './shared/errors.js';
export * from './shared/ids.js';
export * from './shared/money.js';
export * from './users/actor.js';
export * from './users/users.js';
export * from './settings/settings.js';
export * from './stages/stages.js';
export * from './stages/changeStage.js';
export * from './customers/phone.js';
export * from './customers/searchText.js';
export * from './customers/customerCodes.js';
export * from './customers/customers.js';
export * from './customers/captureLead.js';
export * from './customers/customerCard.js';
export * from './interactions/interactions.js';
export * from './followups/followups.js';
export * from './followups/recurrence.js';
export * from './dontForget/sweepDontForget.js';
export * from './reports/period.js';
export * from './reports/reports.js';
export * from './reports/agenda.js';
export * from './seed/defaults.js';
export * from './campaigns/index.js';
export * from './audit/audit.js';
export * from './catalog/catalog.js';
export * from './catalog/stageEditing.js';
export * from './catalog/staff.js';
export * from './bulk/bulkCustomers.js';
export * from './imports/csvImport.js';
export * from './customers/customersInStage.js';
export * from './campaigns/drafts.js';
export * from './interactions/lastInboundChannel.js';
export * from './reports/newCustomersPerDay.js';
export * from './opportunities/index.js';
