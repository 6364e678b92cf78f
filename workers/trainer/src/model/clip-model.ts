// The dual encoder: an image tower, a text tower (optionally shared blocks both run) and the logit
// scale; optionally a joint module scoring pairs from both towers' token sequences. It returns
// projected, unnormalised embeddings, 1/τ and match logits, never a loss (losses live in ../loss).
import * as tf from '@tensorflow/tfjs';
import { jointBlockShape, type ModelConfig } from './config.js';
import { ImageTower } from './image-tower.js';
import { gatherSequence, JointReducer, type TowerOutput } from './joint.js';
import { ParamStore, type ParamKind } from './params.js';
import { TextTower, type TextPooling } from './text-tower.js';
import { Transformer } from './transformer.js';

export type Trainable = 'all' | 'head' | 'none';
export type Tower = 'image' | 'text';
export type Temperature = { kind: 'learnable'; init: number } | { kind: 'fixed'; value: number };

export interface ClipModelOptions {
  /** Seeds the initialisation (each parameter from (seed, name)). */
  seed: number;
  textPooling?: TextPooling;
  temperature?: Temperature;
  imageTrainable?: Trainable;
  textTrainable?: Trainable;
}

/** τ ≥ 0.01, i.e. logit scale ≤ 100. */
export const MAX_LOG_SCALE = Math.log(100);
export const LOGIT_SCALE = 'logit_scale';

/** Both towers' outputs for a batch of pairs. */
export interface PairOutputs {
  image: TowerOutput;
  text: TowerOutput;
}

/** Weights as a checkpoint stores them: name → values (shapes come from the model). */
export type WeightMap = ReadonlyMap<string, Float32Array> | Readonly<Record<string, Float32Array>>;

export class ClipModel {
  readonly config: ModelConfig;
  readonly temperature: Temperature;
  private readonly store: ParamStore;
  private readonly image: ImageTower;
  private readonly text: TextTower;
  private readonly joint: JointReducer | null;
  private readonly logScale: tf.Variable | null;
  private readonly fixedScale: number;
  private readonly trainable: Record<Tower, Trainable>;

  constructor(config: ModelConfig, options: ClipModelOptions) {
    this.config = config;
    this.temperature = options.temperature ?? { kind: 'learnable', init: 0.07 };
    this.trainable = {
      image: options.imageTrainable ?? 'all',
      text: options.textTrainable ?? 'all',
    };
    this.store = new ParamStore(options.seed);
    const shared = config.shared
      ? new Transformer(
          this.store,
          'shared',
          { ...config.shared, width: config.image.width },
          config.lnEps,
        )
      : null;
    this.image = new ImageTower(this.store, config.image, config.embedDim, config.lnEps, shared);
    this.text = new TextTower(
      this.store,
      config.text,
      config.embedDim,
      config.lnEps,
      options.textPooling ?? 'mean',
      shared,
    );
    this.joint = config.joint
      ? new JointReducer(
          this.store,
          config.joint,
          jointBlockShape(config, config.joint),
          config.lnEps,
        )
      : null;
    if (this.temperature.kind === 'learnable') {
      const init = Math.min(Math.log(1 / this.temperature.init), MAX_LOG_SCALE);
      this.logScale = this.store.create(LOGIT_SCALE, [], { kind: 'const', value: init }, 'scale');
      this.fixedScale = 0;
    } else {
      this.logScale = null;
      this.fixedScale = 1 / Math.max(this.temperature.value, 0.01);
    }
  }

  /** NHWC float32 images → projected image embeddings [B, d] (not normalised). */
  encodeImage(images: tf.Tensor4D): tf.Tensor2D {
    return this.image.apply(images);
  }

  /** int32 tokens [B, ≤ context] (0 = padding) → projected text embeddings [B, d] (not normalised). */
  encodeText(tokens: tf.Tensor2D): tf.Tensor2D {
    return this.text.apply(tokens);
  }

  /** Both towers' embeddings and token sequences, each tower on its own input (inside a tidy). */
  encodePairs(images: tf.Tensor4D, tokens: tf.Tensor2D): PairOutputs {
    return { image: this.image.encode(images), text: this.text.encode(tokens) };
  }

  /** Whether the model has a joint module (`matchLogits`). */
  get hasJoint(): boolean {
    return this.joint !== null;
  }

