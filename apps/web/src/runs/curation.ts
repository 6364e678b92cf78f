// Curation rounds as the panel reads them: the `curation` events of the run's log, parsed with the
// contract's round shape (extra fields the trainer reports: scorers, histogram, examples).
import { CurationRoundData, type RunEvent } from '@curio/contracts';
import { z } from 'zod';

export const CurationRound = CurationRoundData.extend({
  scorers: z.record(z.string(), z.number()).optional(),
  histogram: z.array(z.number()).optional(),
  keptExamples: z.array(z.string()).optional(),
  rejectedExamples: z.array(z.string()).optional(),
  lexicalAgreement: z.number().nullable().optional(),
  seconds: z.number().optional(),
});
export type CurationRound = z.infer<typeof CurationRound>;

export function curationRounds(events: readonly RunEvent[]): CurationRound[] {
  const rounds: CurationRound[] = [];
  for (const e of events) {
    if (e.type !== 'curation' || !e.data) continue;
    const parsed = CurationRound.safeParse(e.data);
    if (parsed.success) rounds.push(parsed.data);
  }
  return rounds.sort((a, b) => a.round - b.round);
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
