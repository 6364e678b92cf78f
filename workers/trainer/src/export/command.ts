// `curio-train export`: write a checkpoint as model.safetensors (open_clip names and layouts),
// open_clip_config.json and a Hugging Face tokenizer.json.
import { Command } from 'commander';
import { requireOptions } from '../cli/program.js';
import { EXPORT_FILES, exportCheckpoint } from './export.js';

export function exportCommand(): Command {
  const command = new Command('export')
    .description(
      'export a checkpoint for PyTorch / open_clip: model.safetensors, open_clip_config.json, tokenizer.json',
    )
    .option('--checkpoint <dir>', 'a checkpoint folder, or a run folder (its newest)')
    .option('--out <dir>', 'the folder to write the export to (created if missing)')
    .action(async (options: { checkpoint: string; out: string }) => {
      const result = await exportCheckpoint(options.checkpoint, options.out);
      console.log(
        `exported ${result.checkpoint}: ${result.tensors} tensors, ${result.parameters.toLocaleString('en')} parameters → ` +
          `${EXPORT_FILES.map((f) => `${result.outDir}/${f}`).join(', ')}`,
      );
    });
  return requireOptions(command, 'checkpoint', 'out');
}
