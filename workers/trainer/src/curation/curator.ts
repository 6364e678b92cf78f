// CiT's outer loop (METHODS.md §1): stream the pool's captions in chunks, score them against the
// metadata with the current text tower, keep what the rule says, until the round's buffer is full.
// `offline` is one such round with the initial model; `none` never comes here.
import type { CaptionSample, CaptionStream, PoolPosition } from '@curio/webdataset';
import type { MetadataEntry } from '../config.js';
import {
  decideChunk,
  lexicalAgreement,
  lexicalSelection,
  type DecideSettings,
  type Scorer,
} from './decide.js';
import { createLexicalMatcher, type LexicalMatcher } from './lexical.js';
import { embedMetadata, maxCosine, type TextEmbedder } from './metadata-embedding.js';
import { gammaFloor, scoreHistogram } from './rule.js';
import { Rng } from '@curio/random';

export interface CuratorOptions {
  stream: CaptionStream;
  metadata: readonly MetadataEntry[];
  templates: readonly string[];
  embedder: TextEmbedder;
  settings: DecideSettings;
  chunkSize: number;
  /** Pairs a round collects before it stops (interval · B). */
  target: number;
  /** Pool pairs a round may scan at most. */
  maxScan: number;
  /**
   * The model takes part once its scores rank lexical hits above the rest this well (AUC);
   * undefined: never (the lexical matcher decides every round).
   */
  warmAgreement: number | undefined;
  /**
   * Drops the given fraction of kept pairs with the lowest image-text agreement, from the second
   * round on (the first round's model is untrained).
   */
  pairFilter?: {
    fraction: number;
    agreement: (samples: readonly CaptionSample[]) => Promise<Float32Array>;
  };
  /** Resume: whether the previous round found the model warm. */
  warm?: boolean;
  /** Resume: rounds done before this curator's first. */
  roundsDone?: number;
  /** Rejected pairs to keep, sampled uniformly, for exploration batches (0: none). */
  rejectedSample?: number;
  /** Seeds the rejected-pair sample. */
  seed?: number;
}

export interface CurationRoundStats {
  round: number;
  scanned: number;
  kept: number;
  ratio: number;
  chunks: number;
  gammaChunks: number;
  gammaFired: boolean;
  /** Chunks decided by each scorer. */
  scorers: Partial<Record<Scorer, number>>;
  /** Whether the model took part in this round's decisions. */
  warm: boolean;
  /** AUC of model scores against lexical hits this round (NaN when undefined). */
  lexicalAgreement: number;
  lexicalHits: number;
  /** Captions the model scored: all of them once warm, a sample (and γ top-ups) while cold. */
  modelScored: number;
  pairFiltered: number;
  /** 20 bins over [-1, 1]. */
  histogram: number[];
  keptExamples: string[];
  rejectedExamples: string[];
  /** Share of kept pairs whose shard json says they are on-target (synthetic pools only). */
  keptOnTarget?: number;
  seconds: number;
}

export interface CurationRound {
  buffer: CaptionSample[];
  /** A uniform sample of the pairs this round rejected (`rejectedSample` of them at most). */
  rejected: CaptionSample[];
  stats: CurationRoundStats;
}

const EXAMPLES = 5;
/** While cold, the model scores one chunk in this many, to measure its agreement. */
const COLD_AGREEMENT_EVERY = 4;

export class Curator {
  private readonly lexical: LexicalMatcher;
  /** One pass over the pool, continued round after round. */
  private readonly captions: AsyncIterator<CaptionSample>;
  private warm: boolean;
  private rounds = 0;

  constructor(private readonly o: CuratorOptions) {
    this.lexical = createLexicalMatcher(o.metadata.map((m) => m.forms));
    this.captions = o.stream[Symbol.asyncIterator]();
    this.warm = o.warm ?? false;
    this.rounds = o.roundsDone ?? 0;
  }

  /** Where the next round starts reading, and whether the model is warm: what a checkpoint keeps. */
  state(): { position: PoolPosition; warm: boolean } {
    return { position: this.o.stream.position, warm: this.warm };
  }

