// CiT's outer loop (METHODS.md §1): stream the pool's captions in chunks, score them against the
// metadata with the current text tower, keep what the rule says, until the round's buffer is full.
// After a lexical cold start the warm model may add what the words missed: pairs whose images it
// scores above the lexical hits' (a quantile of their image scores), found by an image probe that a word scorer trained on
// that evidence aims (`handover.ts`, `word-scorer.ts`, `samplers.ts`); once the model is trained
// (the second round on, or a growth run's first) the pair filter drops pairs whose image and
// caption disagree (`pair-filter.ts`). `offline`
// is one such round with the initial model; `none` never comes here.
import type { CaptionSample, CaptionStream, PoolPosition } from '@curio/webdataset';
import type { MetadataEntry } from '../config.js';
import type { DecideSettings } from './decide.js';
import type { PairEvidence } from '../embed/pair-evidence.js';
import {
  chooseAdditions,
  nextCapShare,
  type AdditionEvidence,
  type CapSettings,
} from './handover.js';
import { createLexicalMatcher } from './lexical.js';
import { embedMetadata, type TextEmbedder } from './metadata-embedding.js';
import { outlierFloor, outlierPairs } from './pair-filter.js';
import { roundStats, type CurationRoundStats } from './round-stats.js';
import { scanRound, type RoundScan } from './scan.js';
import { aucAbove, quantile } from './stats.js';
import { nextWarmState, type WarmSettings, type WarmState } from './warm-signal.js';
import { WordScorer, type WordScorerState } from './word-scorer.js';

/** Rejected pairs a round samples uniformly for the warm measure. */
const MEASURE_SAMPLE = 256;
/** Share of the image probe drawn uniformly once the word scorer is trained (the rest it ranks). */
const UNIFORM_SHARE = 0.25;

export type { CurationRoundStats } from './round-stats.js';

