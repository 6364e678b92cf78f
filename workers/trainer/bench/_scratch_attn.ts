import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/backend/index.js';
import { attentionResidual } from '../src/model/blocks.js';
import { setFusedOpsEnabled } from '../src/model/fused.js';
import { multiHead } from '../src/model/heads.js';
await selectBackend({ forced: 'wasm-native', log: console.log });
const [B, L, H, W] = (process.argv[2] ?? '128,65,4,128').split(',').map(Number) as [number, number, number, number];
const qkv = tf.randomNormal([B * L, 3 * W]) as tf.Tensor2D;
const dM = tf.randomNormal([B * L, W]);
function run(fused: boolean) {
  setFusedOpsEnabled(fused);
  const mh = multiHead({ batch: B, length: L, heads: H }, W, null);
  const t0 = performance.now();
  tf.tidy(() => { const { merged, saved } = mh.forward(qkv); const d = mh.backward(dM, saved); d.dataSync(); merged.dataSync(); });
  return performance.now() - t0;
}
const best = { true: Infinity, false: Infinity } as Record<string, number>;
for (let i = 0; i < 15; i++) for (const f of [true, false]) best[String(f)] = Math.min(best[String(f)]!, run(f));
console.log(`fused ${best.true!.toFixed(1)} ms, composed ${best.false!.toFixed(1)} ms (best of 15)`);
void attentionResidual;
