// A micro architecture for fast tests on the cpu backend (not a preset).
import { ModelConfig } from './config.js';

export function microConfig(overrides: { imagePool?: 'cls' | 'mean' } = {}): ModelConfig {
  return ModelConfig.parse({
    name: 'micro',
    embedDim: 8,
    image: {
      size: 8,
      patch: 4,
      width: 16,
      depth: 2,
      heads: 2,
      mlpRatio: 2,
      pool: overrides.imagePool ?? 'cls',
    },
    text: { context: 6, vocab: 24, width: 16, depth: 2, heads: 2, mlpRatio: 2 },
  });
}
