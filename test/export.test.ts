// The export round trip: train a tiny model for a few steps with `curio-train`, export it, load
// the export in PyTorch with a reference CLIP written for it (python/reference_clip.py), and check
// that its image and text embeddings match Curio's for the same pixels and token ids. The token
// ids come from the exported tokenizer.json, read by tokenizers.js (Hugging Face's JS port of
// `tokenizers`), so a tokenizer that does not reproduce Curio's ids fails the test too.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Tokenizer } from '@huggingface/tokenizers';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { CURIO_TRAIN, mustRun } from './support/commands.js';
import { cosine, readEmbeddings } from './support/embeddings.js';
import { Rng } from '@curio/random';

const PYTHON = '/usr/bin/python3';
const REFERENCE = fileURLToPath(new URL('./python/reference_clip.py', import.meta.url));
const IMAGE_SIZE = 32; // the tiny preset's
const TEXTS = [
  'a red circle on a blue background',
  'A Photo of the GREEN  triangle, drawn by hand!',
  'Ünïcode café — 42 items in the 3rd row',
  `a long caption ${'with many repeated words '.repeat(12)}that the context cuts`,
];

async function checkTorch(): Promise<void> {
  const probe = await promisify(execFile)(PYTHON, ['-c', 'import torch; print(torch.__version__)'])
    .then(() => undefined)
    .catch((e: { stderr?: string; message: string }) => e.stderr || e.message);
  if (probe !== undefined)
    throw new Error(
      `the export round trip needs PyTorch in ${PYTHON} (apt-get install python3-torch; .ci/run installs it): ${probe}`,
    );
}

/** Token ids as `tokenizers` gives them, truncated and padded as tokenizer.json says. */
function tokenIds(tokenizerJson: Record<string, unknown>, texts: readonly string[]): number[][] {
  const tokenizer = new Tokenizer(tokenizerJson, {});
  const truncation = tokenizerJson.truncation as { max_length: number };
  const padding = tokenizerJson.padding as { pad_id: number };
  const length = truncation.max_length;
  return texts.map((text) => {
    const ids = tokenizer.encode(text).ids;
    const kept = ids.length <= length ? ids : [...ids.slice(0, length - 1), ids[ids.length - 1]!];
    return [...kept, ...Array<number>(length - kept.length).fill(padding.pad_id)];
  });
}

/**
 * Row i of `torch` matches row i of `curio`: cosine ≥ 0.999, and the mismatch is under 1% of
 * how far apart Curio puts different inputs (a briefly trained model maps all inputs close
 * together, so 0.999 alone could let a wrong layout through).
 */
function expectSame(torch: number[][], curio: number[][]): void {
  torch.forEach((row, i) => {
    const mismatch = 1 - cosine(row, curio[i]!);
    const apart = Math.min(
      ...curio.filter((_, j) => j !== i).map((other) => 1 - cosine(curio[i]!, other)),
    );
    expect(1 - mismatch, `sample ${i}`).toBeGreaterThanOrEqual(0.999);
    expect(mismatch, `sample ${i}: mismatch against separation ${apart}`).toBeLessThan(apart / 100);
  });
}

/** The logit scale (log 1/τ) stored in an exported model.safetensors. */
async function logitScale(path: string): Promise<number> {
  const bytes = await readFile(path);
  const length = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8'));
  const [begin] = header.logit_scale.data_offsets as [number, number];
  return bytes.readFloatLE(8 + length + begin);
}

