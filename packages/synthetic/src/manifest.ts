// `synthetic.json`: what a generated folder holds, and the folder's layout read back from it.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SyntheticDataResult } from './generate.js';

const MANIFEST = 'synthetic.json';

/** What `synthetic.json` records about a generated folder. */
export interface SyntheticManifest {
  seed: number;
  onTargetFraction: number;
  paraphraseFraction: number;
  shards: number;
  classes: string[];
  counts: SyntheticDataResult['counts'];
}

function layout(outDir: string, m: SyntheticManifest): SyntheticDataResult {
  const poolDir = path.join(outDir, 'pool');
  return {
    outDir,
    poolDir,
    poolShards: Array.from({ length: m.shards }, (_, i) =>
      path.join(poolDir, `${String(i).padStart(5, '0')}.tar`),
    ),
    metadataFile: path.join(outDir, 'metadata.txt'),
    synonymsFile: path.join(outDir, 'synonyms.json'),
    evalDir: path.join(outDir, 'eval'),
    classes: m.classes,
    seed: m.seed,
    onTargetFraction: m.onTargetFraction,
    // Folders written before paraphrasing existed have none.
    paraphraseFraction: m.paraphraseFraction ?? 0,
    counts: { ...m.counts, paraphrased: m.counts.paraphrased ?? 0 },
  };
}

/** Write the manifest of a generated folder and answer its layout. */
export async function writeManifest(
  outDir: string,
  manifest: SyntheticManifest,
): Promise<SyntheticDataResult> {
  await writeFile(path.join(outDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return layout(outDir, manifest);
}

/** Open a folder written by `generateSyntheticData` (e.g. to reuse a large pool in a benchmark). */
export async function readSyntheticData(outDir: string): Promise<SyntheticDataResult> {
  const file = path.join(outDir, MANIFEST);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new Error(`${file} not found: is ${outDir} a folder written by \`curio-train synth\`?`);
  }
  return layout(outDir, JSON.parse(text) as SyntheticManifest);
}
