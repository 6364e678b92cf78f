// The export's pieces on tiny, hand-checkable inputs: the safetensors bytes, where each Curio
// array lands in open_clip's layout, and the tokenizer.json vocab and merges. (The whole export
// loaded in PyTorch is test/export.test.ts at the repository root.)
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunSpec } from '@curio/contracts';
import { describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../checkpoint/blob-store.js';
import { saveCheckpoint } from '../checkpoint/checkpoint.js';
import { exportCheckpoint } from './export.js';
import { ModelConfig, type ModelConfigInput } from '../model/index.js';
import { Tokenizer, trainBpe } from '../tokenizer/index.js';
import { byteToUnicode, huggingFaceTokenizer } from './hf-tokenizer.js';
import { openClipRefusal } from './model-config.js';
import { encodeSafetensors } from './safetensors.js';
import { openClipStateDict, transpose2d } from './state-dict.js';

/** The header and the F32 tensors of a safetensors file, read the way the format says. */
function readSafetensors(bytes: Uint8Array) {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as Record<
    string,
    { shape: number[]; data_offsets: [number, number] }
  >;
  const data = (name: string) => {
    const [begin, end] = header[name]!.data_offsets;
    return new Float32Array(bytes.slice(8 + length + begin, 8 + length + end).buffer);
  };
  return { length, header, data };
}

const learnable = { kind: 'learnable', init: 0.07 } as const;

/** A 1-block model of width 2: small enough to name every value. */
const config = ModelConfig.parse({
  name: 'micro',
  embedDim: 2,
  image: { size: 2, patch: 2, channels: 3, width: 2, depth: 1, heads: 1, mlpRatio: 2 },
  text: { context: 3, vocab: 262, width: 2, depth: 1, heads: 1, mlpRatio: 2 },
} satisfies ModelConfigInput);

/** Every parameter of `config`, each filled with 1000·k + its index (k = the array's number). */
function weights(): Map<string, Float32Array> {
  const sizes: Record<string, number> = {
    'image/patch/w': 12 * 2,
    'image/cls': 2,
    'image/pos_emb': 2 * 2,
    'image/ln_final/g': 2,
    'image/ln_final/b': 2,
    'image/proj/w': 4,
    'text/tok_emb': 262 * 2,
    'text/pos_emb': 6,
    'text/ln_final/g': 2,
    'text/ln_final/b': 2,
    'text/proj/w': 4,
    logit_scale: 1,
  };
  for (const tower of ['image', 'text']) {
    const p = `${tower}/blocks/0`;
    Object.assign(sizes, {
      [`${p}/ln1/g`]: 2,
      [`${p}/ln1/b`]: 2,
      [`${p}/attn/qkv/w`]: 12,
      [`${p}/attn/qkv/b`]: 6,
      [`${p}/attn/out/w`]: 4,
      [`${p}/attn/out/b`]: 2,
      [`${p}/ln2/g`]: 2,
      [`${p}/ln2/b`]: 2,
      [`${p}/mlp/fc/w`]: 8,
      [`${p}/mlp/fc/b`]: 4,
      [`${p}/mlp/proj/w`]: 8,
      [`${p}/mlp/proj/b`]: 2,
    });
  }
  return new Map(
    Object.entries(sizes).map(([name, n], k) => [
      name,
      Float32Array.from({ length: n }, (_, i) => 1000 * k + i),
    ]),
  );
}

describe('safetensors', () => {
  it('writes the header length, an 8-byte aligned JSON header and the raw data', () => {
    const bytes = encodeSafetensors(
      [
        { name: 'a', shape: [2, 2], data: Float32Array.of(1, 2, 3, 4) },
        { name: 's', shape: [], data: Float32Array.of(-0.5) },
      ],
      { format: 'pt' },
    );
    const { length, header, data } = readSafetensors(bytes);
    expect((8 + length) % 8).toBe(0);
    expect(header).toEqual({
      __metadata__: { format: 'pt' },
      a: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] },
      s: { dtype: 'F32', shape: [], data_offsets: [16, 20] },
    });
    expect(bytes.length).toBe(8 + length + 20);
    expect(Array.from(data('a'))).toEqual([1, 2, 3, 4]);
    expect(Array.from(data('s'))).toEqual([-0.5]);
  });

  it('refuses a shape that does not hold the data, and a name given twice', () => {
    expect(() =>
      encodeSafetensors([{ name: 'a', shape: [3], data: Float32Array.of(1, 2) }]),
    ).toThrow(/a: shape \[3\] does not hold 2 values/);
    const a = { name: 'a', shape: [1], data: Float32Array.of(1) };
    expect(() => encodeSafetensors([a, a])).toThrow(/tensor a named twice/);
  });
});

