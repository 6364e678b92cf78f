// The multi-head part of attention, from the fused qkv projection [B·L, 3W] to the merged
// heads [B·L, W], and its backward. One native kernel each way where @curio/native-kernels has
// them (wasm + OpenBLAS: strided per-head sgemm calls, softmax in cache, no transposes); else
// composed tfjs ops: heads as batched matmuls over [B·H, L, dh].
import * as tf from '@tensorflow/tfjs';
import type { FusedOps } from '@curio/native-kernels';
import { fusedOps } from './fused.js';

export interface HeadShape {
  batch: number;
  length: number;
  heads: number;
}

export interface MultiHead {
  /** qkv [B·L, 3W] → merged heads [B·L, W], and what the backward needs. */
  forward(qkv: tf.Tensor2D): { merged: tf.Tensor2D; saved: tf.Tensor[] };
  /** ∂L/∂merged → ∂L/∂qkv [B·L, 3W], from the forward's `saved`. */
  backward(dMerged: tf.Tensor, saved: tf.Tensor[]): tf.Tensor;
}

/** `keyMask`: additive [B, 1, 1, L] (0 for real keys, very negative for padding) or null. */
export function multiHead(shape: HeadShape, width: number, keyMask: tf.Tensor4D | null): MultiHead {
  const fused = fusedOps();
  return fused?.attention && fused.attentionGrad
    ? nativeMultiHead(fused, shape, width, keyMask)
    : composedMultiHead(shape, width, keyMask);
}

function nativeMultiHead(
  fused: FusedOps,
  shape: HeadShape,
  width: number,
  keyMask: tf.Tensor4D | null,
): MultiHead {
  const geometry = { ...shape, scale: 1 / Math.sqrt(width / shape.heads) };
  return {
    forward: (qkv) => {
      const { out, probs } = fused.attention!(qkv, keyMask, geometry);
      return { merged: out as tf.Tensor2D, saved: [qkv, probs] };
    },
    backward: (dMerged, [qkv, probs]) => fused.attentionGrad!(dMerged, qkv!, probs!, geometry),
  };
}

function composedMultiHead(
  { batch: b, length: l, heads: h }: HeadShape,
  w: number,
  keyMask: tf.Tensor4D | null,
): MultiHead {
  const rows = b * l;
  const dh = w / h;
  const scale = 1 / Math.sqrt(dh);
  return {
    forward: (qkv2d) => {
      const qkv = tf.transpose(tf.reshape(qkv2d, [b, l, 3 * h, dh]), [0, 2, 1, 3]); // [B, 3H, L, dh]
      const part = (i: number) =>
        tf.reshape(tf.slice(qkv, [0, i * h, 0, 0], [b, h, l, dh]), [b * h, l, dh]) as tf.Tensor3D;
      const q = tf.mul(part(0), scale) as tf.Tensor3D;
      const k = part(1);
      const v = part(2);
      let scores: tf.Tensor = tf.matMul(q, k, false, true); // [B·H, L, L]
      if (keyMask)
        scores = tf.reshape(tf.add(tf.reshape(scores, [b, h, l, l]), keyMask), [b * h, l, l]);
      const probs = tf.softmax(scores) as tf.Tensor3D;
      const o = tf.matMul(probs, v); // [B·H, L, dh]
      const merged = tf.reshape(tf.transpose(tf.reshape(o, [b, h, l, dh]), [0, 2, 1, 3]), [
        rows,
        w,
      ]) as tf.Tensor2D;
      return { merged, saved: [q, k, v, probs] };
    },
    backward: (dMerged, [qs, ks, vs, ps]) => {
      const dO = tf.reshape(tf.transpose(tf.reshape(dMerged, [b, l, h, dh]), [0, 2, 1, 3]), [
        b * h,
        l,
        dh,
      ]) as tf.Tensor3D;
      const dP = tf.matMul(dO, vs as tf.Tensor3D, false, true);
      const dV = tf.matMul(ps as tf.Tensor3D, dO, true, false);
      const dS = tf.mul(ps!, tf.sub(dP, tf.sum(tf.mul(dP, ps!), -1, true))) as tf.Tensor3D;
      const dQ = tf.mul(tf.matMul(dS, ks as tf.Tensor3D), scale);
      const dK = tf.matMul(dS, qs as tf.Tensor3D, true, false);
      const heads4 = (t: tf.Tensor) => tf.reshape(t, [b, h, l, dh]);
      return tf.reshape(
        tf.transpose(tf.concat([heads4(dQ), heads4(dK), heads4(dV)], 1), [0, 2, 1, 3]),
        [rows, 3 * w],
      );
    },
  };
}
