export * from './bounds.js';
export * from './run-spec.js';
export * from './data-access.js';
export * from './text.js';
export * from './metric-names.js';
export * from './worker-protocol.js';
export * from './api/index.js';
