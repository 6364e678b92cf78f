// One round's scan: read the pool's captions chunk by chunk, keep what each chunk's rule says
// (`decide.ts`), and, while the warm model may add, collect the rejected pairs the round's image
// probe chooses from (`curator.ts`).
import type { CaptionSample } from '@curio/webdataset';
import { Rng } from '@curio/random';
import { decideChunk, lexicalSelection, type DecideSettings, type Scorer } from './decide.js';
import type { LexicalMatcher } from './lexical.js';
import { maxCosine, type TextEmbedder } from './metadata-embedding.js';
import { pairTruth } from './pool-truth.js';
import { gammaFloor } from './rule.js';

export interface ScanOptions {
  captions: AsyncIterator<CaptionSample>;
  lexical: LexicalMatcher;
  meta: Float32Array;
  embedder: TextEmbedder;
  settings: DecideSettings;
  chunkSize: number;
  target: number;
  maxScan: number;
  /** The warm model adds to the lexical hits this round: keep the rejected pairs. */
  adding: boolean;
  /** The model's agreement with the lexical matcher is measured (on a sample of chunks). */
  measuring: boolean;
  rejectedSample: number;
  seed: number;
  round: number;
}

export interface RoundScan {
  /** What the chunks' rules kept: lexical hits (and γ top-ups), or the paper rule's picks. */
  selected: CaptionSample[];
  /** While adding: every pair the chunks' rules rejected. */
  others: CaptionSample[];
  /** A uniform sample of the rejected pairs (for exploration batches). */
  rejected: CaptionSample[];
  rejectedExamples: string[];
  scanned: number;
  chunks: number;
  gammaChunks: number;
  scorers: Partial<Record<Scorer, number>>;
  lexicalHits: number;
  /** Model scores of every scored caption, and whether each was a lexical hit. */
  scores: number[];
  scoredHits: boolean[];
  /** Aligned on-target pairs scanned, on pools that know. */
  alignedScanned: number;
}

const EXAMPLES = 5;
/** The model scores one chunk in this many, to measure its agreement with the lexical matcher. */
const AGREEMENT_EVERY = 4;

async function nextChunk(o: ScanOptions, room: number): Promise<CaptionSample[]> {
  const chunk: CaptionSample[] = [];
  while (chunk.length < Math.min(o.chunkSize, room)) {
    const next = await o.captions.next();
    if (next.done) break;
    chunk.push(next.value);
  }
  return chunk;
}

export async function scanRound(o: ScanOptions): Promise<RoundScan> {
  const s: RoundScan = {
    selected: [],
    others: [],
    rejected: [],
    rejectedExamples: [],
    scanned: 0,
    chunks: 0,
    gammaChunks: 0,
    scorers: {},
    lexicalHits: 0,
    scores: [],
    scoredHits: [],
    alignedScanned: 0,
  };
  const rng = Rng.derive(o.seed, 'rejected-sample', o.round);
  let rejectedSeen = 0;
  while (s.selected.length < o.target && s.scanned < o.maxScan) {
    const chunk = await nextChunk(o, o.maxScan - s.scanned);
    if (chunk.length === 0) break;
    s.scanned += chunk.length;
    s.chunks++;
    const hits = chunk.map((c) => o.lexical.match(c.caption) >= 0);
    const chunkHits = hits.filter(Boolean).length;
    s.lexicalHits += chunkHits;
    s.alignedScanned += chunk.filter((c) => pairTruth(c) === 'aligned').length;
    // Model scores serve to decide (the paper's rule), to measure the agreement (a sample of
    // chunks) and to top up a chunk with too few hits.
    const needed =
      o.settings.bootstrap === 'none' ||
      (o.measuring && s.chunks % AGREEMENT_EVERY === 1) ||
      chunkHits < gammaFloor(o.settings.minRatio, chunk.length);
    const scores = needed
      ? maxCosine(await o.embedder.embedTexts(chunk.map((c) => c.caption)), o.meta, o.embedder.dim)
      : undefined;
    const decision = scores ? decideChunk(scores, hits, o.settings) : lexicalSelection(hits);
    s.scorers[decision.scorer] = (s.scorers[decision.scorer] ?? 0) + 1;
    if (decision.gammaFired) s.gammaChunks++;
    const kept = new Set(decision.kept);
    chunk.forEach((c, i) => {
      if (kept.has(i)) return void s.selected.push(c);
      if (o.adding) s.others.push(c);
      if (s.rejectedExamples.length < EXAMPLES) s.rejectedExamples.push(c.caption);
      // Reservoir sampling: every rejected pair is equally likely to be kept.
      rejectedSeen++;
      if (s.rejected.length < o.rejectedSample) s.rejected.push(c);
      else if (o.rejectedSample > 0) {
        const j = rng.int(rejectedSeen);
        if (j < o.rejectedSample) s.rejected[j] = c;
      }
    });
    if (scores) {
      scores.forEach((v, i) => {
        s.scores.push(v);
        s.scoredHits.push(hits[i] as boolean);
      });
    }
  }
  return s;
}
