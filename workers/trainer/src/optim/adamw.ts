// AdamW (Loshchilov & Hutter) as PyTorch computes it, with decoupled weight decay on the
// parameters `decays` selects, optional global-norm gradient clipping, and its state (step,
// moments) exported as named Float32Arrays so a resumed run continues bit for bit. The update
// is one native kernel per parameter where @curio/native-kernels provides it (wasm + OpenBLAS),
// the same formula in composed tfjs ops elsewhere.
import * as tf from '@tensorflow/tfjs';
import { fusedOps } from '../model/fused.js';

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  /** Clip the global gradient norm to this value (PyTorch clip_grad_norm_). Off when absent. */
  gradClip?: number;
  /** Which parameters get weight decay; default: rank ≥ 2. Pass `ClipModel.decays` for models. */
  decays?: (name: string, variable: tf.Variable) => boolean;
}

export interface OptimizerState {
  /** Updates taken so far. */
  step: number;
  /** `m/<param>` and `v/<param>`: first and second moments. */
  tensors: Record<string, Float32Array>;
}

export interface StepResult {
  /** Global L2 norm of the gradients before clipping. */
  gradNorm: number;
  /** True when the norm was not finite and the update was skipped (the step count stays). */
  skipped: boolean;
}

export class AdamW {
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;
  private readonly weightDecay: number;
  private readonly gradClip: number | undefined;
  private readonly decays: (name: string, variable: tf.Variable) => boolean;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  private steps = 0;

  constructor(
    private readonly params: ReadonlyMap<string, tf.Variable>,
    options: AdamWOptions = {},
  ) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
    this.gradClip = options.gradClip;
    this.decays = options.decays ?? ((_, variable) => variable.rank >= 2);
  }

  get step(): number {
    return this.steps;
  }

  /** One update from gradients by parameter name (parameters without a gradient are left alone). */
  apply(grads: ReadonlyMap<string, tf.Tensor>, lr: number): StepResult {
    const names = [...grads.keys()];
    for (const n of names)
      if (!this.params.has(n)) throw new Error(`gradient for unknown parameter ${n}`);
    if (names.length === 0) return { gradNorm: 0, skipped: false };
    const gradNorm = tf.tidy(() => {
      const squares = names.map((n) => tf.sum(tf.square(grads.get(n)!)));
      return Math.sqrt(tf.addN(squares).dataSync()[0]!);
    });
    if (!Number.isFinite(gradNorm)) return { gradNorm, skipped: true };
    const clip =
      this.gradClip !== undefined && gradNorm > this.gradClip
        ? this.gradClip / (gradNorm + 1e-6)
        : 1;
    this.steps += 1;
    const t = this.steps;
    const bc1 = 1 - this.beta1 ** t;
    const bc2 = 1 - this.beta2 ** t;
    const coefficients = {
      b1: this.beta1,
      c1: (1 - this.beta1) * clip,
      b2: this.beta2,
      c2: (1 - this.beta2) * clip * clip,
      invSqrtBc2: 1 / Math.sqrt(bc2),
      eps: this.eps,
      stepSize: lr / bc1,
      keep: 1 - lr * this.weightDecay,
    };
    tf.tidy(() => {
      const fused = fusedOps();
      const s = fused ? undefined : scalars(coefficients);
      for (const name of names) {
        const p = this.params.get(name)!;
        const g = grads.get(name)!;
        const m = this.moment(this.m, name, p);
        const v = this.moment(this.v, name, p);
        const decays = this.weightDecay > 0 && this.decays(name, p);
        if (fused) {
          const c = decays ? coefficients : { ...coefficients, keep: 1 };
          const next = fused.adamw(p, g, m, v, c);
          m.assign(next.m);
          v.assign(next.v);
          p.assign(next.param);
          continue;
        }
        // clipping folded into the moment coefficients: c1 = (1−β1)·k, c2 = (1−β2)·k²
        const mNew = tf.add(tf.mul(m, s!.b1), tf.mul(g, s!.c1));
        const vNew = tf.add(tf.mul(v, s!.b2), tf.mul(tf.square(g), s!.c2));
        const update = tf.mul(
          tf.div(mNew, tf.add(tf.mul(tf.sqrt(vNew), s!.invSqrtBc2), s!.eps)),
          s!.stepSize,
        );
        m.assign(mNew);
        v.assign(vNew);
        p.assign(tf.sub(decays ? tf.mul(p, s!.keep) : p, update));
      }
    });
    return { gradNorm, skipped: false };
  }

  private moment(store: Map<string, tf.Variable>, name: string, p: tf.Variable): tf.Variable {
    let m = store.get(name);
    if (!m) {
      m = tf.tidy(() => tf.variable(tf.zeros(p.shape), false));
      store.set(name, m);
    }
    return m;
  }

  exportState(): OptimizerState {
    const tensors: Record<string, Float32Array> = {};
    for (const [name, m] of this.m) tensors[`m/${name}`] = m.dataSync().slice() as Float32Array;
    for (const [name, v] of this.v) tensors[`v/${name}`] = v.dataSync().slice() as Float32Array;
    return { step: this.steps, tensors };
  }

  importState(state: OptimizerState): void {
    this.disposeMoments();
    for (const [key, values] of Object.entries(state.tensors)) {
      const match = /^([mv])\/(.+)$/.exec(key);
      const p = match ? this.params.get(match[2]!) : undefined;
      if (!match || !p) throw new Error(`optimizer state ${key} matches no parameter`);
      if (values.length !== p.size)
        throw new Error(`optimizer state ${key} has ${values.length} values, needs ${p.size}`);
      const store = match[1] === 'm' ? this.m : this.v;
      store.set(
        match[2]!,
        tf.tidy(() => tf.variable(tf.tensor(values, p.shape, 'float32'), false)),
      );
    }
    this.steps = state.step;
  }

  private disposeMoments(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
    this.m.clear();
    this.v.clear();
  }

  dispose(): void {
    this.disposeMoments();
  }
}

function scalars<K extends string>(values: Record<K, number>): Record<K, tf.Scalar> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, tf.scalar(v as number)]),
  ) as Record<K, tf.Scalar>;
}