/** Train the tiny preset for 3 steps into DIR/RUN and export it to DIR/RUN-export. */
async function trainAndExport(dir: string, run: string, textPooling: 'mean' | 'eot') {
  await writeFile(
    join(dir, `${run}.json`),
    JSON.stringify({
      name: run,
      seed: 5,
      pool: { sources: [{ name: 'synthetic', shards: ['data/pool'] }] },
      metadata: { file: 'data/metadata.txt' },
      model: { preset: 'tiny', textPooling },
      tokenizer: { vocabSize: 600 },
      // A high learning rate so that every bias and norm moves well away from its init.
      training: { batchSize: 16, lr: 0.01, warmupSteps: 0 },
      curation: { mode: 'none' },
      stop: { maxSteps: 3 },
      checkpoint: { everySteps: 3 },
    }),
  );
  await mustRun(CURIO_TRAIN, ['--spec', `${run}.json`, '--out', run], { cwd: dir });
  await mustRun(CURIO_TRAIN, ['export', '--checkpoint', run, '--out', `${run}-export`], {
    cwd: dir,
  });
}

/** `curio-train embed` and the PyTorch reference on the same images and texts agree. */
async function expectTorchMatchesCurio(
  dir: string,
  run: string,
  imagesDir: string,
  rgb: readonly Uint8Array[],
): Promise<void> {
  const exportDir = join(dir, `${run}-export`);
  await writeFile(join(dir, 'texts.txt'), `${TEXTS.join('\n')}\n`);
  const embed = (args: string[]) =>
    mustRun(CURIO_TRAIN, ['embed', '--checkpoint', run, ...args], { cwd: dir });
  await embed(['--images', imagesDir, '--out', `${run}-images.jsonl`]);
  await embed(['--texts', 'texts.txt', '--out', `${run}-texts.jsonl`]);
  const curioImages = await readEmbeddings(join(dir, `${run}-images.jsonl`));
  const curioTexts = await readEmbeddings(join(dir, `${run}-texts.jsonl`));

  const tokenizerJson = JSON.parse(await readFile(join(exportDir, 'tokenizer.json'), 'utf8'));
  const inputs = { images: rgb.map((b) => Array.from(b)), tokens: tokenIds(tokenizerJson, TEXTS) };
  await writeFile(join(dir, `${run}-inputs.json`), JSON.stringify(inputs));
  await promisify(execFile)(
    PYTHON,
    [REFERENCE, exportDir, `${run}-inputs.json`, `${run}-torch.json`],
    { cwd: dir },
  );
  const torch = JSON.parse(await readFile(join(dir, `${run}-torch.json`), 'utf8')) as {
    image: number[][];
    text: number[][];
  };
  expectSame(
    torch.image,
    rgb.map((_, i) => curioImages.get(join(imagesDir, `${i}.png`))!),
  );
  expectSame(
    torch.text,
    TEXTS.map((t) => curioTexts.get(t)!),
  );
}

