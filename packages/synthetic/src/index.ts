// Seeded synthetic image-text data: pool shards, metadata and a clip_benchmark eval set.
export {
  generateSyntheticData,
  readSyntheticData,
  EVAL_TEMPLATES,
  type SyntheticDataOptions,
  type SyntheticDataResult,
  type SampleKind,
} from './generate.js';
export {
  COLOURS,
  SHAPES,
  DEFAULT_CLASS_NAMES,
  parseClasses,
  classSynonyms,
  type SyntheticClass,
} from './catalog.js';
export { onTargetCaption, offTargetCaption, type ShapeTraits } from './captions.js';
export { renderOnTarget, renderOffTarget } from './images.js';
