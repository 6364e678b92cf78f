// An experiment's lineage as text: each run's checkpoints collapsed to one line (first and last
// step, architecture, best evaluation), runs nested under the checkpoint they started from, and
// under a growth run the growth step that made it, each candidate with its score (* chosen).
import type { Lineage, LineageCheckpoint, LineageGrowthStep } from '@curio/contracts';

interface RunNode {
  runId: string;
  checkpoints: LineageCheckpoint[];
  /** The checkpoint outside the run it started from. */
  parentId: string | null;
}

const pct = (top1: number) => `${(top1 * 100).toFixed(1)}%`;

function runNodes(lineage: Lineage): RunNode[] {
  const byRun = new Map<string, RunNode>();
  for (const c of lineage.checkpoints) {
    const node = byRun.get(c.runId) ?? { runId: c.runId, checkpoints: [], parentId: null };
    if (node.checkpoints.length === 0) node.parentId = c.parentCheckpointId;
    node.checkpoints.push(c);
    byRun.set(c.runId, node);
  }
  return [...byRun.values()];
}

function runLine(node: RunNode): string {
  const first = node.checkpoints[0]!;
  const last = node.checkpoints.at(-1)!;
  const steps = first === last ? `step ${first.step}` : `steps ${first.step}–${last.step}`;
  const best = node.checkpoints
    .filter((c) => c.bestEval)
    .sort((a, b) => b.bestEval!.top1 - a.bestEval!.top1)[0];
  const evalText = best
    ? `, best ${pct(best.bestEval!.top1)} on ${best.bestEval!.evalSet} (${best.id})`
    : '';
  const external = first.external ? ' [another experiment]' : '';
  return `run ${node.runId}${external}: ${steps}, ${node.checkpoints.length} checkpoint(s), last ${last.id}; ${last.architecture}${evalText}`;
}

function growthLines(step: LineageGrowthStep): string[] {
  const parentScore = step.parentScore === null ? '' : ` (parent ${step.parentScore.toFixed(4)})`;
  return [
    `grew at step ${step.step} from ${step.parentArchitecture}, by ${step.score}${parentScore}:`,
    ...step.candidates.map(
      (c) =>
        `${c.chosen ? '*' : ' '} ${c.name}: ${c.score.toFixed(4)}, ${c.gflopsPerSample.toFixed(3)} GFLOPs, ${c.params} params, ${c.proxySteps} steps in ${c.seconds.toFixed(1)} s; ${c.architecture}`,
    ),
  ];
}

/** The lineage as indented lines (an empty lineage says so). */
export function lineageTree(lineage: Lineage): string[] {
  const nodes = runNodes(lineage);
  if (nodes.length === 0) return [`experiment ${lineage.experimentId} has no checkpoints yet`];
  const runOf = new Map(lineage.checkpoints.map((c) => [c.id, c.runId]));
  const children = new Map<string, RunNode[]>();
  const roots: RunNode[] = [];
  for (const node of nodes) {
    const parentRun = node.parentId ? runOf.get(node.parentId) : undefined;
    if (parentRun === undefined || parentRun === node.runId) roots.push(node);
    else children.set(parentRun, [...(children.get(parentRun) ?? []), node]);
  }
  const lines: string[] = [];
  const walk = (node: RunNode, depth: number): void => {
    const pad = '   '.repeat(depth);
    lines.push(depth === 0 ? runLine(node) : `${'   '.repeat(depth - 1)}└─ ${runLine(node)}`);
    for (const step of lineage.growthSteps.filter((g) => g.runId === node.runId))
      lines.push(...growthLines(step).map((l) => `${pad}   ${l}`));
    for (const child of children.get(node.runId) ?? []) walk(child, depth + 1);
  };
  for (const root of roots) walk(root, 0);
  return lines;
}
