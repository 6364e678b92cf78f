// Metadata as CiT scores it: each entry's forms (name + synonyms) × templates embedded with the
// current text tower, averaged and normalised (METHODS.md §1 step 1).
import type { MetadataEntry } from '../config.js';

export interface TextEmbedder {
  /** Embedding size. */
  readonly dim: number;
  /** L2-normalised embeddings of texts, row-major n×dim. */
  embedTexts(texts: readonly string[]): Promise<Float32Array>;
}

export async function embedMetadata(
  embedder: TextEmbedder,
  entries: readonly MetadataEntry[],
  templates: readonly string[],
): Promise<Float32Array> {
  const { texts, owner } = prompts(
    entries.map((e) => e.forms),
    templates,
    '{}',
  );
  const emb = await embedder.embedTexts(texts);
  return averageRows(emb, owner, entries.length, embedder.dim);
}

/**
 * Every template filled with every surface form of each group, and the group each text belongs to
 * (for `averageRows`). `placeholder` is `{}` in metadata templates, `{c}` in clip_benchmark ones.
 */
export function prompts(
  groups: readonly (readonly string[])[],
  templates: readonly string[],
  placeholder: string,
): { texts: string[]; owner: number[] } {
  const texts: string[] = [];
  const owner: number[] = [];
  groups.forEach((forms, i) => {
    for (const form of forms) {
      for (const t of templates) {
        texts.push(t.replaceAll(placeholder, form));
        owner.push(i);
      }
    }
  });
  return { texts, owner };
}

/** Mean of the rows owned by each group, L2-normalised. */
export function averageRows(
  emb: Float32Array,
  owner: readonly number[],
  groups: number,
  dim: number,
): Float32Array {
  const out = new Float32Array(groups * dim);
  owner.forEach((g, r) => {
    for (let k = 0; k < dim; k++)
      out[g * dim + k] = (out[g * dim + k] as number) + (emb[r * dim + k] as number);
  });
  for (let g = 0; g < groups; g++) {
    let norm = 0;
    for (let k = 0; k < dim; k++) norm += (out[g * dim + k] as number) ** 2;
    const inv = 1 / Math.max(Math.sqrt(norm), 1e-12);
    for (let k = 0; k < dim; k++) out[g * dim + k] = (out[g * dim + k] as number) * inv;
  }
  return out;
}

/** Each caption's max cosine to any metadata entry (rows are unit vectors). */
export function maxCosine(
  captions: Float32Array,
  metadata: Float32Array,
  dim: number,
): Float32Array {
  const n = captions.length / dim;
  const m = metadata.length / dim;
  const out = new Float32Array(n).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let dot = 0;
      for (let k = 0; k < dim; k++)
        dot += (captions[i * dim + k] as number) * (metadata[j * dim + k] as number);
      if (dot > (out[i] as number)) out[i] = dot;
    }
  }
  return out;
}
