// Times tf.matMul on the active backend and reports achieved GFLOP/s.
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
  msPerCall: number;
  gflops: number;
}

type Tf = Pick<typeof tfjs, 'randomNormal' | 'matMul' | 'dispose' | 'tidy'>;

/** Runs `warmup` then `iterations` products (at least `minMs` of them) and returns the mean. */
export async function benchmarkMatMul(
  tf: Tf,
  shape: MatMulShape,
  options: { iterations?: number; warmup?: number; minMs?: number } = {},
): Promise<MatMulTiming> {
  const { batch, m, k, n, transposeA, transposeB } = shape;
  const batchDims = batch > 1 ? [batch] : [];
  const a = tf.randomNormal([...batchDims, ...(transposeA ? [k, m] : [m, k])]);
  const b = tf.randomNormal([...batchDims, ...(transposeB ? [n, k] : [k, n])]);
  // wasm and cpu kernels run synchronously, so timing the call times the kernel;
  // one read at the end waits for asynchronous backends.
  const once = () => tf.matMul(a, b, transposeA, transposeB).dispose();
  for (let i = 0; i < (options.warmup ?? 2); i++) once();
  const minIterations = options.iterations ?? 5;
  const minMs = options.minMs ?? 200;
  let calls = 0;
  const start = performance.now();
  while (calls < minIterations || performance.now() - start < minMs) {
    once();
    calls++;
  }
  const last = tf.matMul(a, b, transposeA, transposeB);
  await last.data();
  calls++;
  const msPerCall = (performance.now() - start) / calls;
  last.dispose();
  tf.dispose([a, b]);
  const flops = 2 * batch * m * k * n;
  return { ...shape, msPerCall, gflops: flops / (msPerCall * 1e6) };
}
