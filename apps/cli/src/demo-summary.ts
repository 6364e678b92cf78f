// What curation did in the demo's run, in numbers a newcomer reads at a glance: the share of the
// pairs scanned that the rounds kept, the share of kept pairs that were on target (the synthetic
// pool knows) against the pool's own share, and the accuracy the run reached.
import { CurationRoundData, type RunDetail, type RunEvent } from '@curio/contracts';
import pc from 'picocolors';
import { collect, ok, type Client } from './client.js';
import { count, duration, percent, type Out } from './output.js';

export interface CurationSummary {
  rounds: number;
  scanned: number;
  kept: number;
  /** Share of all kept pairs that were on target, weighted by each round's kept count. */
  keptOnTarget: number | undefined;
  /** Pairs the warm model added beyond the lexical hits, and the first round it could. */
  modelAdded: number;
  firstWarmRound: number | undefined;
  /** Pairs the pair filter dropped, and how many of them were swapped captions (pools that know). */
  pairFiltered: number;
  swappedDropped: number | undefined;
}

/** Totals over the run's `curation` events (events of other types or shapes are skipped). */
export function summariseCuration(events: readonly RunEvent[]): CurationSummary | undefined {
  const rounds = events
    .filter((e) => e.type === 'curation')
    .flatMap((e) => {
      const parsed = CurationRoundData.safeParse(e.data);
      return parsed.success ? [parsed.data] : [];
    });
  if (rounds.length === 0) return undefined;
  const sum = (f: (r: CurationRoundData) => number) => rounds.reduce((a, r) => a + f(r), 0);
  const keptKnown = sum((r) => (r.keptOnTarget === undefined ? 0 : r.kept));
  return {
    rounds: rounds.length,
    scanned: sum((r) => r.scanned),
    kept: sum((r) => r.kept),
    keptOnTarget:
      keptKnown > 0 ? sum((r) => (r.keptOnTarget ?? 0) * r.kept) / keptKnown : undefined,
    modelAdded: sum((r) => r.handover?.added ?? 0),
    firstWarmRound: rounds.find((r) => r.warm)?.round,
    pairFiltered: sum((r) => r.pairFilter?.dropped ?? 0),
    swappedDropped: rounds.some((r) => r.truth)
      ? sum((r) => r.truth?.swappedDropped ?? 0)
      : undefined,
  };
}

export async function fetchCurationSummary(
  client: Client,
  runId: string,
): Promise<CurationSummary | undefined> {
  const events = await collect(10_000, (q) =>
    ok(
      'reading the curation rounds',
      client.v1.runs[':id'].events.$get({
        param: { id: runId },
        query: { ...q, type: 'curation' },
      }),
    ),
  );
  return summariseCuration(events);
}

function modelLine(c: CurationSummary): string {
  if (c.firstWarmRound === undefined) return 'stayed cold: the lexical matcher decided every round';
  return `warm from round ${c.firstWarmRound}, added ${count(c.modelAdded)} pairs the words missed`;
}

/** The demo's closing summary: pool, what curation kept, how much of it was on target, accuracy. */
export function printDemoSummary(
  out: Out,
  run: RunDetail,
  pool: { pairs: number; onTarget: number },
  curation: CurationSummary | undefined,
): void {
  const poolShare = pool.onTarget / pool.pairs;
  const rows: [string, string][] = [
    ['pool', `${count(pool.pairs)} pairs, ${percent(poolShare)} of them on target`],
  ];
  if (curation) {
    rows.push([
      'kept',
      `${percent(curation.kept / Math.max(1, curation.scanned))} of the pairs scanned (${count(curation.kept)} of ${count(curation.scanned)} over ${curation.rounds} rounds)`,
    ]);
    if (curation.keptOnTarget !== undefined)
      rows.push([
        'on target',
        `${percent(curation.keptOnTarget, 0)} of the kept pairs, ${(curation.keptOnTarget / poolShare).toFixed(1)}× the pool's share`,
      ]);
    rows.push(['model', modelLine(curation)]);
    if (curation.pairFiltered > 0) {
      const swapped =
        curation.swappedDropped === undefined
          ? ''
          : ` (${count(curation.swappedDropped)} of them swapped captions)`;
      rows.push([
        'filter',
        `dropped ${count(curation.pairFiltered)} kept pairs whose image and caption disagree${swapped}`,
      ]);
    }
  }
  const best = run.evaluations.reduce<RunDetail['evaluations'][number] | undefined>(
    (a, e) => (a === undefined || e.metrics.zeroShot.top1 > a.metrics.zeroShot.top1 ? e : a),
    undefined,
  );
  rows.push([
    'accuracy',
    best
      ? `${pc.bold(percent(best.metrics.zeroShot.top1))} zero-shot top-1 at step ${best.step}, after ${duration(best.elapsedSeconds)} of training`
      : 'no evaluation',
  ]);
  out.log(pc.bold('What curation did'));
  for (const [label, text] of rows) out.log(`  ${label.padEnd(10)} ${text}`);
}
