// Inheritance (METHODS.md §3): a child's tensors from its parent's. An inherited tensor keeps the
// parent's values in its top-left block (qkv per q, k, v column block), fresh init elsewhere;
// residual-branch output projections (attention out, MLP proj) are zero outside what they inherit,
// so new blocks, new heads and new MLP units add nothing at first. PIM then starts the inherited
// block at m·θ_old + (1−m)·θ_fresh (ours: every inherited tensor, the logit scale included; θ_fresh
// is the child's own seeded init of that block). Optimiser moments are carried in the same block
// (without PIM), zero elsewhere.
import * as tf from '@tensorflow/tfjs';
import type { OptimizerState } from '../optim/index.js';
import type { ClipModel } from '../model/index.js';

const RESIDUAL_OUT = /\/(attn\/out|mlp\/proj)\/w$/;
const QKV = /\/attn\/qkv\/[wb]$/;

interface Matrix {
  rows: number;
  cols: number;
}

const asMatrix = (shape: readonly number[]): Matrix =>
  shape.length === 2
    ? { rows: shape[0]!, cols: shape[1]! }
    : { rows: 1, cols: shape.length === 1 ? shape[0]! : 1 };

/** Calls `f(parentIndex, childIndex)` for each parent element at its place in the child. */
function forEachInherited(
  name: string,
  parentShape: readonly number[],
  childShape: readonly number[],
  f: (parentIndex: number, childIndex: number) => void,
): void {
  const p = asMatrix(parentShape);
  const c = asMatrix(childShape);
  if (p.rows > c.rows || p.cols > c.cols || parentShape.length !== childShape.length)
    throw new Error(
      `growth: ${name} [${childShape.join(', ')}] cannot inherit [${parentShape.join(', ')}]`,
    );
  const chunks = QKV.test(name) ? 3 : 1;
  const pc = p.cols / chunks;
  const cc = c.cols / chunks;
  for (let r = 0; r < p.rows; r++)
    for (let j = 0; j < chunks; j++)
      for (let x = 0; x < pc; x++) f(r * p.cols + j * pc + x, r * c.cols + j * cc + x);
}

/** The starting values of a child tensor: PIM on the inherited block, fresh or zero elsewhere. */
export function inheritTensor(
  name: string,
  fresh: Float32Array,
  childShape: readonly number[],
  parent: { values: Float32Array; shape: readonly number[] } | undefined,
  momentum: number,
): Float32Array {
  const out = RESIDUAL_OUT.test(name) ? new Float32Array(fresh.length) : fresh.slice();
  if (parent)
    forEachInherited(name, parent.shape, childShape, (i, k) => {
      out[k] = momentum * parent.values[i]! + (1 - momentum) * fresh[k]!;
    });
  return out;
}

/** Sets every child parameter from the parent's (see the top of this file); returns those inherited. */
export function inheritWeights(child: ClipModel, parent: ClipModel, momentum: number): string[] {
  const parentVars = parent.variables();
  const inherited: string[] = [];
  for (const [name, v] of child.variables()) {
    const p = parentVars.get(name);
    const values = inheritTensor(
      name,
      v.dataSync() as Float32Array,
      v.shape,
      p && { values: p.dataSync() as Float32Array, shape: p.shape },
      momentum,
    );
    tf.tidy(() => v.assign(tf.tensor(values, v.shape, 'float32')));
    if (p) inherited.push(name);
  }
  return inherited;
}

/** The parent's optimiser state laid out for the child: moments in the inherited block, zero elsewhere. */
export function carryOptimizerState(
  child: ClipModel,
  parent: ClipModel,
  state: OptimizerState,
): OptimizerState {
  const parentVars = parent.variables();
  const childVars = child.trainableVariables();
  const tensors: Record<string, Float32Array> = {};
  for (const [key, values] of Object.entries(state.tensors)) {
    const name = key.slice(2);
    const p = parentVars.get(name);
    const c = childVars.get(name);
    if (!p || !c) continue; // a parameter the child does not train
    const out = new Float32Array(c.size);
    forEachInherited(name, p.shape, c.shape, (i, k) => {
      out[k] = values[i]!;
    });
    tensors[key] = out;
  }
  return { step: state.step, tensors };
}
