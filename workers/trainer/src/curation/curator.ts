// CiT's outer loop (METHODS.md §1): stream the pool's captions in chunks, score them against the
// metadata with the current text tower, keep what the rule says, until the round's buffer is full.
// After a lexical cold start the warm model may add what the words missed (`handover.ts`); from
// the second round on the pair filter drops pairs whose image and caption disagree
// (`pair-filter.ts`). `offline` is one such round with the initial model; `none` never comes here.
import type { CaptionSample, CaptionStream, PoolPosition } from '@curio/webdataset';
import type { MetadataEntry } from '../config.js';
import type { DecideSettings } from './decide.js';
import { nextCapShare, type CapSettings } from './handover.js';
import { createLexicalMatcher } from './lexical.js';
import { embedMetadata, type TextEmbedder } from './metadata-embedding.js';
import { outlierFloor, outlierPairs } from './pair-filter.js';
import { lexicalAgreement } from './decide.js';
import { roundStats, type CurationRoundStats } from './round-stats.js';
import { scanRound, type RoundScan } from './scan.js';
import { nextWarmState, type WarmSettings, type WarmState } from './warm-signal.js';

export type { CurationRoundStats } from './round-stats.js';

/** Image-text agreement (cosine) of each pair under the current model. */
export type PairAgreement = (samples: readonly CaptionSample[]) => Promise<Float32Array>;

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
  /** After a lexical cold start: when the model is warm and how much it may add. Absent: never. */
  handover?: { warm: WarmSettings; cap: CapSettings };
  /** The pair filter's robust-z cutoff; absent: the filter is off. */
  pairFilterCutoff?: number;
  agreement: PairAgreement;
  /** Steps a round with this many kept pairs trains for. */
  roundSteps: (kept: number) => number;
  /** Resume: the state a checkpoint kept. */
  resume?: Omit<CuratorState, 'position'>;
  /** Rejected pairs to keep, sampled uniformly, for exploration batches (0: none). */
  rejectedSample?: number;
  /** Seeds the rejected-pair sample. */
  seed?: number;
}

/** What a checkpoint keeps of the curator. */
export interface CuratorState {
  position: PoolPosition;
  warm: WarmState;
  /** The cap on the model's additions, as a share of the lexical hits. */
  capShare: number;
  rounds: number;
}

export interface CurationRound {
  buffer: CaptionSample[];
  /** A uniform sample of the pairs this round rejected (`rejectedSample` of them at most). */
  rejected: CaptionSample[];
  stats: CurationRoundStats;
}

export class Curator {
  private readonly captions: AsyncIterator<CaptionSample>;
  private warm: WarmState;
  private capShare: number;
  private rounds: number;

  constructor(private readonly o: CuratorOptions) {
    this.captions = o.stream[Symbol.asyncIterator]();
    this.warm = o.resume?.warm ?? { warm: false };
    this.capShare = o.resume?.capShare ?? o.handover?.cap.start ?? 0;
    this.rounds = o.resume?.rounds ?? 0;
  }

  state(): CuratorState {
    const { warm, capShare, rounds } = this;
    return { position: this.o.stream.position, warm, capShare, rounds };
  }

  async round(): Promise<CurationRound> {
    const started = performance.now();
    const warmThisRound = this.warm.warm;
    const scan = await scanRound({
      captions: this.captions,
      lexical: createLexicalMatcher(this.o.metadata.map((m) => m.forms)),
      meta: await embedMetadata(this.o.embedder, this.o.metadata, this.o.templates),
      embedder: this.o.embedder,
      settings: this.o.settings,
      chunkSize: this.o.chunkSize,
      target: this.o.target,
      maxScan: this.o.maxScan,
      adding: this.o.handover !== undefined && warmThisRound,
      measuring: this.o.handover !== undefined,
      capShare: this.capShare,
      rejectedSample: this.o.rejectedSample ?? 0,
      seed: this.o.seed ?? 0,
      round: this.rounds,
    });
    const checked = await this.checkPairs(scan);
    const capShare = this.capShare;
    const agreement = lexicalAgreement(scan.scores, scan.scoredHits);
    if (this.o.handover) {
      this.capShare = nextCapShare(capShare, checked.evidence, this.o.handover.cap);
      this.warm = nextWarmState(this.warm, agreement, this.o.handover.warm);
    }
    this.rounds++;
    return {
      buffer: checked.kept,
      rejected: scan.rejected,
      stats: roundStats({
        round: this.rounds,
        scan,
        kept: checked.kept,
        dropped: checked.dropped,
        pairFilter: checked.pairFilter,
        evidence: checked.evidence,
        warm: warmThisRound,
        agreement,
        smoothedAgreement: this.warm.smoothed,
        capShare,
        nextCapShare: this.capShare,
        steps: this.o.roundSteps(checked.kept.length),
        seconds: (performance.now() - started) / 1000,
      }),
    };
  }

  /**
   * The round's image-text agreement, when something needs it: the pair filter (from the second
   * round on; the first round's model is untrained) and the evidence for the model's additions.
   */
  private async checkPairs(scan: RoundScan) {
    const buffer = [...scan.selected, ...scan.additions.added];
    const filtering = this.o.pairFilterCutoff !== undefined && this.rounds > 0;
    if ((!filtering && scan.additions.added.length === 0) || buffer.length < 2)
      return { kept: buffer, dropped: [] as CaptionSample[] };
    const agreement = await this.o.agreement(buffer);
    const nHits = scan.selected.length;
    const evidence = {
      hits: agreement.subarray(0, nHits),
      added: agreement.subarray(nHits),
    };
    if (!filtering) return { kept: buffer, dropped: [] as CaptionSample[], evidence };
    const cutoff = this.o.pairFilterCutoff as number;
    const out = new Set(outlierPairs(agreement, cutoff));
    return {
      kept: buffer.filter((_, i) => !out.has(i)),
      dropped: buffer.filter((_, i) => out.has(i)),
      evidence,
      pairFilter: { agreement, floor: outlierFloor(agreement, cutoff) },
    };
  }
}
