// One round's scan: read the pool's captions chunk by chunk, keep what each chunk's rule says
// (`decide.ts`), and sample what they rejected: uniformly (for exploration batches, the warm
// measure and the image probe) and, while the warm model may add, the captions the word scorer
// ranks best (the rest of the image probe). Memory stays bounded by the sample sizes.
import type { CaptionSample } from '@curio/webdataset';
import { Rng } from '@curio/random';
import { decideChunk, lexicalSelection, type DecideSettings, type Scorer } from './decide.js';
import type { LexicalMatcher } from './lexical.js';
import { maxCosine, type TextEmbedder } from './metadata-embedding.js';
import { pairTruth } from './pool-truth.js';
import { Best, Reservoir } from './samplers.js';
import type { WordScorer } from './word-scorer.js';
import { gammaFloor } from './rule.js';
import { nextTurn } from '../loop/event-loop.js';

export interface ScanOptions {
  captions: AsyncIterator<CaptionSample>;
  lexical: LexicalMatcher;
  meta: Float32Array;
  embedder: TextEmbedder;
  settings: DecideSettings;
  chunkSize: number;
  target: number;
  maxScan: number;
  /** Rejected pairs to sample uniformly (the warm measure, the probe's uniform part). */
  uniformSample: number;
  /** While the model adds: the rejected pairs the word scorer ranks best, this many. */
  ranked?: { scorer: WordScorer; size: number };
  rejectedSample: number;
  seed: number;
  round: number;
}

export interface RoundScan {
  /** What the chunks' rules kept: lexical hits (and γ top-ups), or the paper rule's picks. */
  selected: CaptionSample[];
  /** A uniform sample of the rejected pairs (`uniformSample` of them at most)… */
  uniform: CaptionSample[];
  /** …and the ones the word scorer ranked best, best first. */
  ranked: CaptionSample[];
  /** A uniform sample of the rejected pairs (for exploration batches). */
  rejected: CaptionSample[];
  /** The first few rejected pairs, for the round's report. */
  rejectedExamples: CaptionSample[];
  scanned: number;
  chunks: number;
  gammaChunks: number;
  scorers: Partial<Record<Scorer, number>>;
  lexicalHits: number;
  /** Caption scores, where the text tower scored (the paper's rule, γ top-ups). */
  scores: number[];
  /** Aligned on-target pairs scanned, on pools that know. */
  alignedScanned: number;
}

const EXAMPLES = 5;

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
    uniform: [],
    ranked: [],
    rejected: [],
    rejectedExamples: [],
    scanned: 0,
    chunks: 0,
    gammaChunks: 0,
    scorers: {},
    lexicalHits: 0,
    scores: [],
    alignedScanned: 0,
  };
  const explore = new Reservoir<CaptionSample>(
    o.rejectedSample,
    Rng.derive(o.seed, 'rejected-sample', o.round),
  );
  const uniform = new Reservoir<CaptionSample>(
    o.uniformSample,
    Rng.derive(o.seed, 'uniform-sample', o.round),
  );
  const ranked = new Best<CaptionSample>(o.ranked?.size ?? 0);
  while (s.selected.length < o.target && s.scanned < o.maxScan) {
    await nextTurn(); // the worker's heartbeat beats between chunks
    const chunk = await nextChunk(o, o.maxScan - s.scanned);
    if (chunk.length === 0) break;
    s.scanned += chunk.length;
    s.chunks++;
    const hits = chunk.map((c) => o.lexical.match(c.caption) >= 0);
    const chunkHits = hits.filter(Boolean).length;
    s.lexicalHits += chunkHits;
    s.alignedScanned += chunk.filter((c) => pairTruth(c) === 'aligned').length;
    // Caption scores serve to decide (the paper's rule) and to top up a chunk with too few hits.
    const needed =
      o.settings.bootstrap === 'none' || chunkHits < gammaFloor(o.settings.minRatio, chunk.length);
    const scores = needed
      ? maxCosine(await o.embedder.embedTexts(chunk.map((c) => c.caption)), o.meta, o.embedder.dim)
      : undefined;
    const decision = scores ? decideChunk(scores, hits, o.settings) : lexicalSelection(hits);
    s.scorers[decision.scorer] = (s.scorers[decision.scorer] ?? 0) + 1;
    if (decision.gammaFired) s.gammaChunks++;
    const kept = new Set(decision.kept);
    chunk.forEach((c, i) => {
      if (kept.has(i)) return void s.selected.push(c);
      if (s.rejectedExamples.length < EXAMPLES) s.rejectedExamples.push(c);
      explore.offer(c);
      uniform.offer(c);
      if (o.ranked) ranked.offer(c, o.ranked.scorer.score(c.caption));
    });
    scores?.forEach((v) => s.scores.push(v));
  }
  s.rejected = explore.items;
  s.uniform = uniform.items;
  s.ranked = ranked.items;
  return s;
}
