export * from './blob-store.js';
export * from './s3-location.js';
