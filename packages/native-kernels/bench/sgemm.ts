// GFLOP/s of tf.matMul on the wasm backend: stock kernels vs Curio's OpenBLAS kernels.
// Usage: npx tsx bench/sgemm.ts [--threads N] [--blas-core SkylakeX|Haswell|auto]   (last line: one JSON object)
import * as tf from '@tensorflow/tfjs';

import { benchmarkMatMul, type MatMulShape } from '../src/matmul-benchmark.js';
import { nativeOptionsFromArgs } from './args.js';
import { initWasmBackend, registerNativeKernels, unregisterWasmKernels } from '../src/index.js';

const nativeOptions = nativeOptionsFromArgs();

const SHAPES: (MatMulShape & { label: string })[] = [
  {
    label: 'dense fwd 8320x128·128x512',
    batch: 1,
    m: 8320,
    k: 128,
    n: 512,
    transposeA: false,
    transposeB: false,
  },
  {
    label: 'dense dX 8320x512·(128x512)ᵀ',
    batch: 1,
    m: 8320,
    k: 512,
    n: 128,
    transposeA: false,
    transposeB: true,
  },
  {
    label: 'dense dW (8320x128)ᵀ·8320x512',
    batch: 1,
    m: 128,
    k: 8320,
    n: 512,
    transposeA: true,
    transposeB: false,
  },
  {
    label: 'attn QKᵀ 512×(65x32·(65x32)ᵀ)',
    batch: 512,
    m: 65,
    k: 32,
    n: 65,
    transposeA: false,
    transposeB: true,
  },
  {
    label: 'attn PV 512×(65x65·65x32)',
    batch: 512,
    m: 65,
    k: 65,
    n: 32,
    transposeA: false,
    transposeB: false,
  },
  {
    label: 'square 1024 A·Bᵀ',
    batch: 1,
    m: 1024,
    k: 1024,
    n: 1024,
    transposeA: false,
    transposeB: true,
  },
];

await initWasmBackend(tf);
const probe = registerNativeKernels(tf, nativeOptions);
console.log(
  probe.ok
    ? `native: ${probe.gemm}, ${probe.threads} threads (best of several rounds per shape)`
    : `native kernels unavailable: ${probe.reason}`,
);
const rows: Record<string, unknown>[] = [];
for (const shape of SHAPES) {
  unregisterWasmKernels(tf);
  const stock = await benchmarkMatMul(tf, shape, { rounds: 3, warmup: 1 });
  const reg = registerNativeKernels(tf, nativeOptions);
  if (!reg.ok) {
    console.log(`native kernels unavailable: ${reg.reason}`);
    rows.push({ shape: shape.label, stockGflops: +stock.gflops.toFixed(1) });
    continue;
  }
  const native = await benchmarkMatMul(tf, shape, { rounds: 7 });
  const row = {
    shape: shape.label,
    stockGflops: +stock.gflops.toFixed(1),
    nativeGflops: +native.gflops.toFixed(1),
    speedup: +(native.gflops / stock.gflops).toFixed(1),
  };
  console.log(
    `${row.shape.padEnd(34)} stock ${String(row.stockGflops).padStart(6)} GFLOP/s   native ${String(row.nativeGflops).padStart(6)} GFLOP/s   ×${row.speedup}`,
  );
  rows.push(row);
}
console.log(
  JSON.stringify({ bench: 'sgemm', backend: 'wasm', blas: probe.ok ? probe.gemm : null, rows }),
);