  async round(): Promise<CurationRound> {
    const started = performance.now();
    const { chunkSize, target, maxScan, settings, embedder } = this.o;
    const meta = await embedMetadata(embedder, this.o.metadata, this.o.templates);
    const buffer: CaptionSample[] = [];
    const allScores: number[] = [];
    const allHits: boolean[] = [];
    const scorers: Partial<Record<Scorer, number>> = {};
    const rejected: string[] = [];
    const reservoir: CaptionSample[] = [];
    const room = this.o.rejectedSample ?? 0;
    const rng = Rng.derive(this.o.seed ?? 0, 'rejected-sample', this.rounds);
    let rejectedSeen = 0;
    let scanned = 0;
    let chunks = 0;
    let gammaChunks = 0;
    let modelScored = 0;
    let lexicalHits = 0;
    while (buffer.length < target && scanned < maxScan) {
      const chunk: CaptionSample[] = [];
      while (chunk.length < Math.min(chunkSize, maxScan - scanned)) {
        const next = await this.captions.next();
        if (next.done) break;
        chunk.push(next.value);
      }
      if (chunk.length === 0) break;
      scanned += chunk.length;
      chunks++;
      const hits = chunk.map((s) => this.lexical.match(s.caption) >= 0);
      const chunkHits = hits.filter(Boolean).length;
      lexicalHits += chunkHits;
      // While lexical hits decide alone, the model's scores serve only to measure its agreement
      // (a sample of chunks is enough; none when the model never takes over) and to top up a
      // chunk with too few hits.
      const scoreAll = this.warm || settings.bootstrap === 'none';
      const sampleAgreement =
        this.o.warmAgreement !== undefined && chunks % COLD_AGREEMENT_EVERY === 1;
      const needed =
        scoreAll || sampleAgreement || chunkHits < gammaFloor(settings.minRatio, chunk.length);
      const scores = needed
        ? maxCosine(await embedder.embedTexts(chunk.map((s) => s.caption)), meta, embedder.dim)
        : undefined;
      const decision = scores
        ? decideChunk(scores, hits, this.warm, settings)
        : lexicalSelection(hits);
      scorers[decision.scorer] = (scorers[decision.scorer] ?? 0) + 1;
      if (decision.gammaFired) gammaChunks++;
      const keptSet = new Set(decision.kept);
      chunk.forEach((s, i) => {
        if (keptSet.has(i)) {
          buffer.push(s);
          return;
        }
        if (rejected.length < EXAMPLES) rejected.push(s.caption);
        // Reservoir sampling: every rejected pair is equally likely to be kept.
        rejectedSeen++;
        if (reservoir.length < room) reservoir.push(s);
        else if (room > 0) {
          const j = rng.int(rejectedSeen);
          if (j < room) reservoir[j] = s;
        }
      });
      if (scores) {
        modelScored += chunk.length;
        scores.forEach((s) => allScores.push(s));
        hits.forEach((h) => allHits.push(h));
      }
    }
    const agreement = lexicalAgreement(allScores, allHits);
    const warmThisRound = this.warm;
    let pairFiltered = 0;
    if (
      this.o.pairFilter &&
      this.o.pairFilter.fraction > 0 &&
      this.rounds > 0 &&
      buffer.length > 1
    ) {
      pairFiltered = await this.filterPairs(buffer, this.o.pairFilter);
    }
    // The model joins (or stays) once it ranks captions the way the lexical matcher does.
    this.warm =
      settings.bootstrap === 'lexical' &&
      this.o.warmAgreement !== undefined &&
      Number.isFinite(agreement) &&
      agreement >= this.o.warmAgreement;
    this.rounds++;
    return {
      buffer,
      rejected: reservoir,
      stats: {
        round: this.rounds,
        scanned,
        kept: buffer.length,
        ratio: scanned ? buffer.length / scanned : 0,
        chunks,
        gammaChunks,
        gammaFired: gammaChunks > 0,
        scorers,
        warm: warmThisRound,
        lexicalAgreement: agreement,
        lexicalHits,
        modelScored,
        pairFiltered,
        histogram: scoreHistogram(allScores, 20),
        keptExamples: buffer.slice(0, EXAMPLES).map((s) => s.caption),
        rejectedExamples: rejected,
        ...onTargetShare(buffer),
        seconds: (performance.now() - started) / 1000,
      },
    };
  }

  private async filterPairs(
    buffer: CaptionSample[],
    filter: NonNullable<CuratorOptions['pairFilter']>,
  ): Promise<number> {
    const agreement = await filter.agreement(buffer);
    const drop = Math.floor(filter.fraction * buffer.length);
    const order = buffer
      .map((_, i) => i)
      .sort((a, b) => (agreement[a] as number) - (agreement[b] as number));
    const dropped = new Set(order.slice(0, drop));
    const keep = buffer.filter((_, i) => !dropped.has(i));
    buffer.splice(0, buffer.length, ...keep);
    return drop;
  }
}

function onTargetShare(buffer: readonly CaptionSample[]): { keptOnTarget?: number } {
  const kinds = buffer
    .map((s) => (s.json as { kind?: unknown } | undefined)?.kind)
    .filter((k) => typeof k === 'string');
  if (kinds.length === 0) return {};
  return { keptOnTarget: kinds.filter((k) => k === 'on-target').length / kinds.length };
}
