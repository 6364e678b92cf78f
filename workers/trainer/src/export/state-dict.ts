// Curio's weights (flat float32 arrays named `image/…`, `text/…`, `logit_scale`) as open_clip's
// ViT CLIP state dict: the same names and layouts, PyTorch Linear weights as [out, in] (Curio
// stores [in, out]), the patch embedding as a conv1 weight [W, C, p, p]. Every checkpoint
// weight must be used exactly once; a missing or extra one is an error naming it.
import { imageTokens, MAX_LOG_SCALE, type ModelConfig, type Temperature } from '../model/index.js';
import type { NamedTensor } from './safetensors.js';

type Weights = ReadonlyMap<string, Float32Array>;

class WeightReader {
  private readonly used = new Set<string>();
  constructor(private readonly weights: Weights) {}

  take(name: string, size: number): Float32Array {
    const values = this.weights.get(name);
    if (!values) throw new Error(`checkpoint has no weights for ${name}`);
    if (values.length !== size)
      throw new Error(
        `checkpoint weights for ${name} have ${values.length} values, expected ${size}`,
      );
    this.used.add(name);
    return values;
  }

  unused(): string[] {
    return [...this.weights.keys()].filter((k) => !this.used.has(k));
  }
}

/** Row-major [rows, cols] → [cols, rows]. */
export function transpose2d(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}

/** Patch rows [(py·p + px)·C + c, W] → conv1.weight [W, C, p, p]. */
function patchToConv(values: Float32Array, p: number, channels: number, width: number) {
  const out = new Float32Array(values.length);
  for (let py = 0; py < p; py++)
    for (let px = 0; px < p; px++)
      for (let c = 0; c < channels; c++) {
        const row = ((py * p + px) * channels + c) * width;
        for (let w = 0; w < width; w++)
          out[((w * channels + c) * p + py) * p + px] = values[row + w]!;
      }
  return out;
}

interface Shape {
  width: number;
  depth: number;
  mlpRatio: number;
}

function blocks(read: WeightReader, from: string, to: string, shape: Shape): NamedTensor[] {
  const w = shape.width;
  const hidden = Math.round(w * shape.mlpRatio);
  const out: NamedTensor[] = [];
  const copy = (src: string, dst: string, dims: number[]) =>
    out.push({
      name: dst,
      shape: dims,
      data: read.take(
        src,
        dims.reduce((a, b) => a * b, 1),
      ),
    });
  const linear = (src: string, dst: string, inDim: number, outDim: number) =>
    out.push({
      name: dst,
      shape: [outDim, inDim],
      data: transpose2d(read.take(src, inDim * outDim), inDim, outDim),
    });
  for (let i = 0; i < shape.depth; i++) {
    const s = `${from}/blocks/${i}`;
    const d = `${to}resblocks.${i}`;
    copy(`${s}/ln1/g`, `${d}.ln_1.weight`, [w]);
    copy(`${s}/ln1/b`, `${d}.ln_1.bias`, [w]);
    linear(`${s}/attn/qkv/w`, `${d}.attn.in_proj_weight`, w, 3 * w);
    copy(`${s}/attn/qkv/b`, `${d}.attn.in_proj_bias`, [3 * w]);
    linear(`${s}/attn/out/w`, `${d}.attn.out_proj.weight`, w, w);
    copy(`${s}/attn/out/b`, `${d}.attn.out_proj.bias`, [w]);
    copy(`${s}/ln2/g`, `${d}.ln_2.weight`, [w]);
    copy(`${s}/ln2/b`, `${d}.ln_2.bias`, [w]);
    linear(`${s}/mlp/fc/w`, `${d}.mlp.c_fc.weight`, w, hidden);
    copy(`${s}/mlp/fc/b`, `${d}.mlp.c_fc.bias`, [hidden]);
    linear(`${s}/mlp/proj/w`, `${d}.mlp.c_proj.weight`, hidden, w);
    copy(`${s}/mlp/proj/b`, `${d}.mlp.c_proj.bias`, [w]);
  }
  return out;
}

function visual(read: WeightReader, config: ModelConfig): NamedTensor[] {
  const { patch: p, channels: c, width: w } = config.image;
  const d = config.embedDim;
  const tokens = imageTokens(config.image);
  const out: NamedTensor[] = [
    {
      name: 'visual.conv1.weight',
      shape: [w, c, p, p],
      data: patchToConv(read.take('image/patch/w', p * p * c * w), p, c, w),
    },
  ];
  if (config.image.pool === 'cls')
    out.push({ name: 'visual.class_embedding', shape: [w], data: read.take('image/cls', w) });
  out.push(
    {
      name: 'visual.positional_embedding',
      shape: [tokens, w],
      data: read.take('image/pos_emb', tokens * w),
    },
    ...blocks(read, 'image', 'visual.transformer.', config.image),
    { name: 'visual.ln_post.weight', shape: [w], data: read.take('image/ln_final/g', w) },
    { name: 'visual.ln_post.bias', shape: [w], data: read.take('image/ln_final/b', w) },
    { name: 'visual.proj', shape: [w, d], data: read.take('image/proj/w', w * d) },
  );
  return out;
}

function textual(read: WeightReader, config: ModelConfig): NamedTensor[] {
  const { vocab, context, width: w } = config.text;
  const d = config.embedDim;
  return [
    {
      name: 'token_embedding.weight',
      shape: [vocab, w],
      data: read.take('text/tok_emb', vocab * w),
    },
    {
      name: 'positional_embedding',
      shape: [context, w],
      data: read.take('text/pos_emb', context * w),
    },
    ...blocks(read, 'text', 'transformer.', config.text),
    { name: 'ln_final.weight', shape: [w], data: read.take('text/ln_final/g', w) },
    { name: 'ln_final.bias', shape: [w], data: read.take('text/ln_final/b', w) },
    { name: 'text_projection', shape: [w, d], data: read.take('text/proj/w', w * d) },
  ];
}

/**
 * The logit scale as open_clip keeps it: log(1/τ), a 0-d tensor, clamped to log 100 as Curio's
 * forward clamps it (so exp() of the export is the scale Curio used).
 */
function logitScale(read: WeightReader, temperature: Temperature): NamedTensor {
  const value =
    temperature.kind === 'learnable'
      ? read.take('logit_scale', 1)[0]!
      : Math.log(1 / Math.max(temperature.value, 0.01));
  return { name: 'logit_scale', shape: [], data: Float32Array.of(Math.min(value, MAX_LOG_SCALE)) };
}

/** The open_clip state dict of a Curio checkpoint's weights. */
export function openClipStateDict(
  config: ModelConfig,
  temperature: Temperature,
  weights: Weights,
): NamedTensor[] {
  const read = new WeightReader(weights);
  const tensors = [
    ...visual(read, config),
    ...textual(read, config),
    logitScale(read, temperature),
  ];
  const unused = read.unused();
  if (unused.length)
    throw new Error(`checkpoint weights with no open_clip name: ${unused.join(', ')}`);
  return tensors;
}