describe('curio-train export', () => {
  let dir: string;
  let exportDir: string;
  let imagesDir: string;
  let rgb: Uint8Array[];

  beforeAll(async () => {
    await checkTorch();
    dir = await mkdtemp(join(tmpdir(), 'curio-export-'));
    await mustRun(CURIO_TRAIN, ['synth', '--out', 'data', '--pool-size', '300'], { cwd: dir });
    await trainAndExport(dir, 'run', 'mean');
    imagesDir = join(dir, 'images');
    await mkdir(imagesDir);
    const rng = new Rng(7);
    rgb = [0, 1, 2, 3].map(() =>
      Uint8Array.from({ length: IMAGE_SIZE * IMAGE_SIZE * 3 }, () => rng.int(256)),
    );
    await Promise.all(
      rgb.map((bytes, i) =>
        sharp(bytes, { raw: { width: IMAGE_SIZE, height: IMAGE_SIZE, channels: 3 } })
          .png()
          .toFile(join(imagesDir, `${i}.png`)),
      ),
    );
    exportDir = join(dir, 'run-export');
  });

  it('gives PyTorch the same image and text embeddings as Curio', async () => {
    await expectTorchMatchesCurio(dir, 'run', imagesDir, rgb);
  });

  it('does so with end-of-text pooling too', async () => {
    await trainAndExport(dir, 'eot-run', 'eot');
    await expectTorchMatchesCurio(dir, 'eot-run', imagesDir, rgb);
  });

  it('writes open_clip names, shapes and config', async () => {
    const config = JSON.parse(await readFile(join(exportDir, 'open_clip_config.json'), 'utf8'));
    expect(config.model_cfg).toMatchObject({
      embed_dim: 128,
      quick_gelu: true,
      vision_cfg: { image_size: 32, patch_size: 4, width: 128, layers: 4, head_width: 32 },
      text_cfg: { context_length: 32, vocab_size: 600, width: 128, heads: 4, layers: 4 },
    });
    expect(config.preprocess_cfg).toMatchObject({
      size: 32,
      mean: [0.48145466, 0.4578275, 0.40821073],
    });
    const bytes = await readFile(join(exportDir, 'model.safetensors'));
    const headerLength = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
    expect(header['visual.conv1.weight'].shape).toEqual([128, 3, 4, 4]);
    expect(header['visual.transformer.resblocks.3.attn.in_proj_weight'].shape).toEqual([384, 128]);
    expect(header['visual.transformer.resblocks.0.mlp.c_fc.weight'].shape).toEqual([512, 128]);
    expect(header['token_embedding.weight'].shape).toEqual([600, 128]);
    expect(header['text_projection'].shape).toEqual([128, 128]);
    expect(header['logit_scale']).toMatchObject({ dtype: 'F32', shape: [] });
  });

  it('classify gives softmax(logit scale × cosine) of the same embeddings', async () => {
    const names = ['red circle', 'green square', 'blue triangle'];
    await writeFile(join(dir, 'names.txt'), `${names.join('\n')}\n`);
    const embed = (args: string[]) =>
      mustRun(CURIO_TRAIN, ['embed', '--checkpoint', 'run', ...args], { cwd: dir });
    await embed(['--texts', 'names.txt', '--out', 'names.jsonl']);
    await embed(['--images', imagesDir, '--out', 'classify-images.jsonl']);
    const out = await mustRun(
      CURIO_TRAIN,
      [
        'classify',
        '--checkpoint',
        'run',
        '--names',
        names.join(','),
        '--top',
        '2',
        '--json',
        imagesDir,
      ],
      { cwd: dir },
    );
    const predictions = JSON.parse(out) as {
      input: string;
      predictions: { name: string; probability: number }[];
    }[];
    const images = await readEmbeddings(join(dir, 'classify-images.jsonl'));
    const classes = await readEmbeddings(join(dir, 'names.jsonl'));
    const scale = Math.exp(await logitScale(join(exportDir, 'model.safetensors')));
    expect(predictions.map((p) => p.input)).toEqual(rgb.map((_, i) => join(imagesDir, `${i}.png`)));
    for (const { input, predictions: top } of predictions) {
      const logits = names.map((n) => scale * cosine(images.get(input)!, classes.get(n)!));
      const z = logits.reduce((sum, l) => sum + Math.exp(l), 0);
      const expected = names
        .map((name, k) => ({ name, probability: Math.exp(logits[k]!) / z }))
        .sort((a, b) => b.probability - a.probability)
        .slice(0, 2);
      expect(top.map((p) => p.name)).toEqual(expected.map((p) => p.name));
      top.forEach((p, k) => expect(p.probability).toBeCloseTo(expected[k]!.probability, 4));
    }
    const table = await mustRun(
      CURIO_TRAIN,
      ['classify', '--checkpoint', 'run', '--names', names.join(','), join(imagesDir, '0.png')],
      { cwd: dir },
    );
    expect(table).toMatch(/0\.png\n {2}(red circle|green square|blue triangle)\s+\d+\.\d%/);
  });

  it('refuses a folder that holds no checkpoint, naming it', async () => {
    const r = await mustRun(CURIO_TRAIN, ['export', '--checkpoint', 'data', '--out', 'x'], {
      cwd: dir,
    }).catch((e: Error) => e.message);
    expect(r).toMatch(/data is not a Curio checkpoint/);
  });
});
