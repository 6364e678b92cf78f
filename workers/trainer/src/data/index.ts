// Training data: decoded and augmented images, prefetching, source sampling, shuffling and the
// pool's training batches. Reading shards and eval sets lives in @curio/webdataset.
export * from './image.js';
export * from './prefetch.js';
export * from './source-sampling.js';
export * from './source-weights.js';
export * from './shuffle-window.js';
export * from './pool-batches.js';
export * from './decode-batches.js';
