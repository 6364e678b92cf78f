// `curio-train embed`: embed texts or images with a saved model, one JSON line per input.
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { createDataStats } from '@curio/webdataset';
import { requireOptions, type StartBackend } from '../cli/program.js';
import { decodeBatch } from '../data/index.js';
import { embedImages, embedTexts } from './embedder.js';
import { readImageInputs, type ImageInput } from './image-inputs.js';
import { loadSavedModel, type SavedModel } from './saved-model.js';

interface EmbedOptions {
  checkpoint: string;
  out: string;
  texts?: string;
  images?: string[];
}

export function embedCommand(startBackend: StartBackend): Command {
  const command = new Command('embed')
    .description('embed texts (one a line) or images with a saved model, as JSON lines')
    .option('--checkpoint <dir>', 'a checkpoint folder, or a run folder (its newest)')
    .option('--out <file>', 'where to write the JSON lines ({input, embedding})')
    .option('--texts <file>', 'a text file, one text a line')
    .option(
      '--images <path...>',
      'image files (.jpg, .jpeg, .png, .webp), folders of them and WebDataset .tar shards (paths, globs, URLs)',
    )
    .action(async (options: EmbedOptions, command: Command) => {
      if (!options.texts === !options.images)
        command.error('error: embed needs exactly one of --texts FILE or --images PATH...');
      const backend = await startBackend();
      const saved = await loadSavedModel(options.checkpoint);
      const out = createWriteStream(options.out);
      const d = saved.model.config.embedDim;
      const emit = (input: string, emb: Float32Array, i: number) =>
        out.write(
          `${JSON.stringify({ input, embedding: Array.from(emb.subarray(i * d, (i + 1) * d), (x) => Number(x.toFixed(6))) })}\n`,
        );
      const count = options.texts
        ? await embedTextFile(saved, options.texts, emit)
        : await embedImageInputs(saved, options.images ?? [], emit);
      await new Promise<void>((res, rej) =>
        out.end((err?: Error | null) => (err ? rej(err) : res())),
      );
      console.log(
        `embedded ${count} ${options.texts ? 'texts' : 'images'} with ${saved.dir} on ${backend.name} → ${options.out}`,
      );
    });
  return requireOptions(command, 'checkpoint', 'out');
}

type Emit = (input: string, emb: Float32Array, i: number) => void;

async function embedTextFile(saved: SavedModel, file: string, emit: Emit): Promise<number> {
  const text = await readFile(file, 'utf8').catch((e: Error) => {
    throw new Error(`cannot read --texts ${file}: ${e.message}`);
  });
  const texts = text.split('\n').filter((l) => l.trim().length > 0);
  const emb = embedTexts(saved.model, saved.tokenizer, texts);
  texts.forEach((t, i) => emit(t, emb, i));
  return texts.length;
}

/** Decoded images of the locations (undecodable ones skipped and reported). */
export async function decodeImageInputs(
  locations: readonly string[],
  size: number,
): Promise<{ labels: string[]; pixels: Float32Array }> {
  const stats = createDataStats();
  const inputs: ImageInput[] = [];
  for await (const input of readImageInputs(locations, stats)) inputs.push(input);
  const decoded = await decodeBatch(
    inputs.map((i) => ({ imageBytes: i.bytes, id: i.label })),
    { size, stats },
  );
  if (stats.examples.length > 0) console.log(`skipped:\n  ${stats.examples.join('\n  ')}`);
  if (decoded.kept.length === 0) throw new Error(`no decodable image in ${locations.join(', ')}`);
  return { labels: decoded.kept.map((k) => inputs[k]!.label), pixels: decoded.pixels };
}

async function embedImageInputs(saved: SavedModel, locations: string[], emit: Emit) {
  const { labels, pixels } = await decodeImageInputs(locations, saved.model.config.image.size);
  const emb = embedImages(saved.model, pixels, labels.length);
  labels.forEach((label, i) => emit(label, emb, i));
  return labels.length;
}
