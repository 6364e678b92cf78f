// Named, deterministically initialised model parameters. Each parameter's initial values
// depend only on (seed, name), so adding or reordering parameters never changes the others.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '@curio/random';

export type Init =
  | { kind: 'normal'; std: number }
  | { kind: 'uniform'; limit: number }
  | { kind: 'const'; value: number };

/** What a parameter is; decides weight decay and LiT-style locking. */
export type ParamKind = 'weight' | 'bias' | 'norm' | 'embedding' | 'scale';

export interface Param {
  readonly name: string;
  readonly kind: ParamKind;
  readonly variable: tf.Variable;
}

let instances = 0;

export class ParamStore {
  private readonly params = new Map<string, Param>();
  /** tfjs registers variables globally by name: prefix ours so several models can coexist. */
  private readonly scope = `curio${instances++}`;

  constructor(private readonly seed: number) {}

  create(name: string, shape: number[], init: Init, kind: ParamKind): tf.Variable {
    if (this.params.has(name)) throw new Error(`parameter ${name} defined twice`);
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    if (init.kind === 'const') {
      values.fill(init.value);
    } else {
      const rng = Rng.derive(this.seed, 'init', name);
      if (init.kind === 'normal')
        for (let i = 0; i < size; i++) values[i] = rng.normal() * init.std;
      else for (let i = 0; i < size; i++) values[i] = rng.uniform(-init.limit, init.limit);
    }
    const variable = tf.tidy(() =>
      tf.variable(tf.tensor(values, shape, 'float32'), true, `${this.scope}/${name}`),
    );
    this.params.set(name, { name, kind, variable });
    return variable;
  }

  get(name: string): tf.Variable {
    const p = this.params.get(name);
    if (!p) throw new Error(`no parameter ${name}`);
    return p.variable;
  }

  info(name: string): Param | undefined {
    return this.params.get(name);
  }

  all(): Param[] {
    return [...this.params.values()];
  }

  dispose(): void {
    for (const p of this.params.values()) p.variable.dispose();
    this.params.clear();
  }
}
