// `curio-train classify`: zero-shot predictions of a saved model for images, over class names
// given on the command line (each filled into the templates and averaged, as evaluation does).
import { Command } from 'commander';
import { positiveInt, nameList, collect } from '../cli/options.js';
import { requireOptions, type StartBackend } from '../cli/program.js';
import { decodedImages } from '../embed/image-inputs.js';
import { cosineMatrix, embedImages } from '../embed/embedder.js';
import { loadSavedModel } from '../embed/saved-model.js';
import { classEmbeddings } from '../eval/evaluate.js';
import { topPredictions, type Prediction } from './predictions.js';

interface ClassifyOptions {
  checkpoint: string;
  names: string[];
  template?: string[];
  top: number;
  json: boolean;
}

export function classifyCommand(startBackend: StartBackend): Command {
  const command = new Command('classify')
    .description('zero-shot predictions of a saved model for images, over the classes named')
    .argument('<image...>', 'image files, folders of them and WebDataset .tar shards')
    .option('--checkpoint <dir>', 'a checkpoint folder, or a run folder (its newest)')
    .option('--names <a,b,c>', 'the class names, comma-separated', nameList)
    .option('--template <text>', 'a prompt template with {c} for the name (repeatable)', collect)
    .option('--top <k>', 'how many classes to show per image', positiveInt, 3)
    .option('--json', 'print the predictions as one JSON array', false)
    .action(async (images: string[], options: ClassifyOptions) => {
      const templates = options.template ?? ['{c}'];
      const bad = templates.find((t) => !t.includes('{c}'));
      if (bad !== undefined) throw new Error(`--template ${JSON.stringify(bad)} has no {c}`);
      // With --json, stdout carries the JSON alone.
      await startBackend(options.json ? (line) => console.error(line) : undefined);
      const { model, tokenizer } = await loadSavedModel(options.checkpoint);
      const classes = classEmbeddings(model, tokenizer, options.names, templates);
      const scale = model.logitScale();
      const logitScale = scale.dataSync()[0]!;
      scale.dispose();
      const k = Math.min(options.top, options.names.length);
      const labels: string[] = [];
      const predictions: Prediction[][] = [];
      for await (const batch of decodedImages(images, model.config.image.size)) {
        const embedded = embedImages(model, batch.pixels, batch.labels.length);
        const cosines = cosineMatrix(embedded, classes, model.config.embedDim);
        labels.push(...batch.labels);
        predictions.push(...topPredictions(cosines, options.names, logitScale, k));
      }
      console.log(options.json ? json(labels, predictions) : table(labels, predictions));
    });
  return requireOptions(command, 'checkpoint', 'names');
}

function json(labels: string[], predictions: Prediction[][]): string {
  return JSON.stringify(
    labels.map((input, i) => ({ input, predictions: predictions[i] })),
    null,
    2,
  );
}

function table(labels: string[], predictions: Prediction[][]): string {
  const width = Math.max(...predictions.flat().map((p) => p.name.length));
  return labels
    .map((label, i) =>
      [
        label,
        ...predictions[i]!.map(
          (p) => `  ${p.name.padEnd(width)}  ${(100 * p.probability).toFixed(1).padStart(5)}%`,
        ),
      ].join('\n'),
    )
    .join('\n');
}
