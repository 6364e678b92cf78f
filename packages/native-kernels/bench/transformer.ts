// A pre-LN transformer training step written like the trainer's towers (workers/trainer/src/model):
// token embedding by gather, fused-bias dense layers, layer norm and sigmoid-GELU with
// hand-written gradients, attention heads split by transpose + slice. Bench-only.
import type * as tfjs from '@tensorflow/tfjs';

type Tf = typeof tfjs;
type T = tfjs.Tensor;

export interface TransformerShape {
  batch: number;
  tokens: number;
  width: number;
  depth: number;
  heads: number;
  vocab: number;
}

export function makeParams(tf: Tf, s: TransformerShape): Record<string, tfjs.Variable> {
  const p: Record<string, tfjs.Variable> = {};
  const w = (name: string, shape: number[], scale = 0.02) =>
    (p[name] = tf.variable(tf.randomNormal(shape, 0, scale), true, name));
  const c = (name: string, shape: number[], value: number) =>
    (p[name] = tf.variable(tf.fill(shape, value), true, name));
  w('embed', [s.vocab, s.width]);
  w('pos', [s.tokens, s.width]);
  for (let i = 0; i < s.depth; i++) {
    c(`ln1g${i}`, [s.width], 1);
    c(`ln1b${i}`, [s.width], 0);
    w(`qkv${i}`, [s.width, 3 * s.width]);
    c(`qkvb${i}`, [3 * s.width], 0);
    w(`proj${i}`, [s.width, s.width]);
    c(`projb${i}`, [s.width], 0);
    c(`ln2g${i}`, [s.width], 1);
    c(`ln2b${i}`, [s.width], 0);
    w(`fc1${i}`, [s.width, 4 * s.width]);
    c(`fc1b${i}`, [4 * s.width], 0);
    w(`fc2${i}`, [4 * s.width, s.width]);
    c(`fc2b${i}`, [s.width], 0);
  }
  w('head', [s.width, s.width]);
  return p;
}

function makeLayers(tf: Tf) {
  const layerNorm = tf.customGrad(((x: T, g: T, b: T, save: (t: T[]) => void) => {
    const { mean, variance } = tf.moments(x, -1, true);
    const rstd = tf.rsqrt(tf.add(variance, 1e-5));
    const xhat = tf.mul(tf.sub(x, mean), rstd);
    save([xhat, rstd, g]);
    return {
      value: tf.add(tf.mul(xhat, g), b),
      gradFunc: (dy: T, [xh, rs, gg]: T[]) => {
        const dxhat = tf.mul(dy, gg!);
        const dx = tf.mul(
          tf.sub(
            tf.sub(dxhat, tf.mean(dxhat, -1, true)),
            tf.mul(xh!, tf.mean(tf.mul(dxhat, xh!), -1, true)),
          ),
          rs!,
        );
        return [dx, tf.sum(tf.mul(dy, xh!), 0), tf.sum(dy, 0)];
      },
    };
  }) as never) as unknown as (x: T, g: T, b: T) => T;
  const gelu = tf.customGrad(((x: T, save: (t: T[]) => void) => {
    const s = tf.sigmoid(tf.mul(x, 1.702));
    save([x, s]);
    return {
      value: tf.mul(x, s),
      gradFunc: (dy: T, [xs, sg]: T[]) => [
        tf.mul(dy, tf.mul(sg!, tf.add(tf.mul(tf.mul(xs!, tf.sub(1, sg!)), 1.702), 1))),
      ],
    };
  }) as never) as unknown as (x: T) => T;
  const dense = (x: T, w: T, b: T) =>
    tf.fused.matMul({ a: x as tfjs.Tensor2D, b: w as tfjs.Tensor2D, bias: b });
  return { layerNorm, gelu, dense };
}

/** Contrastive-style loss of the mean-pooled output against itself (exercises softmax CE). */
export function makeLoss(tf: Tf, s: TransformerShape, p: Record<string, tfjs.Variable>) {
  const { layerNorm, gelu, dense } = makeLayers(tf);
  const dh = s.width / s.heads;
  const attention = (x: T, i: number) => {
    const qkv = dense(x, p[`qkv${i}`]!, p[`qkvb${i}`]!);
    const split = tf.transpose(tf.reshape(qkv, [s.batch, s.tokens, 3 * s.heads, dh]), [0, 2, 1, 3]);
    const part = (j: number) =>
      tf.reshape(tf.slice(split, [0, j * s.heads, 0, 0], [s.batch, s.heads, s.tokens, dh]), [
        s.batch * s.heads,
        s.tokens,
        dh,
      ]);
    const weights = tf.softmax(tf.matMul(tf.mul(part(0), 1 / Math.sqrt(dh)), part(1), false, true));
    const mixed = tf.matMul(weights, part(2));
    const merged = tf.reshape(
      tf.transpose(tf.reshape(mixed, [s.batch, s.heads, s.tokens, dh]), [0, 2, 1, 3]),
      [s.batch * s.tokens, s.width],
    );
    return dense(merged, p[`proj${i}`]!, p[`projb${i}`]!);
  };
  return (ids: tfjs.Tensor2D): tfjs.Scalar => {
    const embedded = tf.reshape(tf.gather(p.embed!, tf.reshape(ids, [-1])), [
      s.batch,
      s.tokens,
      s.width,
    ]);
    let x: T = tf.reshape(tf.add(embedded, p.pos!), [s.batch * s.tokens, s.width]);
    for (let i = 0; i < s.depth; i++) {
      x = tf.add(x, attention(layerNorm(x, p[`ln1g${i}`]!, p[`ln1b${i}`]!), i));
      x = tf.add(
        x,
        dense(
          gelu(dense(layerNorm(x, p[`ln2g${i}`]!, p[`ln2b${i}`]!), p[`fc1${i}`]!, p[`fc1b${i}`]!)),
          p[`fc2${i}`]!,
          p[`fc2b${i}`]!,
        ),
      );
    }
    const pooled = tf.mean(tf.reshape(x, [s.batch, s.tokens, s.width]), 1);
    const z = tf.matMul(pooled as tfjs.Tensor2D, p.head! as tfjs.Tensor2D);
    const emb = tf.div(z, tf.norm(z, 'euclidean', 1, true));
    const logits = tf.mul(tf.matMul(emb, emb, false, true), 10);
    return tf.losses.softmaxCrossEntropy(
      tf.oneHot(tf.range(0, s.batch, 1, 'int32'), s.batch),
      logits,
    ) as tfjs.Scalar;
  };
}

export function makeTrainStep(tf: Tf, s: TransformerShape): () => number {
  const params = makeParams(tf, s);
  const loss = makeLoss(tf, s, params);
  const optimizer = tf.train.adam(1e-3);
  const ids = tf.randomUniform([s.batch, s.tokens], 0, s.vocab, 'int32') as tfjs.Tensor2D;
  return () => {
    const cost = optimizer.minimize(() => loss(ids), true, Object.values(params));
    const value = cost!.dataSync()[0]!;
    cost!.dispose();
    return value;
  };
}
