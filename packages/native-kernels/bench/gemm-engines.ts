// GFLOP/s of the addon's GEMM engines (built-in, and OpenBLAS when built with it) on the matmul
// shapes of one training step of the trainer's `tiny` preset (batch 128), through the addon's
// batched gemm() as the kernels call it. Engines alternate shape by shape and round by round so
// that each sees the same machine load; the best round counts.
// Usage: npm run bench:gemm [-- --rounds N --threads N --gemm-kernel avx512|avx2|portable]
// Last line: one JSON object.
import { loadAddon, type GemmEngine, type NativeAddon } from '../src/addon.js';
import { gemmParams } from '../src/gemm-params.js';
import { numberArg, stringArg } from './args.js';

interface StepShape {
  label: string;
  /** How many times one training step runs this product. */
  count: number;
  batch: number;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
}

const BATCH = 128;
const TOWERS = [
  { name: 'image', rows: BATCH * 65, length: 65 }, // 8x8 patches + cls
  { name: 'text', rows: BATCH * 32, length: 32 },
];
const [WIDTH, HEADS, DEPTH, MLP] = [128, 4, 4, 512];

/** A dense layer [rows, fanIn] -> [rows, fanOut]: forward, input gradient, weight gradient. */
function dense(label: string, rows: number, fanIn: number, fanOut: number, count: number) {
  const base = { count, batch: 1 };
  return [
    { ...base, label: `${label} fwd`, m: rows, n: fanOut, k: fanIn, transA: false, transB: false },
    { ...base, label: `${label} dX`, m: rows, n: fanIn, k: fanOut, transA: false, transB: true },
    { ...base, label: `${label} dW`, m: fanIn, n: fanOut, k: rows, transA: true, transB: false },
  ];
}

/** Per (sample, head) attention products, forward and backward. */
function attention(label: string, length: number, count: number): StepShape[] {
  const [L, d] = [length, WIDTH / HEADS];
  const base = { count, batch: BATCH * HEADS };
  return [
    { ...base, label: `${label} QKᵀ, dP`, m: L, n: L, k: d, transA: false, transB: true },
    { ...base, label: `${label} PV, dQ`, m: L, n: d, k: L, transA: false, transB: false },
    { ...base, label: `${label} dV, dK`, m: L, n: d, k: L, transA: true, transB: false },
  ];
}

const SHAPES: StepShape[] = [
  ...dense('patch embed 8192x48·48x128', BATCH * 64, 48, WIDTH, 1),
  ...TOWERS.flatMap(({ name, rows, length }) => [
    ...dense(`${name} qkv ${rows}x128·128x384`, rows, WIDTH, 3 * WIDTH, DEPTH),
    ...dense(`${name} out ${rows}x128·128x128`, rows, WIDTH, WIDTH, DEPTH),
    ...dense(`${name} mlp1 ${rows}x128·128x512`, rows, WIDTH, MLP, DEPTH),
    ...dense(`${name} mlp2 ${rows}x512·512x128`, rows, MLP, WIDTH, DEPTH),
    ...attention(`${name} attn ${BATCH * HEADS}×L=${length}`, length, 2 * DEPTH),
  ]),
];

function timeShape(addon: NativeAddon, heap: ArrayBuffer, s: StepShape): number {
  const [aSize, bSize] = [s.batch * s.m * s.k, s.batch * s.k * s.n];
  const plan = {
    outShape: [s.batch, s.m, s.n],
    batch: s.batch,
    m: s.m,
    n: s.n,
    k: s.k,
    aStride: s.m * s.k,
    bStride: s.k * s.n,
  };
  const params = gemmParams({
    plan,
    transposeA: s.transA,
    transposeB: s.transB,
    aOffset: 0,
    bOffset: aSize * 4,
    cOffset: (aSize + bSize) * 4,
  });
  addon.gemm(heap, params);
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < 60 || calls < 2) {
    addon.gemm(heap, params);
    calls++;
  }
  return (performance.now() - start) / calls;
}

const load = loadAddon();
if (!load.ok) throw new Error(load.reason);
const { addon } = load;
const threads = numberArg('threads', NaN);
if (Number.isFinite(threads)) addon.setThreads(threads);
const kernel = stringArg('gemm-kernel') as Parameters<NativeAddon['useGemm']>[1];
const engines: GemmEngine[] = addon.gemmInfo().builtWithOpenblas
  ? ['builtin', 'openblas']
  : ['builtin'];
const rounds = numberArg('rounds', 3);

const floats = Math.max(...SHAPES.map((s) => s.batch * (s.m * s.k + s.k * s.n + s.m * s.n)));
const heap = new Float32Array(floats);
for (let i = 0; i < floats; i++) heap[i] = Math.sin(i); // any finite values
const best = new Map<string, number>();
for (let round = 0; round < rounds; round++) {
  for (const s of SHAPES) {
    for (const engine of engines) {
      addon.useGemm(engine, engine === 'builtin' ? kernel : undefined);
      const ms = timeShape(addon, heap.buffer, s);
      const key = `${engine}/${s.label}`;
      best.set(key, Math.min(best.get(key) ?? Infinity, ms));
    }
  }
}

const gflops = (s: StepShape, ms: number) => (2 * s.batch * s.m * s.n * s.k) / ms / 1e6;
const rows = SHAPES.map((s) => {
  const row: Record<string, unknown> = { shape: s.label, count: s.count };
  for (const e of engines) row[`${e}_gflops`] = +gflops(s, best.get(`${e}/${s.label}`)!).toFixed(1);
  return row;
});
addon.useGemm('builtin', kernel);
const info = addon.gemmInfo();
const stepMs = Object.fromEntries(
  engines.map((e) => [
    e,
    +SHAPES.reduce((t, s) => t + s.count * best.get(`${e}/${s.label}`)!, 0).toFixed(1),
  ]),
);
const stepGflop = SHAPES.reduce((t, s) => t + (s.count * 2 * s.batch * s.m * s.n * s.k) / 1e9, 0);
for (const r of rows) console.log(JSON.stringify(r));
console.log(
  JSON.stringify({
    bench: 'gemm',
    preset: 'tiny',
    kernel: info.kernel,
    threads: info.threads,
    openblas: info.builtWithOpenblas
      ? `${info.openblasConfig.split(' ').slice(0, 2).join(' ')} (${info.openblasCore})`
      : null,
    step_gflop: +stepGflop.toFixed(2),
    step_gemm_ms: stepMs,
    step_gflops: Object.fromEntries(
      engines.map((e) => [e, +(stepGflop / (stepMs[e]! / 1000)).toFixed(1)]),
    ),
    ...(stepMs.openblas
      ? { builtin_to_openblas: +(stepMs.openblas / stepMs.builtin!).toFixed(2) }
      : {}),
    rows,
  }),
);
