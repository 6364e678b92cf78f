// Data access shared by the API, the CLI, the test fixtures and the trainer: shard locations and
// the grants that bound them, outbound fetches, the tar/WebDataset reader and writer, caption
// streams for curation, the pool index and the clip_benchmark eval-set reader. Nothing here
// decodes images or loads tfjs.
export * from './stats.js';
export * from './shards.js';
export * from './data-access.js';
export * from './location-error.js';
export { isPublicAddress, isAllowListed, parseAllowList } from './address-rule.js';
export { grantedRealPath, localPathOf } from './granted-shards.js';
export { fetchShardBody } from '#outbound-fetch';
export { readTarMembers, readTarBytes, isTarHeader, type TarMember } from './tar-members.js';
export * from './webdataset.js';
export * from './pool-index.js';
export * from './caption-stream.js';
export * from './sample-image.js';
export * from './eval-set.js';
export { objectEvalSetLayout, type ObjectEvalSetLayout } from './object-eval-set.js';
export * from './tar-writer.js';