/** What the current model says of pairs: image-caption agreement and image-to-metadata score. */
export type PairEvidenceOf = (
  samples: readonly CaptionSample[],
  meta: Float32Array,
) => Promise<PairEvidence>;

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
  handover?: { warm: WarmSettings; cap: CapSettings; quantile?: number };
  /** The pair filter's separation of modes; absent: the filter is off. */
  pairFilterSeparation?: number;
  evidence: PairEvidenceOf;
  /** While the model adds: rejected pairs per round whose images it checks. */
  imageProbe: number;
  /** Steps a round with this many kept pairs trains for. */
  roundSteps: (kept: number) => number;
  /** Resume: the state a checkpoint kept. */
  resume?: Omit<CuratorState, 'position'>;
  /**
   * The model is trained already (a growth run's grown child): the pair filter runs from the first
   * round, and the first round measures the warm signal before it adds, so that a tower that agrees
   * adds at once instead of after a lexical cold start.
   */
  trainedModel?: boolean;
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
  /** The word scorer that aims the image probe (absent until the model first added). */
  wordScorer?: WordScorerState;
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
  private readonly words: WordScorer;

  constructor(private readonly o: CuratorOptions) {
    this.captions = o.stream[Symbol.asyncIterator]();
    this.warm = o.resume?.warm ?? { warm: false };
    this.capShare = o.resume?.capShare ?? o.handover?.cap.start ?? 0;
    this.rounds = o.resume?.rounds ?? 0;
    this.words = new WordScorer(o.resume?.wordScorer);
  }

  state(): CuratorState {
    const { warm, capShare, rounds } = this;
    const words = this.words.trained ? { wordScorer: this.words.state() } : {};
    return { position: this.o.stream.position, warm, capShare, rounds, ...words };
  }

  async round(): Promise<CurationRound> {
    const started = performance.now();
    const warmBefore = this.warm.warm;
    // A trained model's first round decides whether it is warm from its own measure.
    const measureFirst = this.o.trainedModel === true && this.rounds === 0 && !warmBefore;
    const adding =
      this.o.handover !== undefined && (warmBefore || measureFirst) && this.o.imageProbe > 0;
    const probe = this.o.imageProbe;
    const nUniform = !adding ? 0 : this.words.trained ? Math.ceil(UNIFORM_SHARE * probe) : probe;
    const meta = await embedMetadata(this.o.embedder, this.o.metadata, this.o.templates);
    const scan = await scanRound({
      captions: this.captions,
      lexical: createLexicalMatcher(this.o.metadata.map((m) => m.forms)),
      meta,
      embedder: this.o.embedder,
      settings: this.o.settings,
      chunkSize: this.o.chunkSize,
      target: this.o.target,
      maxScan: this.o.maxScan,
      uniformSample: Math.max(nUniform, this.o.handover ? MEASURE_SAMPLE : 0),
      ...(adding && this.words.trained ? { ranked: { scorer: this.words, size: probe } } : {}),
      rejectedSample: this.o.rejectedSample ?? 0,
      seed: this.o.seed ?? 0,
      round: this.rounds,
    });
    const checked = await this.checkPairs(scan, meta, adding ? nUniform : 0, measureFirst);
    const capShare = this.capShare;
    if (this.o.handover) {
      this.capShare = nextCapShare(capShare, checked.evidence, this.o.handover.cap);
      if (!measureFirst) this.warm = this.nextWarm(checked.agreement);
    }
    const warmThisRound = warmBefore || (measureFirst && this.warm.warm);
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
        image: checked.image,
        selectedImage: checked.selectedImage,
        warm: warmThisRound,
        agreement: checked.agreement,
        smoothedAgreement: this.warm.smoothed,
        capShare,
        nextCapShare: this.capShare,
        steps: this.o.roundSteps(checked.kept.length),
        seconds: (performance.now() - started) / 1000,
      }),
    };
  }

  /**
   * The round's evidence, when something needs it: the warm measure, the pair filter (from the
   * second round on, as the first round's model is untrained, unless `trainedModel`) and the
   * model's additions (after the warm measure when `measureFirst`). One
   * decoding of the selected pairs and the sampled rejected ones gives each pair's image-caption
   * agreement and image score. The warm measure is how well image scores rank the selected pairs
   * above the uniform sample (AUC). While adding, probed pairs (the first `nUniform` of the uniform
   * sample and the ranked ones) whose image scores above the selected pairs' bar join, best
   * first, within the cap, and the word scorer learns from what the images said.
   */
  private async checkPairs(
    scan: RoundScan,
    meta: Float32Array,
    nUniform: number,
    measureFirst: boolean,
  ): Promise<CheckedPairs> {
    const picked = scan.selected;
    const trained = this.rounds > 0 || this.o.trainedModel === true;
    const filtering = this.o.pairFilterSeparation !== undefined && trained;
    // The probe: the first `nUniform` of the uniform sample, then the best ranked others.
    const probeUniform = scan.uniform.slice(0, nUniform);
    const inProbe = new Set(probeUniform);
    const ranked = scan.ranked
      .filter((p) => !inProbe.has(p))
      .slice(0, Math.max(0, this.o.imageProbe - nUniform));
    const probe = nUniform > 0 ? [...probeUniform, ...ranked] : [];
    const sampled = [...new Set([...scan.uniform, ...ranked])];
    if ((!filtering && !this.o.handover) || picked.length < 2)
      return { kept: picked, dropped: [], agreement: Number.NaN };
    const ev = await this.o.evidence([...picked, ...sampled], meta);
    const n = picked.length;
    const hitImage = ev.imageScore.subarray(0, n);
    const uniformImage = ev.imageScore.subarray(n, n + scan.uniform.length);
    const agreement = aucAbove(hitImage, uniformImage);
    const pairAgreement = ev.agreement.subarray(0, n);
    const separation = this.o.pairFilterSeparation as number;
    if (measureFirst) this.warm = this.nextWarm(agreement);
    // Once warm, the images vouch too: a hit in a separate low mode of image scores (a class's
    // words under an image of no class) goes as well.
    const imageOut = filtering && this.warm.warm ? outlierPairs(hitImage, separation) : [];
    const out = new Set(filtering ? [...outlierPairs(pairAgreement, separation), ...imageOut] : []);
    const kept = picked.filter((_, i) => !out.has(i));
    const dropped = picked.filter((_, i) => out.has(i));
    const pairFilter = filtering
      ? { agreement: pairAgreement, floor: outlierFloor(pairAgreement, separation) }
      : undefined;
    const base = {
      kept,
      dropped,
      agreement,
      selectedImage: hitImage,
      ...(pairFilter ? { pairFilter } : {}),
    };
    const cap = Math.floor(this.capShare * n);
    if (probe.length === 0 || cap === 0 || !this.warm.warm) return base;
    const index = new Map(sampled.map((p, i) => [p, n + i]));
    const at = probe.map((p) => index.get(p) as number);
    const rejected = ev.agreement.subarray(n, n + scan.uniform.length);
    const floor = pairFilter && Number.isFinite(pairFilter.floor) ? pairFilter.floor : undefined;
    const additions = this.addByImage(probe, at, ev, hitImage, cap, kept, rejected, floor);
    return {
      ...base,
      kept: [...kept, ...additions.added],
      evidence: additions.evidence,
      image: { probed: probe.length, probe, ranked: ranked.length, ...additions },
    };
  }

  private nextWarm(agreement: number): WarmState {
    return this.o.handover ? nextWarmState(this.warm, agreement, this.o.handover.warm) : this.warm;
  }

  /** The probed pairs the images vouch for, and what the word scorer learns from them. */
  private addByImage(
    probe: readonly CaptionSample[],
    at: readonly number[],
    ev: PairEvidence,
    hitImage: Float32Array,
    cap: number,
    kept: readonly CaptionSample[],
    rejected: Float32Array,
    floor: number | undefined,
  ) {
    const score = (i: number) => ev.imageScore[at[i] as number] as number;
    const byImage = chooseAdditions(
      probe.map((item, i) => ({ item, score: score(i) })),
      hitImage,
      cap,
      this.o.handover?.quantile,
    );
    const added = new Set(byImage.added);
    const addedAt = at.filter((_, i) => added.has(probe[i] as CaptionSample));
    const q1 = quantile(hitImage, 0.25);
    const negatives = probe.filter((_, i) => score(i) <= q1).map((p) => p.caption);
    this.words.update(
      [...kept, ...byImage.added].map((p) => p.caption),
      negatives,
    );
    return {
      added: byImage.added,
      eligible: byImage.eligible,
      cap,
      // The cap grows when the additions' captions agree with their images (see `provedOut`).
      evidence: {
        hits: ev.agreement.subarray(0, hitImage.length),
        added: Float32Array.from(addedAt, (k) => ev.agreement[k] as number),
        rejected,
        ...(floor !== undefined ? { floor } : {}),
        addedImage: Float32Array.from(addedAt, (k) => ev.imageScore[k] as number),
      },
    };
  }
}

interface CheckedPairs {
  kept: CaptionSample[];
  dropped: CaptionSample[];
  /** The warm measure this round (NaN when it could not be taken). */
  agreement: number;
  /** The selected pairs' image scores, when the round decoded them. */
  selectedImage?: Float32Array;
  /** The additions' and the selected pairs' agreement and image scores. */
  evidence?: AdditionEvidence;
  /** The image probe: pairs checked (of which ranked by the word scorer), above the bar, added. */
  image?: {
    probed: number;
    probe: CaptionSample[];
    ranked: number;
    eligible: number;
    added: CaptionSample[];
    cap: number;
  };
  pairFilter?: { agreement: Float32Array; floor: number };
}
