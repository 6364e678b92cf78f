export { ClipModel, LOGIT_SCALE, MAX_LOG_SCALE } from './clip-model.js';
export type {
  ClipModelOptions,
  PairOutputs,
  Temperature,
  Tower,
  Trainable,
  WeightMap,
} from './clip-model.js';
export {
  attentionWidth,
  ImageTowerConfig,
  JointConfig,
  ModelConfig,
  SharedBlocksConfig,
  TextTowerConfig,
  imagePatches,
  imageTokens,
  reducedImageTokens,
} from './config.js';
export type { ModelConfigInput } from './config.js';
export {
  createModel,
  modelConfig,
  modelOfConfig,
  PRESETS,
  withJoint,
  withTokenLearners,
} from './factory.js';
export type { CreateModelOptions, Preset } from './factory.js';
export {
  forwardFlops,
  forwardGflops,
  jointForwardFlops,
  towerForwardFlops,
  towerForwardGflops,
} from './flops.js';
export type { TowerFlops } from './flops.js';
export { TOKEN_LEARNER_BOTTLENECK, TokenLearner } from './token-learner.js';
export { parameterCount } from './size.js';
export type { ParamKind } from './params.js';
export { PAD_ID } from './text-tower.js';
export type { TextPooling } from './text-tower.js';
export { matmulPlan, setMatmulPlan } from './matmul.js';
export type { MatmulPlan } from './matmul.js';