describe('openClipStateDict', () => {
  const dict = new Map(
    openClipStateDict(config, learnable, weights()).map((t) => [t.name, t] as const),
  );
  const w = weights();

  it('transposes Linear weights to [out, in]', () => {
    const qkv = dict.get('visual.transformer.resblocks.0.attn.in_proj_weight')!;
    expect(qkv.shape).toEqual([6, 2]);
    const src = w.get('image/blocks/0/attn/qkv/w')!; // [in 2, out 6]
    // PyTorch [o, i] = Curio [i, o]
    for (let o = 0; o < 6; o++)
      for (let i = 0; i < 2; i++) expect(qkv.data[o * 2 + i]).toBe(src[i * 6 + o]);
    expect(dict.get('transformer.resblocks.0.mlp.c_fc.weight')!.shape).toEqual([4, 2]);
    expect(dict.get('transformer.resblocks.0.mlp.c_proj.weight')!.shape).toEqual([2, 4]);
    expect(Array.from(transpose2d(Float32Array.of(1, 2, 3, 4, 5, 6), 2, 3))).toEqual([
      1, 4, 2, 5, 3, 6,
    ]);
  });

  it('lays the patch embedding out as conv1 [W, C, p, p] and keeps projections [W, D]', () => {
    const conv = dict.get('visual.conv1.weight')!;
    expect(conv.shape).toEqual([2, 3, 2, 2]);
    const src = w.get('image/patch/w')!; // rows (py·p + px)·C + c, columns W
    for (let out = 0; out < 2; out++)
      for (let c = 0; c < 3; c++)
        for (let py = 0; py < 2; py++)
          for (let px = 0; px < 2; px++)
            expect(conv.data[((out * 3 + c) * 2 + py) * 2 + px]).toBe(
              src[((py * 2 + px) * 3 + c) * 2 + out],
            );
    expect(dict.get('visual.proj')!.data).toEqual(w.get('image/proj/w'));
    expect(dict.get('visual.class_embedding')!.shape).toEqual([2]);
    expect(dict.get('logit_scale')!.shape).toEqual([]);
  });

  it('clamps the logit scale to log 100 and writes a fixed temperature as one', () => {
    const big = weights();
    big.set('logit_scale', Float32Array.of(9));
    const clamped = openClipStateDict(config, learnable, big).at(-1)!;
    expect(clamped.data[0]).toBeCloseTo(Math.log(100), 6);
    const fixedWeights = weights();
    fixedWeights.delete('logit_scale');
    const fixed = openClipStateDict(config, { kind: 'fixed', value: 0.02 }, fixedWeights).at(-1)!;
    expect(fixed.data[0]).toBeCloseTo(Math.log(50), 6);
  });

  it('names a missing, mis-sized or unexpected weight', () => {
    const missing = weights();
    missing.delete('text/proj/w');
    expect(() => openClipStateDict(config, learnable, missing)).toThrow(
      /checkpoint has no weights for text\/proj\/w/,
    );
    const wrong = weights();
    wrong.set('image/cls', Float32Array.of(1, 2, 3));
    expect(() => openClipStateDict(config, learnable, wrong)).toThrow(
      /image\/cls have 3 values, expected 2/,
    );
    const extra = weights();
    extra.set('image/extra', Float32Array.of(1));
    expect(() => openClipStateDict(config, learnable, extra)).toThrow(
      /checkpoint weights with no open_clip name: image\/extra/,
    );
  });
});

