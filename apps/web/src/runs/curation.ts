// Curation rounds as the panel reads them: the run's rounds (GET /v1/runs/{id}/curation, the shape
// the CLI reads too) and the rounds that arrive live as `curation` events, merged by round. The
// extra fields the trainer reports (scorers, histogram) are read when present; a round's caption
// samples name their shard and key, and the API serves their images.
import { CurationRoundData, type CurationSample, type RunEvent } from '@curio/contracts';
import { z } from 'zod';

export const CurationRound = CurationRoundData.extend({
  scorers: z.record(z.string(), z.number()).optional(),
  histogram: z.array(z.number()).optional(),
  /** Captions only: what rounds reported before they named their samples' shard and key. */
  keptExamples: z.array(z.string()).optional(),
  rejectedExamples: z.array(z.string()).optional(),
});
export type CurationRound = z.infer<typeof CurationRound>;

/** A sampled caption; `shard` and `key` when the round says where its image lies. */
export type RoundSample = Pick<CurationSample, 'caption'> & Partial<CurationSample>;

/** The round's kept or rejected samples (captions alone for rounds that name no image). */
export function roundSamples(r: CurationRound, which: 'kept' | 'rejected'): RoundSample[] {
  const samples = which === 'kept' ? r.keptSamples : r.rejectedSamples;
  const captions = which === 'kept' ? r.keptExamples : r.rejectedExamples;
  return samples ?? (captions ?? []).map((caption) => ({ caption }));
}

/** Where the API serves a sample's image (a thumbnail read from the run's pool shard). */
export function sampleImageUrl(runId: string, s: CurationSample): string {
  const query = new URLSearchParams({ shard: s.shard, key: s.key });
  return `/v1/runs/${encodeURIComponent(runId)}/curation/samples/image?${query.toString()}`;
}

function parseRounds(items: readonly unknown[]): CurationRound[] {
  return items.flatMap((item) => {
    const parsed = CurationRound.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

/** The rounds of `stored` and of the live `events`, one per round number, in order. */
export function mergeRounds(
  stored: readonly unknown[],
  events: readonly RunEvent[],
): CurationRound[] {
  const live = events.filter((e) => e.type === 'curation' && e.data).map((e) => e.data);
  const byRound = new Map<number, CurationRound>();
  for (const r of [...parseRounds(stored), ...parseRounds(live)]) byRound.set(r.round, r);
  return [...byRound.values()].sort((a, b) => a.round - b.round);
}

/** The scorer that decided most of a round's chunks ("lexical", "model", …). */
export function mainScorer(r: CurationRound): string {
  const entries = Object.entries(r.scorers ?? {}).filter(([, n]) => n > 0);
  if (entries.length === 0) return r.warm ? 'model' : 'lexical';
  return entries
    .sort((a, b) => b[1] - a[1])
    .map(([s, n]) => (entries.length > 1 ? `${s} (${n})` : s))
    .join(', ');
}
