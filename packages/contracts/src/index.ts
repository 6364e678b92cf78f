export * from './run-spec.js';
export * from './worker-protocol.js';
