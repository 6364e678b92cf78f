// Times tf.matMul on the active backend and reports achieved GFLOP/s. On a shared,
// noisy machine the best of several short rounds is the stable number, so that is reported.
import type * as tfjs from '@tensorflow/tfjs';

export interface MatMulShape {
  batch: number;
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
}

export interface MatMulTiming extends MatMulShape {
  /** Best round's mean milliseconds per product. */
  msPerCall: number;
  gflops: number;
}

type Tf = Pick<typeof tfjs, 'randomNormal' | 'matMul' | 'dispose'>;

export interface BenchmarkOptions {
  /** Measurement rounds; the fastest counts (default 5). */
  rounds?: number;
  /** Minimum milliseconds per round (default 40); at least one product per round. */
  roundMs?: number;
  warmup?: number;
}

export async function benchmarkMatMul(
  tf: Tf,
  shape: MatMulShape,
  options: BenchmarkOptions = {},
): Promise<MatMulTiming> {
  const { batch, m, k, n, transposeA, transposeB } = shape;
  const batchDims = batch > 1 ? [batch] : [];
  const a = tf.randomNormal([...batchDims, ...(transposeA ? [k, m] : [m, k])]);
  const b = tf.randomNormal([...batchDims, ...(transposeB ? [n, k] : [k, n])]);
  // wasm and cpu kernels run synchronously, so timing the call times the kernel;
  // reading the last result waits for asynchronous backends.
  const product = () => tf.matMul(a, b, transposeA, transposeB);
  for (let i = 0; i < (options.warmup ?? 2); i++) product().dispose();
  let best = Infinity;
  for (let round = 0; round < (options.rounds ?? 5); round++) {
    let calls = 0;
    const start = performance.now();
    while (calls === 0 || performance.now() - start < (options.roundMs ?? 40)) {
      const c = product();
      if (++calls > 0 && performance.now() - start >= (options.roundMs ?? 40)) await c.data();
      c.dispose();
    }
    best = Math.min(best, (performance.now() - start) / calls);
  }
  tf.dispose([a, b]);
  return { ...shape, msPerCall: best, gflops: (2 * batch * m * k * n) / (best * 1e6) };
}
