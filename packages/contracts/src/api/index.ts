// The HTTP API's request and response shapes, shared by the API, the CLI and the dashboard.
export * from './common.js';
export * from './accounts.js';
export * from './auth.js';
export * from './catalog.js';
export * from './experiments.js';
export * from './runs.js';
export * from './schedules.js';
export * from './grants.js';
