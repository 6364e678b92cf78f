// Embedding lookup: a gather forward, and a backward that scatter-adds the output gradient into
// the table's rows. On the CPU-side backends (cpu, wasm) the scatter runs as a plain loop over
// the rows: tfjs's cpu UnsortedSegmentSum takes about a minute for a 4096×128 table, and stock
// wasm has none. Elsewhere (GPU backends) it is tf.unsortedSegmentSum.
import * as tf from '@tensorflow/tfjs';
import { customOp } from './custom-op.js';

const HOST_BACKENDS = new Set(['cpu', 'wasm']);

function scatterAdd(dy: tf.Tensor2D, ids: tf.Tensor1D, rows: number): tf.Tensor2D {
  if (!HOST_BACKENDS.has(tf.getBackend())) return tf.unsortedSegmentSum(dy, ids, rows);
  const width = dy.shape[1];
  const grad = dy.dataSync();
  const index = ids.dataSync();
  const out = new Float32Array(rows * width);
  for (let r = 0; r < index.length; r++) {
    const dst = index[r]! * width;
    const src = r * width;
    for (let c = 0; c < width; c++) out[dst + c]! += grad[src + c]!;
  }
  return tf.tensor2d(out, [rows, width]);
}

/** table [V, W], ids int32 [N] → rows [N, W], differentiable w.r.t. the table. */
export function embeddingLookup(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  const rows = table.shape[0];
  const op = customOp(([t], save) => {
    save([ids]);
    return {
      value: tf.gather(t!, ids),
      gradFunc: (dy, [saved]) => [scatterAdd(dy as tf.Tensor2D, saved as tf.Tensor1D, rows)],
    };
  });
  return op(table) as tf.Tensor2D;
}