  /**
   * The joint module's match logits [P] of P pairs: image `imageRows[p]` with text `textRows[p]`
   * of `pairs` (by default each image with its own text). Call inside a tidy scope.
   */
  matchLogits(
    pairs: PairOutputs,
    imageRows?: readonly number[],
    textRows?: readonly number[],
  ): tf.Tensor1D {
    if (!this.joint) throw new Error(`model ${this.config.name} has no joint module`);
    const pick = (out: TowerOutput, rows?: readonly number[]) =>
      rows ? gatherSequence(out.sequence, rows) : out.sequence;
    return this.joint.score(pick(pairs.image, imageRows), pick(pairs.text, textRows));
  }

  /** 1/τ: exp of the learned log scale, clamped so τ ≥ 0.01, or the fixed value. */
  logitScale(): tf.Scalar {
    return tf.tidy(() =>
      this.logScale
        ? (tf.exp(tf.minimum(this.logScale, MAX_LOG_SCALE)) as tf.Scalar)
        : tf.scalar(this.fixedScale),
    );
  }

  /** Whether the logit scale is a trained parameter. */
  get learnsTemperature(): boolean {
    return this.logScale !== null;
  }

  /** Every parameter by name (`image/…`, `text/…`, `shared/…`, `joint/…`, `logit_scale`). */
  variables(): Map<string, tf.Variable> {
    return new Map(this.store.all().map((p) => [p.name, p.variable]));
  }

  /** The parameters the optimiser updates, honouring each tower's `trainable` setting. */
  trainableVariables(): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const p of this.store.all()) if (this.isTrainable(p.name)) out.set(p.name, p.variable);
    return out;
  }

  isTrainable(name: string): boolean {
    if (name === LOGIT_SCALE) return true;
    const tower = towerOf(name);
    const mode = tower ? this.trainable[tower] : 'all';
    return mode === 'all' || (mode === 'head' && isHead(name));
  }

  /** Which towers have at least one trainable parameter. */
  towerTrains(tower: Tower): boolean {
    return this.trainable[tower] !== 'none';
  }

  setTrainable(tower: Tower, mode: Trainable): void {
    this.trainable[tower] = mode;
  }

  kind(name: string): ParamKind | undefined {
    return this.store.info(name)?.kind;
  }

  /**
   * Decoupled weight decay applies to matmul weights only: not biases, layer norms or the logit
   * scale, and not the token / positional / class embeddings either (decaying every row of a
   * token table each step shrinks rare tokens regardless of use; timm/ViT exempt pos and cls too).
   */
  decays(name: string): boolean {
    return this.kind(name) === 'weight';
  }

  /**
   * Copy weights whose names pass `filter` (a name prefix like `text/`, a RegExp or a predicate)
   * from a checkpoint into this model. Every selected parameter must be present with the same
   * size. Returns the names loaded.
   */
  loadWeights(
    weights: WeightMap,
    filter: string | RegExp | ((name: string) => boolean) = () => true,
  ): string[] {
    const get = (name: string) =>
      weights instanceof Map ? weights.get(name) : (weights as Record<string, Float32Array>)[name];
    const keep =
      typeof filter === 'string'
        ? (n: string) => n.startsWith(filter)
        : filter instanceof RegExp
          ? (n: string) => filter.test(n)
          : filter;
    const loaded: string[] = [];
    for (const p of this.store.all()) {
      if (!keep(p.name)) continue;
      const values = get(p.name);
      if (!values) throw new Error(`checkpoint has no weights for ${p.name}`);
      if (values.length !== p.variable.size) {
        throw new Error(
          `checkpoint weights for ${p.name} have ${values.length} values, the model needs ${p.variable.size} [${p.variable.shape.join(', ')}]`,
        );
      }
      tf.tidy(() => p.variable.assign(tf.tensor(values, p.variable.shape, 'float32')));
      loaded.push(p.name);
    }
    if (loaded.length === 0)
      throw new Error(`no model parameter matches the weight filter ${String(filter)}`);
    return loaded;
  }

  /** Parameter count (all parameters). */
  numParams(): number {
    return this.store.all().reduce((n, p) => n + p.variable.size, 0);
  }

  dispose(): void {
    this.store.dispose();
  }
}

function towerOf(name: string): Tower | null {
  if (name.startsWith('image/')) return 'image';
  if (name.startsWith('text/')) return 'text';
  return null;
}

/** The head of a tower: its final layer norm and projection. */
function isHead(name: string): boolean {
  return /^(image|text)\/(ln_final|proj)\//.test(name);
}
