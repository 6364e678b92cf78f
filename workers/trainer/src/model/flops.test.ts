import { describe, expect, it } from 'vitest';
import { ModelConfig } from './config.js';
import { forwardFlops, jointForwardFlops, towerForwardFlops } from './flops.js';
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

  it('splits the count by tower', () => {
    expect(towerForwardFlops(microConfig())).toEqual({
      image: 6144 + 44_160 + 256,
      text: 53_760 + 256,
    });
  });

  // Token learners, image at 1 to 2 tokens (the class token passes through: 3 tokens after it),
  // text at 1 to 3 tokens. A block on n tokens: 2·n·(4·16² + 2·2·16²) + 4·n²·16 = 4096n + 64n².
  //   image learner on 4 patches: MLP 2·4·64·(16 + 2) = 9 216, sums 2·2·4·16 = 256  =  9 472
  //   image: 6 144 + block(5) 22 080 + 9 472 + block(3) 12 864 + projection 256     = 50 816
  //   text learner on 6 positions: MLP 2·6·64·(16 + 3) = 14 592, sums 2·3·6·16 = 576 = 15 168
  //   text: block(6) 26 880 + 15 168 + block(3) 12 864 + projection 256              = 55 168
  it('counts a token learner and the blocks after it on its tokens', () => {
    const micro = microConfig();
    const reduced = ModelConfig.parse({
      ...micro,
      image: { ...micro.image, tokenLearner: { at: 1, tokens: 2 } },
      text: { ...micro.text, tokenLearner: { at: 1, tokens: 3 } },
    });
    expect(towerForwardFlops(reduced)).toEqual({ image: 50_816, text: 55_168 });
    // shared blocks run on the reduced tokens: 3 in both towers
    const shared = ModelConfig.parse({ ...reduced, shared: { depth: 1, heads: 2, mlpRatio: 2 } });
    expect(towerForwardFlops(shared)).toEqual({ image: 50_816 + 12_864, text: 55_168 + 12_864 });
  });

  // Joint module, K = 2, 2 stages, on the micro towers' 5 image + 6 text tokens = 11 positions:
  //   learner 11 → 2: MLP 2·11·64·(16 + 2) = 25 344, sums 2·2·11·16 = 704      = 26 048
  //   learner  2 → 2: MLP 2·2·64·(16 + 2) = 4 608, sums 2·2·2·16 = 128          =  4 736
  //   two blocks on 2 tokens: 2·(4096·2 + 64·2²)                                  = 16 896
  //   score projection 2·16                                                       =     32
  it('counts the joint module apart from the towers, per pair', () => {
    const micro = microConfig();
    expect(jointForwardFlops(micro)).toBe(0);
    const joint = ModelConfig.parse({ ...micro, joint: { tokens: 2, stages: 2 } });
    expect(jointForwardFlops(joint)).toBe(26_048 + 4_736 + 16_896 + 32);
    expect(forwardFlops(joint)).toBe(MICRO);
  });
});
