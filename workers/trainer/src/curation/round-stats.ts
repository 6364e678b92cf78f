// A curation round in numbers (the `curation` event's data, `CurationRoundData`): what was
// scanned and kept, which scorer decided, what the model added and on what evidence, what the
// pair filter dropped, and on pools that know, how much of each was on target.
import type {
  CurationHandoverStats,
  CurationPairFilterStats,
  CurationSample,
  CurationTruthStats,
} from '@curio/contracts';
import type { CaptionSample } from '@curio/webdataset';
import type { Scorer } from './decide.js';
import type { AdditionEvidence } from './handover.js';
import { median, quantile } from './stats.js';
import { countTruth, knowsTruth, pairTruth } from './pool-truth.js';
import { scoreHistogram } from './rule.js';
import type { RoundScan } from './scan.js';

export interface CurationRoundStats {
  round: number;
  scanned: number;
  kept: number;
  ratio: number;
  /** Steps the round trains for. */
  steps: number;
  chunks: number;
  gammaChunks: number;
  gammaFired: boolean;
  /** Chunks decided by each scorer. */
  scorers: Partial<Record<Scorer, number>>;
  /** Whether the model could add to the lexical hits this round. */
  warm: boolean;
  /**
   * How well the model's image scores rank the lexical hits above a uniform sample of what the
   * round rejected (AUC; null when not measured)…
   */
  lexicalAgreement: number | null;
  /** …and smoothed over rounds, as the warm signal compares it with its bar. */
  smoothedAgreement: number | null;
  lexicalHits: number;
  /** Captions the text tower scored (the paper's rule, γ top-ups). */
  modelScored: number;
  handover?: CurationHandoverStats;
  pairFilter?: CurationPairFilterStats;
  /** Pairs the pair filter dropped (0 when it did not run). */
  pairFiltered: number;
  truth?: CurationTruthStats;
  /** Share of kept pairs on target (pools that know only). */
  keptOnTarget?: number;
  /** 20 bins over [-1, 1]: caption scores where the text tower decided, else the kept hits' image scores. */
  histogram: number[];
  /** A few kept and rejected pairs: caption, shard and key (the API serves their images). */
  keptSamples: CurationSample[];
  rejectedSamples: CurationSample[];
  seconds: number;
}

export interface RoundStatsInput {
  round: number;
  scan: RoundScan;
  kept: readonly CaptionSample[];
  dropped: readonly CaptionSample[];
  pairFilter?: { agreement: Float32Array; floor: number } | undefined;
  evidence?: AdditionEvidence | undefined;
  image?:
    | {
        probed: number;
        /** The probed pairs themselves (for the truth counts). */
        probe?: readonly CaptionSample[];
        ranked: number;
        eligible: number;
        added: readonly CaptionSample[];
        cap: number;
      }
    | undefined;
  selectedImage?: Float32Array | undefined;
  warm: boolean;
  agreement: number;
  smoothedAgreement: number | undefined;
  capShare: number;
  nextCapShare: number;
  steps: number;
  seconds: number;
}

const EXAMPLES = 5;
/** A sampled caption is cut here: it travels in the round's event. */
const CAPTION_CHARS = 1000;
const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

function handoverStats(i: RoundStatsInput): CurationHandoverStats {
  const image = i.image;
  const ev = i.evidence;
  const med = (xs: ArrayLike<number> | undefined) => (xs ? finite(median(xs)) : null);
  return {
    probed: image?.probed ?? 0,
    ranked: image?.ranked ?? 0,
    eligible: image?.eligible ?? 0,
    added: image?.added.length ?? 0,
    cap: image?.cap ?? 0,
    capShare: i.capShare,
    nextCapShare: i.nextCapShare,
    hitImageMedian: ev ? med(i.selectedImage) : null,
    addedImageMedian: med(ev?.addedImage),
    addedAgreement: med(ev?.added),
    hitAgreementQ1: ev ? finite(quantile(ev.hits, 0.25)) : null,
  };
}

