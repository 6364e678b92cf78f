export { clipHeadGrads, clipHeadLoss } from './clip-head.js';
export type { HeadGrads, HeadOptions } from './clip-head.js';
export { contrastiveLoss, contrastiveLossAndGrads } from './contrastive.js';
export type { ContrastiveGrads, ContrastiveOptions, LossDirection } from './contrastive.js';
export { drawMixup, mixupTargets, mixWithReversed } from './mixup.js';
export type { Mixup, MixupSide } from './mixup.js';
export { l2Normalize, l2NormalizeBackward } from './normalize.js';
export { hardNegatives, matchingLoss } from './pair-matching.js';
export type { NegativePairs } from './pair-matching.js';
