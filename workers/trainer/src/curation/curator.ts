// CiT's outer loop (METHODS.md §1): stream the pool's captions in chunks, score them against the
// metadata with the current text tower, keep what the rule says, until the round's buffer is full.
// After a lexical cold start the warm model may add what the words missed (`handover.ts`); from
// the second round on the pair filter drops pairs whose image and caption disagree
// (`pair-filter.ts`). `offline` is one such round with the initial model; `none` never comes here.
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
import { lexicalAgreement } from './decide.js';
import { roundStats, type CurationRoundStats } from './round-stats.js';
import { scanRound, type RoundScan } from './scan.js';
import { nextWarmState, type WarmSettings, type WarmState } from './warm-signal.js';

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
  handover?: { warm: WarmSettings; cap: CapSettings };
  /** The pair filter's robust-z cutoff; absent: the filter is off. */
  pairFilterCutoff?: number;
  evidence: PairEvidenceOf;
  /** While the model adds: rejected pairs per round whose images it checks (0: none). */
  imageProbe?: number;
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
      adding: this.o.handover !== undefined && warmThisRound,
      measuring: this.o.handover !== undefined,
      capShare: this.capShare,
      imageProbe: this.o.imageProbe ?? 0,
      rejectedSample: this.o.rejectedSample ?? 0,
      seed: this.o.seed ?? 0,
      round: this.rounds,
    });
    const checked = await this.checkPairs(scan, meta);
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
        image: checked.image,
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
   * The round's evidence, when something needs it: the pair filter (from the second round on; the
   * first round's model is untrained) and the model's additions. One decoding of the caption-picked
   * pairs and the image probe gives each pair's image-caption agreement and image score. Probed
   * pairs whose image scores above the median lexical hit's join the additions, within the cap
   * the caption-scored additions left. The filter judges the caption-picked pairs only: a probed
   * pair's caption is the part the model does not know yet.
   */
  private async checkPairs(scan: RoundScan, meta: Float32Array): Promise<CheckedPairs> {
    const picked = [...scan.selected, ...scan.additions.added];
    const filtering = this.o.pairFilterCutoff !== undefined && this.rounds > 0;
    const adding = scan.additions.cap > 0;
    if ((!filtering && !adding) || picked.length < 2) return { kept: picked, dropped: [] };
    // Probe only while the caption-scored additions left room under the cap.
    const probe = scan.additions.cap > scan.additions.added.length ? scan.probe : [];
    const ev = await this.o.evidence([...picked, ...probe], meta);
    const nSel = scan.selected.length;
    const hitImage = ev.imageScore.subarray(0, nSel);
    const probeScores = ev.imageScore.subarray(picked.length);
    const byImage = chooseAdditions(
      probe.map((item, i) => ({ item, score: probeScores[i] as number })),
      hitImage,
      scan.additions.cap - scan.additions.added.length,
    );
    const imageAdded = new Set(byImage.added);
    const addedImage = [
      ...ev.imageScore.subarray(nSel, picked.length),
      ...probe.flatMap((p, i) => (imageAdded.has(p) ? [probeScores[i] as number] : [])),
    ];
    const evidence = { hits: hitImage, added: Float32Array.from(addedImage) };
    const image = { probed: probe.length, eligible: byImage.eligible, added: byImage.added };
    const agreement = ev.agreement.subarray(0, picked.length);
    const cutoff = this.o.pairFilterCutoff as number;
    const out = new Set(filtering ? outlierPairs(agreement, cutoff) : []);
    return {
      kept: [...picked.filter((_, i) => !out.has(i)), ...byImage.added],
      dropped: picked.filter((_, i) => out.has(i)),
      evidence,
      image,
      ...(filtering ? { pairFilter: { agreement, floor: outlierFloor(agreement, cutoff) } } : {}),
    };
  }
}

interface CheckedPairs {
  kept: CaptionSample[];
  dropped: CaptionSample[];
  /** Image scores of the additions and of the selected pairs. */
  evidence?: AdditionEvidence;
  /** The image probe: pairs checked, above the bar, added. */
  image?: { probed: number; eligible: number; added: CaptionSample[] };
  pairFilter?: { agreement: Float32Array; floor: number };
}
