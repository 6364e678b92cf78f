// Seeded synthetic image-text data: pool shards, metadata and a clip_benchmark eval set.
export {
  generateSyntheticData,
  EVAL_TEMPLATES,
  type SyntheticDataOptions,
  type SyntheticDataResult,
  type SampleKind,
} from './generate.js';
export { readSyntheticData } from './manifest.js';
export {
  COLOURS,
  SHAPES,
  DEFAULT_CLASS_NAMES,
  parseClasses,
  classSynonyms,
  type SyntheticClass,
} from './catalog.js';
export {
  onTargetCaption,
  offTargetCaption,
  paraphrasedCaption,
  type ShapeTraits,
} from './captions.js';
export { renderOnTarget, renderOffTarget } from './images.js';
