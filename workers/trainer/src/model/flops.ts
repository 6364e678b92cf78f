// Forward FLOPs per sample computed from the architecture, 2 FLOPs per multiply-accumulate.
// Same accounting as the PyTorch peer (shared/peer/torch_clip.py `fwd_flops`): patch embedding,
// qkv and output projections, attention scores and weighted sum, MLP, final projections;
// layer norms, softmax, GELU and embedding lookups are not counted. Grown configs count their
// attention width A = heads · headDim (qkv W×3A, out A×W) and their shared blocks, which run on
// both towers' token sequences. A token learner counts its MLP and its weighted sums, and the
// blocks after it (and the shared blocks) count on its tokens. The joint module is counted apart
// (`jointForwardFlops`): the dual encoder never runs it, a pair scorer runs it once per pair.
import {
  attentionWidth,
  imagePatches,
  imageTokens,
  jointBlockShape,
  reducedImageTokens,
  reducedTextTokens,
  type BlockShape,
  type ModelConfig,
} from './config.js';
import { TOKEN_LEARNER_BOTTLENECK } from './token-learner.js';

/** Forward FLOPs of one sample in each tower. */
export interface TowerFlops {
  image: number;
  text: number;
}

function blocksFlops(tokens: number, b: BlockShape): number {
  const w = b.width;
  const a = attentionWidth(b);
  // per block: qkv 3·W·A + out A·W + MLP 2·r·W² MACs per token, scores + weighted sum 2·n²·A MACs
  const perBlock = tokens * 2 * (4 * w * a + 2 * b.mlpRatio * w * w) + 4 * tokens * tokens * a;
  return b.depth * perBlock;
}

/** A token learner reducing P positions of width W to K tokens: MLP W→64→K, K weighted sums. */
function tokenLearnerFlops(positions: number, width: number, tokens: number): number {
  const mlp = 2 * positions * TOKEN_LEARNER_BOTTLENECK * (width + tokens);
  return mlp + 2 * tokens * positions * width;
}

/**
 * A tower's blocks on `tokens` tokens, or with a token learner: blocks up to `at` on them, the
 * learner on `positions`, the rest on `reduced`. Shared blocks run on what the tower ends with.
 */
function towerBlocksFlops(
  tower: BlockShape & { tokenLearner?: { at: number; tokens: number } | undefined },
  tokens: number,
  positions: number,
  reduced: number,
  shared: ModelConfig['shared'],
): number {
  const learner = tower.tokenLearner;
  const sharedOn = (n: number) => (shared ? blocksFlops(n, { ...shared, width: tower.width }) : 0);
  if (!learner) return blocksFlops(tokens, tower) + sharedOn(tokens);
  return (
    blocksFlops(tokens, { ...tower, depth: learner.at }) +
    tokenLearnerFlops(positions, tower.width, learner.tokens) +
    blocksFlops(reduced, { ...tower, depth: tower.depth - learner.at }) +
    sharedOn(reduced)
  );
}

/** Forward FLOPs of one image and of one text, each tower with its projection. */
export function towerForwardFlops(config: ModelConfig): TowerFlops {
  const { image, text, embedDim, shared } = config;
  const patches = imagePatches(image);
  const patchEmbed = 2 * patches * image.channels * image.patch ** 2 * image.width;
  const imageBlocks = towerBlocksFlops(
    image,
    imageTokens(image),
    patches,
    reducedImageTokens(image),
    shared,
  );
  const textBlocks = towerBlocksFlops(
    text,
    text.context,
    text.context,
    reducedTextTokens(text),
    shared,
  );
  return {
    image: patchEmbed + imageBlocks + 2 * embedDim * image.width,
    text: textBlocks + 2 * embedDim * text.width,
  };
}

/** Forward FLOPs of one image-text pair. */
export function forwardFlops(config: ModelConfig): number {
  const { image, text } = towerForwardFlops(config);
  return image + text;
}

/** Forward GFLOPs of one image and of one text. */
export function towerForwardGflops(config: ModelConfig): TowerFlops {
  const { image, text } = towerForwardFlops(config);
  return { image: image / 1e9, text: text / 1e9 };
}

/** Forward GFLOPs of one image-text pair. */
export function forwardGflops(config: ModelConfig): number {
  return forwardFlops(config) / 1e9;
}

/**
 * Forward FLOPs of the joint module on one pair whose text fills the context (padding costs
 * less): per stage a token learner (on the image and text tokens the towers end with at the
 * first stage, on K after) and one block on K tokens; then the score projection. 0 when off.
 */
export function jointForwardFlops(config: ModelConfig): number {
  const joint = config.joint;
  if (!joint) return 0;
  const { width } = config.image;
  const concat = reducedImageTokens(config.image) + reducedTextTokens(config.text);
  const learners =
    tokenLearnerFlops(concat, width, joint.tokens) +
    (joint.stages - 1) * tokenLearnerFlops(joint.tokens, width, joint.tokens);
  return learners + blocksFlops(joint.tokens, jointBlockShape(config, joint)) + 2 * width;
}
