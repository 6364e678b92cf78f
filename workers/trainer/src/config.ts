// Turns a spec file (or object) into the typed, fully resolved options the loop runs on.
// Everything the loop needs from outside (files, env) is read here, once.
import { readFile } from 'node:fs/promises';
import { resolve, dirname, isAbsolute } from 'node:path';
import { parseRunSpec, type ModelInit, type RunSpec } from '@curio/contracts';
import { currentDataAccess, grantedRealPath, isLocationUnavailable } from '@curio/webdataset';

export interface MetadataEntry {
  name: string;
  /** The name and its synonyms: every surface form used for lexical matching and embedding. */
  forms: string[];
}

export interface TrainerConfig {
  spec: RunSpec;
  metadata: MetadataEntry[];
  /** Directory the job writes metrics, checkpoints and results to. */
  outDir: string;
}

export async function readSpecFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read spec file ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`spec file ${path} is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * Parse and resolve a spec. Relative paths in it (shards, metadata file, eval sets, inits) are
 * taken relative to `baseDir` (the spec file's folder).
 */
export async function resolveConfig(
  input: unknown,
  opts: { outDir: string; baseDir: string },
): Promise<TrainerConfig> {
  const spec = rebase(parseRunSpec(input), opts.baseDir);
  return { spec, metadata: await readMetadata(spec), outDir: resolve(opts.outDir) };
}

export async function loadConfig(specPath: string, outDir: string): Promise<TrainerConfig> {
  return resolveConfig(await readSpecFile(specPath), {
    outDir,
    baseDir: dirname(resolve(specPath)),
  });
}

function rebase(spec: RunSpec, baseDir: string): RunSpec {
  const local = (p: string) =>
    /^[a-z][a-z0-9+.-]*:\/\//i.test(p) || isAbsolute(p) ? p : resolve(baseDir, p);
  const init = (i: ModelInit | undefined) => (typeof i === 'string' ? local(i) : i);
  return {
    ...spec,
    pool: { sources: spec.pool.sources.map((s) => ({ ...s, shards: s.shards.map(local) })) },
    metadata: { ...spec.metadata, file: spec.metadata.file && local(spec.metadata.file) },
    evalSets: spec.evalSets.map((e) => ({ ...e, path: local(e.path) })),
    model: {
      ...spec.model,
      image: { ...spec.model.image, init: init(spec.model.image.init) },
      text: { ...spec.model.text, init: init(spec.model.text.init) },
    },
    ...(spec.growth ? { growth: { ...spec.growth, parent: init(spec.growth.parent)! } } : {}),
  };
}

/** The file itself, or in worker mode its real path once the team's grants allow it. */
async function grantedFile(file: string): Promise<string> {
  const access = currentDataAccess();
  return access ? grantedRealPath(file, access, file) : file;
}

async function readMetadata(spec: RunSpec): Promise<MetadataEntry[]> {
  const names = [...(spec.metadata.names ?? [])];
  if (spec.metadata.file) {
    let text: string;
    try {
      text = await readFile(await grantedFile(spec.metadata.file), 'utf8');
    } catch (err) {
      if (isLocationUnavailable(err)) throw err;
      throw new Error(`cannot read metadata.file ${spec.metadata.file}: ${(err as Error).message}`);
    }
    names.push(
      ...text
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.length > 0 && !l.startsWith('#')),
    );
  }
  const unique = [...new Set(names)];
  if (unique.length === 0)
    throw new Error(`metadata has no names (metadata.file ${spec.metadata.file ?? ''} is empty)`);
  const unknown = Object.keys(spec.metadata.synonyms).filter((k) => !unique.includes(k));
  if (unknown.length)
    throw new Error(
      `metadata.synonyms names entries that are not in the metadata: ${unknown.join(', ')}`,
    );
  return unique.map((name) => ({ name, forms: [name, ...(spec.metadata.synonyms[name] ?? [])] }));
}
