export * from './segment.js';
export * from './template.js';
export * from './deliveries.js';
export * from './lifecycle.js';
export * from './optOut.js';
export * from './channelChoices.js';
export * from './scheduleTime.js';
export * from './builder.js';
