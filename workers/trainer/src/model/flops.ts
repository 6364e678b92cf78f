// Forward FLOPs per sample computed from the architecture, 2 FLOPs per multiply-accumulate.
// Same accounting as the PyTorch peer (shared/peer/torch_clip.py `fwd_flops`): patch embedding,
// qkv and output projections, attention scores and weighted sum, MLP, final projections;
// layer norms, softmax, GELU and embedding lookups are not counted. Grown configs count their
// attention width A = heads · headDim (qkv W×3A, out A×W) and their shared blocks, which run on
// both towers' token sequences.
import { attentionWidth, imageTokens, type BlockShape, type ModelConfig } from './config.js';

function blocksFlops(tokens: number, b: BlockShape): number {
  const w = b.width;
  const a = attentionWidth(b);
  // per block: qkv 3·W·A + out A·W + MLP 2·r·W² MACs per token, scores + weighted sum 2·n²·A MACs
  const perBlock = tokens * 2 * (4 * w * a + 2 * b.mlpRatio * w * w) + 4 * tokens * tokens * a;
  return b.depth * perBlock;
}

/** Forward FLOPs of one image-text pair. */
export function forwardFlops(config: ModelConfig): number {
  const { image, text, embedDim, shared } = config;
  const patches = (image.size / image.patch) ** 2;
  const patchEmbed = 2 * patches * image.channels * image.patch ** 2 * image.width;
  const imageTower = blocksFlops(imageTokens(image), image);
  const textTower = blocksFlops(text.context, text);
  const sharedBlocks = shared
    ? blocksFlops(imageTokens(image), { ...shared, width: image.width }) +
      blocksFlops(text.context, { ...shared, width: text.width })
    : 0;
  const projections = 2 * embedDim * (image.width + text.width);
  return patchEmbed + imageTower + textTower + sharedBlocks + projections;
}

/** Forward GFLOPs of one image-text pair. */
export function forwardGflops(config: ModelConfig): number {
  return forwardFlops(config) / 1e9;
}