function truthStats(i: RoundStatsInput): CurationTruthStats | undefined {
  const { scan, kept, dropped } = i;
  if (!knowsTruth(scan.selected) && !knowsTruth(kept) && scan.alignedScanned === 0)
    return undefined;
  const lexical = scan.selected;
  return {
    scanned: scan.alignedScanned,
    hits: countTruth(lexical, 'aligned'),
    ...(i.image?.probe ? { probed: countTruth(i.image.probe, 'aligned') } : {}),
    added: countTruth(i.image?.added ?? [], 'aligned'),
    kept: countTruth(kept, 'aligned'),
    swappedHits: countTruth(lexical, 'swapped'),
    swappedDropped: countTruth(dropped, 'swapped'),
    alignedDropped: countTruth(dropped, 'aligned'),
  };
}

export function roundStats(i: RoundStatsInput): CurationRoundStats {
  const { scan, kept } = i;
  const truth = truthStats(i);
  const known = kept.filter((s) => pairTruth(s) !== undefined).length;
  return {
    round: i.round,
    scanned: scan.scanned,
    kept: kept.length,
    ratio: scan.scanned ? kept.length / scan.scanned : 0,
    steps: i.steps,
    chunks: scan.chunks,
    gammaChunks: scan.gammaChunks,
    gammaFired: scan.gammaChunks > 0,
    scorers: scan.scorers,
    warm: i.warm,
    lexicalAgreement: finite(i.agreement),
    smoothedAgreement: i.smoothedAgreement ?? null,
    lexicalHits: scan.lexicalHits,
    modelScored: scan.scores.length,
    ...(i.warm ? { handover: handoverStats(i) } : {}),
    ...(i.pairFilter
      ? {
          pairFilter: {
            dropped: i.dropped.length,
            floor: finite(i.pairFilter.floor),
            medianAgreement: finite(median(i.pairFilter.agreement)),
          },
        }
      : {}),
    pairFiltered: i.dropped.length,
    ...(truth ? { truth } : {}),
    ...(truth && known > 0 ? { keptOnTarget: truth.kept / known } : {}),
    histogram: scoreHistogram(scan.scores.length ? scan.scores : (i.selectedImage ?? []), 20),
    keptSamples: kept.slice(0, EXAMPLES).map(curationSample),
    rejectedSamples: scan.rejectedExamples.map(curationSample),
    seconds: i.seconds,
  };
}

/** A pair as a round reports it: its caption (cut) and where its image lies. */
export function curationSample(s: CaptionSample): CurationSample {
  return { caption: s.caption.slice(0, CAPTION_CHARS), shard: s.shard, key: s.key };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** One line for a round in logs and events: kept, what decided, what the model added and the filter dropped. */
/** Where the aligned on-target pairs went: scanned, lexical hits, probed, added, kept. */
function alignedPart(t: CurationTruthStats): string {
  const probed = t.probed === undefined ? '' : `, ${t.probed} probed`;
  return `aligned ${t.kept}/${t.scanned} kept (${t.hits} hits${probed}, ${t.added} added)`;
}

export function roundLine(step: number, s: CurationRoundStats): string {
  const parts = [`kept ${s.kept}/${s.scanned} (${pct(s.ratio)})`, `${s.lexicalHits} lexical hits`];
  if (s.handover)
    parts.push(
      `model added ${s.handover.added} of ${s.handover.probed} probed (cap ${s.handover.cap})`,
    );
  if (s.pairFilter) parts.push(`filter dropped ${s.pairFilter.dropped}`);
  if (s.keptOnTarget !== undefined) parts.push(`${pct(s.keptOnTarget)} on target`);
  if (s.truth) parts.push(alignedPart(s.truth));
  const agreement = s.smoothedAgreement === null ? '—' : s.smoothedAgreement.toFixed(2);
  parts.push(`agreement ${agreement}${s.warm ? ' (warm)' : ''}`, `${s.steps} steps`);
  if (s.gammaFired) parts.push('γ fired');
  return `curation round ${s.round} @ step ${step}: ${parts.join(', ')}, ${s.seconds.toFixed(1)}s`;
}
