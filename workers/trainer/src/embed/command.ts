// `curio-train embed`: embed texts or images with a saved model, one JSON line per input.
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { requireOptions, type StartBackend } from '../cli/program.js';
import { embedImages, embedTexts } from './embedder.js';
import { decodedImages } from './image-inputs.js';
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

async function embedImageInputs(saved: SavedModel, locations: string[], emit: Emit) {
  let count = 0;
  for await (const { labels, pixels } of decodedImages(locations, saved.model.config.image.size)) {
    const emb = embedImages(saved.model, pixels, labels.length);
    labels.forEach((label, i) => emit(label, emb, i));
    count += labels.length;
  }
  return count;
}
