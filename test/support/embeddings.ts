// Reading what `curio-train embed` writes (one {input, embedding} JSON line per input) and
// comparing embeddings.
import { readFile } from 'node:fs/promises';

export async function readEmbeddings(path: string): Promise<Map<string, number[]>> {
  const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l.trim().length > 0);
  return new Map(
    lines.map((line) => {
      const { input, embedding } = JSON.parse(line) as { input: string; embedding: number[] };
      return [input, embedding];
    }),
  );
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`cosine of ${a.length}- and ${b.length}-vectors`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return dot / Math.sqrt(na * nb);
}