describe('huggingFaceTokenizer', () => {
  it('spells every id with GPT-2 byte characters and lists the merges by rank', () => {
    const tokenizer = trainBpe(['a red circle', 'a red square', 'red red'], { vocabSize: 262 });
    const json = huggingFaceTokenizer(tokenizer, 8) as {
      model: { vocab: Record<string, number>; merges: string[] };
      padding: { strategy: { Fixed: number } };
    };
    const chars = byteToUnicode();
    expect(chars[32]).toBe('Ġ');
    expect(chars[97]).toBe('a');
    expect(new Set(chars).size).toBe(256);
    const { vocab, merges } = json.model;
    expect(vocab['<pad>']).toBe(0);
    expect(vocab['<end_of_text>']).toBe(2);
    expect(vocab.a).toBe(3 + 97);
    expect(vocab['Ġ']).toBe(3 + 32);
    expect(merges).toHaveLength(3);
    expect(Object.keys(vocab)).toHaveLength(tokenizer.vocabSize);
    // Each merge's result is in the vocab under the id Curio gives it.
    merges.forEach((m, r) => expect(vocab[m.replace(' ', '')]).toBe(259 + r));
    expect(json.padding.strategy.Fixed).toBe(8);
  });

  it('refuses a tokenizer whose ids spell the same bytes twice', () => {
    const a = 3 + 97;
    const b = 3 + 98;
    const c = 3 + 99;
    // 259 = ab, 260 = bc, 261 = ab·c, 262 = a·bc: "abc" twice.
    const tokenizer = new Tokenizer([
      [a, b],
      [b, c],
      [259, c],
      [a, 260],
    ]);
    expect(() => huggingFaceTokenizer(tokenizer, 8)).toThrow(
      /ids 261 and 262 spell the same bytes/,
    );
  });
});

describe('exportCheckpoint', () => {
  async function savedRun(): Promise<string> {
    const run = await mkdtemp(join(tmpdir(), 'curio-export-'));
    const spec = parseRunSpec({
      name: 'micro-run',
      pool: { sources: [{ name: 'p', shards: ['x'] }] },
      metadata: { names: ['a'] },
      stop: { maxSteps: 1 },
    });
    await saveCheckpoint(new LocalBlobStore(run), {
      state: {
        step: 7,
        spec,
        modelConfig: config,
        optimizerStep: 7,
        data: { mode: 'offline', keptIds: [] },
        elapsedSeconds: 1,
        savedAt: new Date(0).toISOString(),
      },
      weights: weights(),
      optimizer: {},
      tokenizer: trainBpe(['a red circle', 'a red square', 'red red'], { vocabSize: 262 }).toJSON(),
    });
    return run;
  }

  it('writes the three files from a run folder (its newest checkpoint)', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'curio-export-out-')), 'model');
    const result = await exportCheckpoint(await savedRun(), out);
    expect(result.checkpoint).toMatch(/checkpoints\/00000007$/);
    // per tower 12 block tensors + 6 (visual) or 5 (text) others, and the logit scale
    expect(result.tensors).toBe(12 + 6 + 12 + 5 + 1);
    const { header } = readSafetensors(
      new Uint8Array(await readFile(join(out, 'model.safetensors'))),
    );
    expect(header['token_embedding.weight']!.shape).toEqual([262, 2]);
    expect(header.__metadata__).toMatchObject({ format: 'pt', run: 'micro-run', step: '7' });
    const cfg = JSON.parse(await readFile(join(out, 'open_clip_config.json'), 'utf8'));
    expect(cfg.model_cfg.text_cfg).toMatchObject({ pool_type: 'mean', vocab_size: 262 });
    const tok = JSON.parse(await readFile(join(out, 'tokenizer.json'), 'utf8'));
    expect(tok.model.type).toBe('BPE');
  });

  it('names a corrupt checkpoint and an output folder it cannot create', async () => {
    const run = await savedRun();
    const file = join(run, 'a-file');
    await writeFile(file, 'x');
    await expect(exportCheckpoint(run, join(file, 'out'))).rejects.toThrow(
      /cannot create the export folder .*a-file\/out/,
    );
    await writeFile(join(run, 'checkpoints', '00000007', 'weights.bin'), 'garbage');
    await expect(exportCheckpoint(run, join(run, 'out'))).rejects.toThrow(
      /weights\.bin is not a Curio tensor pack/,
    );
  });
});

describe('openClipRefusal', () => {
  it('refuses a model with the joint module, which open_clip has no place for', () => {
    expect(openClipRefusal(config)).toBeUndefined();
    const joint = ModelConfig.parse({ ...config, joint: { tokens: 1, stages: 2 } });
    expect(openClipRefusal(joint)).toMatch(/joint module \(1 tokens, 2 stages\)/);
  });
});
