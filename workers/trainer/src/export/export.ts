// `curio-train export`: a checkpoint as files other tools load: `model.safetensors` (open_clip's
// ViT CLIP state dict), `open_clip_config.json` and a Hugging Face `tokenizer.json`. Nothing here
// needs a tfjs backend: the weights are reshaped from the checkpoint's arrays directly.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readCheckpointDir } from '../embed/saved-model.js';
import { ModelConfig } from '../model/index.js';
import { Tokenizer } from '../tokenizer/index.js';
import { huggingFaceTokenizer } from './hf-tokenizer.js';
import { openClipConfig, openClipRefusal } from './model-config.js';
import { encodeSafetensors } from './safetensors.js';
import { openClipStateDict } from './state-dict.js';

export const EXPORT_FILES = ['model.safetensors', 'open_clip_config.json', 'tokenizer.json'];

export interface ExportResult {
  checkpoint: string;
  outDir: string;
  tensors: number;
  parameters: number;
  bytes: number;
}

export async function exportCheckpoint(location: string, out: string): Promise<ExportResult> {
  const { dir, contents } = await readCheckpointDir(location);
  const { state, weights } = contents;
  const parsed = ModelConfig.safeParse(state.modelConfig);
  if (!parsed.success)
    throw new Error(
      `checkpoint ${dir}: state.json has an invalid modelConfig: ${parsed.error.message}`,
    );
  const config = parsed.data;
  const refusal = openClipRefusal(config);
  if (refusal) throw new Error(`checkpoint ${dir} cannot be exported: ${refusal}`);
  const model = state.spec.model;
  const tensors = openClipStateDict(config, model.temperature, weights);
  const tokenizer = Tokenizer.fromJSON(contents.tokenizer);
  if (tokenizer.vocabSize > config.text.vocab)
    throw new Error(
      `checkpoint ${dir}: the tokenizer has ${tokenizer.vocabSize} ids, more than the model's ${config.text.vocab} embedding rows`,
    );
  // The run's name and step, not the local path: an export travels.
  const source = { run: state.spec.name, step: state.step };
  const safetensors = encodeSafetensors(tensors, {
    format: 'pt',
    producer: 'curio-train export',
    run: source.run,
    step: String(state.step),
  });
  const outDir = resolve(out);
  await mkdir(outDir, { recursive: true }).catch((err: Error) => {
    throw new Error(`cannot create the export folder ${out}: ${err.message}`);
  });
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  await writeFile(join(outDir, 'model.safetensors'), safetensors);
  await writeFile(
    join(outDir, 'open_clip_config.json'),
    json(openClipConfig(config, model.textPooling, source)),
  );
  await writeFile(
    join(outDir, 'tokenizer.json'),
    json(huggingFaceTokenizer(tokenizer, config.text.context)),
  );
  return {
    checkpoint: dir,
    outDir,
    tensors: tensors.length,
    parameters: tensors.reduce((n, t) => n + t.data.length, 0),
    bytes: safetensors.length,
  };
}
