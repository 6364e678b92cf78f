// Parameter count computed from the architecture alone (no tensors built), for growth budgets.
import {
  attentionWidth,
  imageTokens,
  jointBlockShape,
  type BlockShape,
  type ModelConfig,
} from './config.js';
import { TOKEN_LEARNER_BOTTLENECK } from './token-learner.js';

function blocksParams(b: BlockShape): number {
  const w = b.width;
  const a = attentionWidth(b);
  const hidden = Math.round(w * b.mlpRatio);
  // two layer norms, qkv and out projections, MLP fc and proj, with their biases
  const perBlock =
    4 * w + (3 * w * a + 3 * a) + (a * w + w) + (w * hidden + hidden) + hidden * w + w;
  return b.depth * perBlock;
}

/** A token learner's: its layer norm, the MLP's first layer with bias, the scores (no bias). */
function tokenLearnerParams(width: number, learner: { tokens: number } | undefined): number {
  if (!learner) return 0;
  const h = TOKEN_LEARNER_BOTTLENECK;
  return 2 * width + width * h + h + h * learner.tokens;
}

/** Parameters of a model with this architecture and a learned logit scale. */
export function parameterCount(config: ModelConfig): number {
  const { image, text, shared, embedDim: d } = config;
  const head = (w: number) => 2 * w + w * d;
  const imageTower =
    image.patch ** 2 * image.channels * image.width +
    (image.pool === 'cls' ? image.width : 0) +
    imageTokens(image) * image.width +
    blocksParams(image) +
    tokenLearnerParams(image.width, image.tokenLearner) +
    head(image.width);
  const textTower =
    (text.vocab + text.context) * text.width +
    blocksParams(text) +
    tokenLearnerParams(text.width, text.tokenLearner) +
    head(text.width);
  const sharedBlocks = shared ? blocksParams({ ...shared, width: image.width }) : 0;
  return imageTower + textTower + sharedBlocks + jointParams(config) + 1;
}

/** The joint module's: a token learner and a block per stage, its layer norm and score (w, b). */
function jointParams(config: ModelConfig): number {
  const joint = config.joint;
  if (!joint) return 0;
  const w = config.image.width;
  return (
    joint.stages * tokenLearnerParams(w, joint) +
    blocksParams(jointBlockShape(config, joint)) +
    2 * w +
    w +
    1
  );
}
