// `curio-train embed`: embed texts or images with a saved model, one JSON line per input.
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { LocalBlobStore } from '../checkpoint/blob-store.js';
import { loadCheckpoint } from '../checkpoint/checkpoint.js';
import { resolveShards } from '@curio/webdataset';
import { decodeBatch } from '../data/index.js';
import { ClipModel } from '../model/index.js';
import { Tokenizer } from '../tokenizer/index.js';
import { embedImages, embedTexts } from './embedder.js';
import { readWebDataset, createDataStats, formatDataStats } from '@curio/webdataset';

export async function runEmbedCommand(argv: string[], backend: { name: string }): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      checkpoint: { type: 'string' },
      texts: { type: 'string' },
      images: { type: 'string', multiple: true },
      out: { type: 'string' },
    },
  });
  if (!values.checkpoint || !values.out || (!values.texts && !values.images)) {
    throw new Error('embed needs --checkpoint DIR, --out FILE and --texts FILE or --images PATH');
  }
  const dir = values.checkpoint.replace(/\/+$/, '');
  const ckpt = await loadCheckpoint(
    new LocalBlobStore(dirname(dir)),
    dir.split('/').at(-1) as string,
  );
  const tokenizer = Tokenizer.fromJSON(ckpt.tokenizer);
  const model = new ClipModel(ckpt.state.modelConfig, {
    seed: 0,
    textPooling: ckpt.state.spec.model.textPooling,
    temperature: ckpt.state.spec.model.temperature,
  });
  model.loadWeights(ckpt.weights);
  const out = createWriteStream(values.out);
  const d = model.config.embedDim;
  const emit = (input: string, emb: Float32Array, i: number) =>
    out.write(
      `${JSON.stringify({ input, embedding: Array.from(emb.subarray(i * d, (i + 1) * d), (x) => Number(x.toFixed(6))) })}\n`,
    );
  let count = 0;
  if (values.texts) {
    const texts = (
      await readFile(values.texts, 'utf8').catch((e: Error) => {
        throw new Error(`cannot read --texts ${values.texts}: ${e.message}`);
      })
    )
      .split('\n')
      .filter((l) => l.trim().length > 0);
    const emb = embedTexts(model, tokenizer, texts);
    texts.forEach((t, i) => emit(t, emb, i));
    count = texts.length;
  } else {
    const stats = createDataStats();
    const keys: string[] = [];
    const images: Buffer[] = [];
    for (const shard of await resolveShards(values.images ?? [])) {
      for await (const s of readWebDataset(shard, stats, { requireImage: true })) {
        keys.push(`${shard}#${s.key}`);
        images.push(s.image as Buffer);
      }
    }
    const decoded = await decodeBatch(images, { size: model.config.image.size, stats });
    const emb = embedImages(model, decoded.pixels, decoded.kept.length);
    decoded.kept.forEach((k, i) => emit(keys[k] as string, emb, i));
    count = decoded.kept.length;
    if (decoded.kept.length < images.length) console.log(`skipped: ${formatDataStats(stats)}`);
  }
  await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
  console.log(
    `embedded ${count} ${values.texts ? 'texts' : 'images'} with ${dir} on ${backend.name} → ${values.out}`,
  );
}
