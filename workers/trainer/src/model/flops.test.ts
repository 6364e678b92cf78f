import { describe, expect, it } from 'vitest';
import { ModelConfig } from './config.js';
import { forwardFlops } from './flops.js';
import { microConfig } from './micro.js';

// Hand count for the micro architecture (image 8², patch 4, class token → 5 tokens; text 6
// tokens; width 16, depth 2, MLP ratio 2, d = 8), 2 FLOPs per multiply-accumulate:
//   patch embedding  2·4 patches·48·16                                  =  6 144
//   image block      2·5·(4·16·16 + 2·2·16²) + 4·5²·16 = 20 480 + 1 600  = 22 080, ×2 = 44 160
//   text block       2·6·(4·16·16 + 2·2·16²) + 4·6²·16 = 24 576 + 2 304  = 26 880, ×2 = 53 760
//   projections      2·8·(16 + 16)                                       =    512
const MICRO = 6144 + 44_160 + 53_760 + 512;

describe('forwardFlops', () => {
  it('matches a hand count of the micro architecture', () => {
    expect(forwardFlops(microConfig())).toBe(MICRO);
  });

  it('counts a shared block on both towers’ tokens', () => {
    const micro = microConfig();
    const shared = ModelConfig.parse({ ...micro, shared: { depth: 1, heads: 2, mlpRatio: 2 } });
    expect(forwardFlops(shared)).toBe(MICRO + 22_080 + 26_880);
  });

  it('counts the attention width heads·headDim when it differs from the width', () => {
    const micro = microConfig();
    // 3 heads of 8: A = 24. Image block: 2·5·(4·16·24 + 2·2·16²) + 4·5²·24 = 25 600 + 2 400
    const wide = ModelConfig.parse({ ...micro, image: { ...micro.image, heads: 3, headDim: 8 } });
    expect(forwardFlops(wide)).toBe(MICRO - 44_160 + 2 * 28_000);
  });
});
