// Data loading: shards, WebDataset samples, caption streams for curation, decoded training
// batches, source sampling and clip_benchmark eval sets.
export * from './stats.js';
export * from './shards.js';
export { readTarMembers, readTarBytes, isTarHeader, type TarMember } from './tar-members.js';
export * from './webdataset.js';
export * from './pool-index.js';
export * from './caption-stream.js';
export * from './image.js';
export * from './prefetch.js';
export * from './source-sampling.js';
export * from './shuffle-window.js';
export * from './pool-batches.js';
export * from './decode-batches.js';
export * from './eval-set.js';
export * from './tar-writer.js';
