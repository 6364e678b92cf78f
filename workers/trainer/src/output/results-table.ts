// The table a finished run prints: per evaluation, the step, time, zero-shot and retrieval.
import type { EvalReport } from '../loop/reporter.js';

const pct = (x: number | undefined) => (x === undefined ? '—' : `${(100 * x).toFixed(1)}%`);

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const m = Math.floor(seconds / 60);
  return `${m}m${String(Math.round(seconds - 60 * m)).padStart(2, '0')}s`;
}

export function resultsTable(evals: readonly EvalReport[]): string {
  const header = [
    'eval set',
    'step',
    'time',
    'top-1',
    'top-5',
    'I→T R@1',
    'R@5',
    'R@10',
    'T→I R@1',
    'R@5',
    'R@10',
  ];
  const rows = evals.map((e) => [
    e.evalSet,
    String(e.step),
    formatDuration(e.elapsedSeconds),
    pct(e.zeroShot.top1),
    pct(e.zeroShot.top5),
    pct(e.retrieval?.imageToText.r1),
    pct(e.retrieval?.imageToText.r5),
    pct(e.retrieval?.imageToText.r10),
    pct(e.retrieval?.textToImage.r1),
    pct(e.retrieval?.textToImage.r5),
    pct(e.retrieval?.textToImage.r10),
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
      .join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
