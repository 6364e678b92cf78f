// Forward FLOPs per sample computed from the architecture, 2 FLOPs per multiply-accumulate.
// Same accounting as the PyTorch peer (shared/peer/torch_clip.py `fwd_flops`): patch embedding,
// qkv and output projections, attention scores and weighted sum, MLP, final projections;
// layer norms, softmax, GELU and embedding lookups are not counted.
import { imageTokens, type ModelConfig } from './config.js';

function towerFlops(tokens: number, width: number, depth: number, mlpRatio: number): number {
  // per block: qkv 3w² + out w² + MLP 2·r·w² MACs per token, scores + weighted sum 2·n²·w MACs
  const perBlock = tokens * 2 * (4 + 2 * mlpRatio) * width * width + 4 * tokens * tokens * width;
  return depth * perBlock;
}

/** Forward FLOPs of one image-text pair. */
export function forwardFlops(config: ModelConfig): number {
  const { image, text, embedDim } = config;
  const patches = (image.size / image.patch) ** 2;
  const patchEmbed = 2 * patches * image.channels * image.patch ** 2 * image.width;
  const imageTower = towerFlops(imageTokens(image), image.width, image.depth, image.mlpRatio);
  const textTower = towerFlops(text.context, text.width, text.depth, text.mlpRatio);
  const projections = 2 * embedDim * (image.width + text.width);
  return patchEmbed + imageTower + textTower + projections;
}

/** Forward GFLOPs of one image-text pair. */
export function forwardGflops(config: ModelConfig): number {
  return forwardFlops(config) / 1e9;
}
