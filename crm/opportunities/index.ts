export * from './opportunityStages.js';
export * from './opportunityCodes.js';
export * from './opportunityInput.js';
export * from './opportunities.js';
export * from './closeOpportunity.js';
export * from './pipelineSummary.js';
export * from './opportunityCard.js';
